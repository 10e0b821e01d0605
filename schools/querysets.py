"""Reusable filters for the schools app; scoping delegates to schools.scope."""

from django.db import models

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


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)
