"""Who may see and act on needs and pledges: the rules of ``needs.rules`` applied to
the user's scope, and what the public board shows. Every view loads through these."""

from django.apps import apps
from django.db import models

from needs import rules
from programs.querysets import PUBLIC_PAIR_STATUSES
from schools.scope import scope_for


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(rules.need_view(scope_for(user)))

    def readable_privately_by(self, user):
        """Needs whose details (the description) the user may read: the pair's two
        sides, their managing bodies and Departments; not everyone who sees the need."""
        return self.filter(rules.need_read_private(scope_for(user)))

    def editable_by(self, user):
        """Needs the user may change, close and confirm receipts of: the helped side."""
        return self.filter(rules.need_change(scope_for(user)))

    def pledgeable_by(self, user):
        """Needs the user may pledge to: the helping side; any unit of the province
        when the Department opened the need to other donors."""
        return self.filter(rules.need_pledge(scope_for(user)))

    def openable_by(self, user):
        """Needs the user may open to other donors: Department staff of the helped
        school's province."""
        return self.filter(rules.need_open(scope_for(user)))

    def public(self):
        """Needs the public board shows: marked public, of a public pair (active or
        ended, in a public program), not closed."""
        return self.filter(
            is_public=True,
            pair__status__in=PUBLIC_PAIR_STATUSES,
            pair__program__is_public=True,
        ).exclude(status="closed")


class PledgeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(rules.need_view(scope_for(user), "need__"))

    def readable_privately_by(self, user):
        """Pledges whose note the user may read (``rules.pledge_read_private``)."""
        return self.filter(rules.pledge_read_private(scope_for(user)))

    def withdrawable_by(self, user):
        """Pledges not received yet that the user may withdraw: the pledging unit's
        people, or the helped side."""
        return self.filter(rules.pledge_withdraw(scope_for(user))).filter(status="pledged")

    def receivable_by(self, user):
        """Pledges not received yet whose arrival the user may confirm: the helped side."""
        return self.filter(rules.need_change(scope_for(user), "need__")).filter(status="pledged")


def postable_pairs(user):
    """Active pairs for which the user may post a need (the helped side), with what a
    choice shows."""
    Pair = apps.get_model("programs", "Pair")
    return Pair.objects.active().filter(rules.pair_post(scope_for(user))).select_related("program", "mentor", "mentee")
