"""Reusable filters for the schools app; scoping delegates to schools.scope."""

from django.apps import apps
from django.db import models
from django.db.models import Q

from schools.scope import scope_for
from twinning.lib.text import fold


class OrganizationQuerySet(models.QuerySet):
    def schools(self):
        return self.filter(kind="school")

    def offices(self):
        return self.filter(kind="office")

    def pairable(self):
        """Units that can take part in a pair: district offices and schools."""
        return self.filter(kind__in=("office", "school"))

    def visible_to(self, user):
        """Organizations the user may open in the workspace."""
        return self.filter(scope_for(user).org_q())

    def editable_by(self, user):
        """Organizations the user may change or act for as an officer."""
        return self.filter(scope_for(user).managed_org_q())

    def search(self, text: str):
        """Name or code contains every word of ``text``, ignoring case and diacritics
        ("tay mo" finds "THCS Tây Mỗ", "dang" finds "Đặng")."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def in_area(self, area):
        """Units in ``area``: a province (through the derived ``province`` column) or a
        district (the district itself or one of its communes)."""
        return self.filter(area_q(area))

    def of_level(self, level: str):
        return self.filter(level=level)

    def taking_part_in(self, pairs):
        """Units that are a side of one of ``pairs`` (a Pair query set)."""
        return self.filter(Q(pk__in=pairs.values("mentor_id")) | Q(pk__in=pairs.values("mentee_id")))

    def public(self):
        """Units the public site shows: a side of a public pair, an organizer of a public
        program or the host of a public activity. Their contact details never are."""
        Pair = apps.get_model("programs", "Pair")
        Program = apps.get_model("programs", "Program")
        Activity = apps.get_model("programs", "Activity")
        return self.filter(
            Q(pk__in=Pair.objects.public().values("mentor_id"))
            | Q(pk__in=Pair.objects.public().values("mentee_id"))
            | Q(pk__in=Program.objects.public().filter(organizers__isnull=False).values("organizers"))
            | Q(pk__in=Activity.objects.public().filter(host__isnull=False).values("host_id"))
        )


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def area_q(area, prefix: str = "") -> Q:
    """Organizations in ``area`` (``prefix`` = "mentor__" for a pair's side): a province
    matches the derived ``province`` column, a district itself or its communes."""
    if area.kind == "province":
        return Q(**{f"{prefix}province": area})
    return Q(**{f"{prefix}area": area}) | Q(**{f"{prefix}area__parent": area})
