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
# A confirmed activity is settled; before that its logging side may still change it.
EDITABLE_ACTIVITY_STATUSES = ("draft", "reported", "returned")
QUIET_AFTER_DAYS = 90
# A year-end review counts as handed in (reporting rate) once submitted; it stays so
# when the office sends it on and when the department rates it.
SUBMITTED_REVIEW_STATUSES = ("submitted", "forwarded", "rated")


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

    def open_for_registration_by(self, user):
        """Programs in which the user may register pairs (department staff and office
        officers: programs organized in their province or already holding one of
        their pairs), newest first."""
        return self.filter(scope_for(user).program_register_q()).order_by("-start_year", "name")


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

    def answerable_by(self, user):
        """Proposed pairs waiting for this user's answer (accept or decline): the side
        that did not register the pair answers, and department staff of the province
        may answer any (schools.scope.Scope.pair_answer_q)."""
        return self.filter(scope_for(user).pair_answer_q())

    def registered_by_orgs(self, organization_ids):
        """Pairs registered on behalf of one of these units."""
        return self.filter(proposed_by_org_id__in=organization_ids)

    def reviewable_by(self, user):
        """Pairs whose year-end review the user may write and submit: either side's
        principal or the officer of either side's office (not the department, which
        rates it)."""
        scope = scope_for(user)
        return self.filter(scope.pair_school_q() | scope.pair_office_q())

    def involving(self, organization_ids):
        return self.filter(Q(mentor_id__in=organization_ids) | Q(mentee_id__in=organization_ids))

    def with_last_activity(self):
        """Annotates ``last_activity_on``: the date of the latest reported or confirmed
        activity (drafts and returned ones do not count), or None; and ``last_event_on``:
        the last day something happened to the pair — that activity, the day it
        started or the day it became active (accepted), whichever is latest; the day
        it was registered when it has none of these. Never None. No extra query."""
        from django.db.models import Max
        from django.db.models.functions import Coalesce, Greatest, TruncDate

        activated_on = TruncDate("decided_at")
        registered_on = TruncDate("created_at")
        # Greatest() of values that may be NULL differs between SQLite (NULL) and
        # PostgreSQL (ignores it): every argument is coalesced to a date first.
        begun_on = Greatest(
            Coalesce("started_on", activated_on, registered_on),
            Coalesce(activated_on, "started_on", registered_on),
        )
        return self.annotate(
            last_activity_on=Max("activities__happened_on", filter=Q(activities__status__in=COUNTED_ACTIVITY_STATUSES))
        ).annotate(last_event_on=Greatest(Coalesce("last_activity_on", begun_on), begun_on))

    def quiet(self, days=QUIET_AFTER_DAYS, today=None):
        """Active pairs in which nothing has happened for more than ``days`` days: no
        reported or confirmed activity, and started or accepted longer ago than that
        (a pair registered today is not quiet). One query, annotated as
        ``with_last_activity``."""
        import datetime

        from django.utils import timezone

        today = today or timezone.localdate()
        since = today - datetime.timedelta(days=days)
        return self.active().with_last_activity().filter(last_event_on__lt=since)

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
        """Activities of pairs the user sees and, for principals and teachers, those
        hosted at their school (``Scope.activity_q``); a draft only on the side that
        wrote it."""
        scope = scope_for(user)
        return self.filter(scope.activity_q()).filter(~Q(status="draft") | scope.org_q("reported_by_org__"))

    def editable_by(self, user):
        """Activities the user may still change: not confirmed yet, of a pair they act
        for, logged by their own side (a principal for their school, an officer for
        their office and its schools, department staff in their province)."""
        scope = scope_for(user)
        return self.filter(
            scope.pair_act_q("pair__"),
            scope.acting_org_q("reported_by_org__"),
            status__in=EDITABLE_ACTIVITY_STATUSES,
        )

    def confirmable_by(self, user):
        """Reported activities the user may confirm or return: of a pair they act for,
        logged by the other side — never by their own school or office, never by
        themselves."""
        scope = scope_for(user)
        return (
            self.filter(scope.pair_act_q("pair__"), status="reported")
            .exclude(scope.own_side_org_q("reported_by_org__"))
            .exclude(created_by=user)
        )


class DonationQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        return self.filter(scope.pair_q("pair__") | scope.org_q("recipient__") | scope.org_q("donor_org__"))

    def editable_by(self, user):
        """Donations the user may change or delete: the principal of the school that
        recorded it (``recorded_by_org``), the officers of the offices in scope (either
        side of the pair, the donor, the recipient) and department staff of the
        province. The partner school only reads what the other side recorded; a record
        with no recording school (imported, or by the department) is corrected by the
        offices or the department."""
        scope = scope_for(user)
        return self.filter(
            scope.managed_org_q("pair__mentor__")
            | scope.managed_org_q("pair__mentee__")
            | scope.managed_org_q("recipient__")
            | scope.managed_org_q("donor_org__")
            | Q(recorded_by_org_id__in=scope.principal_school_ids)
        )

    def private_visible_to(self, user):
        """Donations whose private note and receipt scan the user may read: the two
        sides' school staff, their offices and the department of their province — not
        trade union officers, not program organizers from elsewhere, never the public."""
        scope = scope_for(user)
        return self.filter(
            scope.private_org_q("pair__mentor__")
            | scope.private_org_q("pair__mentee__")
            | scope.private_org_q("recipient__")
            | scope.private_org_q("donor_org__")
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
        """The groups of the offices the user sees, of the partner offices in the
        programs of their pairs (an officer of Mỹ Đức sees Nam Từ Liêm's groups), and
        for a union officer every group of the programs they co-organize."""
        from django.db.models import Exists, OuterRef

        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        Pair = apps.get_model("programs", "Pair")
        office = OuterRef("office_id")
        partner = Exists(
            Pair.objects.filter(scope.pair_q(), program_id=OuterRef("program_id")).filter(
                Q(mentor_id=office) | Q(mentee_id=office) | Q(mentor__parent_id=office) | Q(mentee__parent_id=office)
            )
        )
        q = scope.org_q("office__") | Q(partner)
        union_programs = scope.program_ids_q(scope.union_ids)
        if union_programs is not None:
            q |= Q(program_id__in=union_programs)
        return self.filter(q)

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
        """Plans the user may draft and submit: either principal, officers in scope."""
        return self.filter(scope_for(user).pair_act_q("pair__"))

    def reviewable_by(self, user):
        """Plans the user may accept or return: officers of either side's office and
        department staff (never a principal)."""
        return self.filter(scope_for(user).pair_manage_q("pair__"))


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_for(user).pair_q("pair__"))

    def editable_by(self, user):
        return self.filter(scope_for(user).pair_act_q("pair__"))

    def submitted(self):
        """Reviews handed in: submitted, sent on to the department, or rated."""
        return self.filter(status__in=SUBMITTED_REVIEW_STATUSES)

    def writable_by(self, user):
        """Reviews the user may write and submit (see ``Pair.objects.reviewable_by``)."""
        scope = scope_for(user)
        return self.filter(scope.pair_school_q("pair__") | scope.pair_office_q("pair__"))

    def forwardable_by(self, user):
        """Reviews the user may send on to the department: office officers."""
        return self.filter(scope_for(user).pair_office_q("pair__"))

    def ratable_by(self, user):
        """Reviews the user may rate and commend: department staff of the province."""
        return self.filter(scope_for(user).pair_department_q("pair__"))
