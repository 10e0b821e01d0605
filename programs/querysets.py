"""Reusable filters for the programs app.

``visible_to(user)`` and ``editable_by(user)`` turn the user's scope (schools.scope)
into filters; ``public()`` says what anonymous visitors may see. Every view loads
its objects through one of these, never with a bare ``objects.get``.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q

from schools.querysets import area_q
from schools.scope import scope_for
from twinning.lib.text import fold

PUBLIC_PAIR_STATUSES = ("active", "ended")
# Activities that count in reports, quiet-pair checks and plan completion: logged and
# sent to the partner (reported) or confirmed by it. Reports show the two separately.
COUNTED_ACTIVITY_STATUSES = ("reported", "confirmed")
QUIET_AFTER_DAYS = 90


def count_subquery(queryset, column: str):
    """An expression counting the rows of ``queryset`` whose ``column`` points at the
    outer row (0 when none), for annotating a list in one query."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    counts = queryset.filter(**{column: OuterRef("pk")}).order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts[:1], output_field=IntegerField()), Value(0))


class ProgramQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def visible_to(self, user):
        return self.filter(scope_for(user).program_q())


class PairQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def office_partnerships(self):
        return self.filter(mentor_kind="office")

    def school_pairs(self):
        return self.filter(mentor_kind="school")

    def public(self):
        """Pairs the public site shows: active or ended (never proposed or declined)
        in a public program."""
        return self.filter(status__in=PUBLIC_PAIR_STATUSES, program__is_public=True)

    def visible_to(self, user):
        return self.filter(scope_for(user).pair_q())

    def editable_by(self, user):
        """Pairs the user may accept, decline, end or edit (officers, department)."""
        return self.filter(scope_for(user).pair_manage_q())

    def actionable_by(self, user):
        """Pairs for which the user may log activities, plans, donations, reviews."""
        return self.filter(scope_for(user).pair_act_q())

    def involving(self, organization_ids):
        return self.filter(Q(mentor_id__in=organization_ids) | Q(mentee_id__in=organization_ids))

    def search(self, text: str):
        """Pairs in which every word of ``text`` is in the name or code of one of the two
        sides, ignoring case and diacritics ("tay mo my duc" finds THCS Tây Mỗ → THCS
        minh hoạ Mỹ Đức). Compares the sides' folded ``search_text`` columns, so it
        behaves the same on SQLite and PostgreSQL."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(Q(mentor__search_text__contains=word) | Q(mentee__search_text__contains=word))
        return qs

    def in_area(self, area):
        """Pairs with a side in ``area`` (a province or a district)."""
        return self.filter(area_q(area, "mentor__") | area_q(area, "mentee__"))

    def of_level(self, level: str):
        """School pairs with a side of this school level."""
        return self.filter(Q(mentor__level=level) | Q(mentee__level=level))

    def with_public_activity_count(self):
        """Annotates ``public_activity_count`` with one subquery (no extra query per row)."""
        Activity = apps.get_model("programs", "Activity")
        return self.annotate(public_activity_count=count_subquery(Activity.objects.public(), "pair"))


class ActivityQuerySet(models.QuerySet):
    def public(self):
        """Confirmed activities marked public, of public pairs."""
        return self.filter(
            is_public=True,
            status="confirmed",
            pair__status__in=PUBLIC_PAIR_STATUSES,
            pair__program__is_public=True,
        )

    def reported_or_confirmed(self):
        return self.filter(status__in=("reported", "confirmed"))

    def in_school_year(self, year: str):
        from twinning.lib.schoolyear import school_year_bounds

        first, last = school_year_bounds(year)
        return self.filter(happened_on__gte=first, happened_on__lte=last)

    def visible_to(self, user):
        """Activities of pairs the user sees; a draft only on the side that wrote it."""
        scope = scope_for(user)
        return self.filter(scope.pair_q("pair__")).filter(~Q(status="draft") | scope.org_q("reported_by_org__"))

    def editable_by(self, user):
        return self.filter(scope_for(user).pair_act_q("pair__"))


class DonationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        return self.filter(scope.pair_q("pair__") | scope.org_q("recipient__") | scope.org_q("donor_org__"))

    def editable_by(self, user):
        scope = scope_for(user)
        return self.filter(
            scope.pair_act_q("pair__") | scope.managed_org_q("recipient__") | scope.managed_org_q("donor_org__")
        )

    def public(self):
        """Donations counted in public totals (never listed one by one)."""
        return self.filter(program__is_public=True).filter(
            Q(pair__isnull=True) | Q(pair__status__in=PUBLIC_PAIR_STATUSES)
        )

    def in_school_year(self, year: str):
        from twinning.lib.schoolyear import school_year_bounds

        first, last = school_year_bounds(year)
        return self.filter(given_on__gte=first, given_on__lte=last)


class MemorandumQuerySet(models.QuerySet):
    def _covering(self, pair_q):
        Pair = apps.get_model("programs", "Pair")
        through = self.model.pairs.through
        pair_ids = Pair.objects.filter(pair_q).values("pk")
        return self.filter(pk__in=through.objects.filter(pair_id__in=pair_ids).values("memorandum_id"))

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self._covering(scope.pair_q()) | self.filter(created_by=user)

    def editable_by(self, user):
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.can_manage_pairs:
            return self.none()
        return self._covering(scope.pair_manage_q()) | self.filter(created_by=user)

    def expiring_within(self, days: int, today=None):
        import datetime

        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=days))


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        return self.filter(scope.org_q("office__") | scope.program_q("program__"))

    def editable_by(self, user):
        return self.filter(scope_for(user).managed_org_q("office__"))


class PlanItemQuerySet(models.QuerySet):
    def with_done(self):
        """Annotates ``is_done``: a plan item is done when a reported or confirmed
        activity fulfils it."""
        from django.db.models import Exists, OuterRef

        Activity = apps.get_model("programs", "Activity")
        return self.annotate(
            is_done=Exists(Activity.objects.filter(plan_item=OuterRef("pk"), status__in=COUNTED_ACTIVITY_STATUSES))
        )

    def done(self):
        return self.with_done().filter(is_done=True)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_for(user).pair_q("pair__"))

    def editable_by(self, user):
        return self.filter(scope_for(user).pair_act_q("pair__"))


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_for(user).pair_q("pair__"))

    def editable_by(self, user):
        return self.filter(scope_for(user).pair_act_q("pair__"))
