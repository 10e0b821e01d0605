"""Reusable filters for the programs app.

``visible_to(user)``, ``editable_by(user)`` and the other ``…_by(user)`` methods apply
the rules of ``programs.rules`` (one table of object × action) to the user's scope;
``public()`` says what anonymous visitors may see. Every view loads its objects
through one of these, never with a bare ``objects.get``.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q

from programs.rules import activity_view_of_pairs, program_ids_q, rule_q
from schools.querysets import area_q
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.schoolyear import school_year_bounds, school_year_of
from twinning.lib.text import fold

PUBLIC_PAIR_STATUSES = ("active", "ended")
# Activities that count in reports, quiet-pair checks and plan completion: logged and
# sent to the partner (reported) or confirmed by it. Reports show the two separately.
COUNTED_ACTIVITY_STATUSES = ("reported", "confirmed")
# A plan item is done once the activity fulfilling it is confirmed by the partner.
DONE_ACTIVITY_STATUS = "confirmed"
# Activity lists of users who see at most this many pairs find them by id (visible_to).
NARROW_PAIRS = 500
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
        return self.filter(rule_q("program", "view", scope_for(user)))

    def editable_by(self, user):
        """Programs the user may change: department staff of an organizing department."""
        return self.filter(rule_q("program", "change", scope_for(user))).distinct()

    def open_for_registration_by(self, user):
        """Programs in which the user may register pairs (department staff and
        officers: programs organized in their province or already holding one of
        their pairs), newest first."""
        return self.filter(rule_q("program", "register", scope_for(user))).order_by("-start_year", vi_order("name"))


# A pair counts in the years it was running: accepted (active) and, later, ended.
# Proposed and declined pairs never count.
LIVED_PAIR_STATUSES = ("active", "ended")


def pair_period_start(prefix: str = ""):
    """SQL for the first day a pair counts: its start, else its phase's first day."""
    from django.db.models.functions import Coalesce

    return Coalesce(f"{prefix}started_on", f"{prefix}program__phase_starts_on")


def pair_period_end(prefix: str = ""):
    """SQL for the last day a pair counts: its end, else its phase's last day."""
    from django.db.models.functions import Coalesce

    return Coalesce(f"{prefix}ended_on", f"{prefix}program__phase_ends_on")


# Up to this many pairs in sight are read once as ids and then looked up by primary key
# (``PairQuerySet.pinned``); beyond it (a Department of a whole nation in one province)
# the scope's own filter is kept.
PINNED_PAIRS = 5000


class PairQuerySet(models.QuerySet):
    def pinned(self, limit: int = PINNED_PAIRS, scope=None):
        """The same pairs looked up by their ids, read once (one query), when there are
        at most ``limit`` of them; else this query set itself. The rule of a scope
        with units under a body or cluster (an officer) or a union's programs is a
        subquery tested on every pair of the country (about 8 ms at national scale)
        each time it is applied: a page that filters, counts and lists the same pairs
        several times applies it once this way. A ``scope`` whose pairs are found by
        index alone (``Scope.sides_by_index``: a Department, a principal) is applied
        as it is: hundreds of ids sent back in every query cost more (department home
        88–124 against 163–189 ms, side by side). Ordering, annotations and
        select_related may not be kept (they are when the query set is
        returned as it is): add them after."""
        if scope is not None and scope.sides_by_index:
            return self
        ids = self.pinned_ids(limit)
        if ids is None:
            return self
        return self.model.objects.filter(pk__any_of=ids)

    def pinned_ids(self, limit: int = PINNED_PAIRS):
        """The ids of these pairs (one query), or None when there are more than ``limit``."""
        ids = list(self.order_by().values_list("pk", flat=True)[: limit + 1])
        return None if len(ids) > limit else ids

    def active(self):
        """Pairs active today (their status): the workspace's lists and homes."""
        return self.filter(status="active")

    def active_during(self, first, last):
        """Pairs that were running at some time between ``first`` and ``last`` (both
        inclusive): accepted, started on or before ``last``, not ended before
        ``first``. A school year's figures count these (``in_school_year``)."""
        return (
            self.filter(status__in=LIVED_PAIR_STATUSES)
            .alias(period_start=pair_period_start(), period_end=pair_period_end())
            .filter(period_start__lte=last, period_end__gte=first)
        )

    def in_school_year(self, year: str):
        """Pairs that count in school ``year`` (running at some time during it)."""
        from twinning.lib.schoolyear import school_year_bounds

        return self.active_during(*school_year_bounds(year))

    def active_on(self, day):
        """Pairs running on ``day``."""
        return self.active_during(day, day)

    def office_partnerships(self):
        """Partnerships of units that are not schools (offices, clusters, Departments)."""
        return self.exclude(mentor_kind="school")

    def school_pairs(self):
        return self.filter(mentor_kind="school")

    def public(self):
        """Pairs the public site shows: active or ended (never proposed or declined)
        in a public program."""
        return self.filter(status__in=PUBLIC_PAIR_STATUSES, program__is_public=True)

    def visible_to(self, user):
        return self.filter(rule_q("pair", "view", scope_for(user)))

    def editable_by(self, user):
        """Pairs the user may edit or end (officers, cluster heads, department)."""
        return self.filter(rule_q("pair", "change", scope_for(user)))

    def actionable_by(self, user):
        """Pairs for which the user may log activities, plans, donations, reviews."""
        return self.filter(rule_q("pair", "act", scope_for(user)))

    def answerable_by(self, user):
        """Proposed pairs waiting for this user's answer (accept or decline): the side
        that did not register the pair answers, and department staff of the province
        may answer any (``programs.rules.pair_answer``)."""
        return self.filter(rule_q("pair", "answer", scope_for(user)))

    def registered_by_orgs(self, organization_ids):
        """Pairs registered on behalf of one of these units."""
        return self.filter(proposed_by_org_id__in=organization_ids)

    def review_writable_by(self, user):
        """Pairs whose year-end review the user may write and submit: either side's
        principal or the officers of either side (not the department, which rates it)."""
        return self.filter(rule_q("pair", "write", scope_for(user)))

    def involving(self, organization_ids):
        return self.filter(Q(mentor_id__in=organization_ids) | Q(mentee_id__in=organization_ids))

    def with_last_activity(self, on=None):
        """Annotates ``last_activity_on``: the date of the latest reported or confirmed
        activity (drafts and returned ones do not count) up to ``on`` (any date when
        None), or None; and ``last_event_on``: the last day something happened to the
        pair — that activity, the day it started or the day it became active
        (accepted), whichever is latest; the day it was registered when it has none
        of these. Never None. No extra query."""
        from django.db.models import F, Max, OuterRef, Subquery
        from django.db.models.functions import Coalesce, Greatest, TruncDate

        activated_on = TruncDate("decided_at")
        registered_on = TruncDate("created_at")
        # Greatest() of values that may be NULL differs between SQLite (NULL) and
        # PostgreSQL (ignores it): every argument is coalesced to a date first.
        started_on = pair_period_start()
        begun_on = Greatest(
            Coalesce(started_on, activated_on, registered_on),
            Coalesce(activated_on, started_on, registered_on),
        )
        if on is not None:
            # Seen from a past day, an acceptance recorded later (data entered
            # afterwards) does not count: the pair's start does.
            begun_on = Coalesce(started_on, registered_on)
        # The latest activity is read from what programs.summaries keeps: today, from
        # each pair's own row (PairLatestActivity, one join: a subquery per pair cost
        # 50 ms for a province of 25 000 pairs); seen from the end of a school year, from
        # the rows kept per pair and year up to it (a correlated subquery, a few rows per
        # pair through the (pair, year) index: grouping whole pair rows by their id costs
        # far more); seen from a day inside a school year, from the activities themselves.
        if on is None:
            last = F("latest_activity__on")
        elif on == school_year_bounds(school_year_of(on))[1]:
            PairYear = apps.get_model("programs", "PairYear")
            years = PairYear.objects.filter(
                pair=OuterRef("pk"), last_activity_on__isnull=False, school_year__lte=school_year_of(on)
            )
            last = Subquery(years.order_by("-last_activity_on").values("last_activity_on")[:1])
        else:
            counted = Q(activities__status__in=COUNTED_ACTIVITY_STATUSES, activities__happened_on__lte=on)
            last = Max("activities__happened_on", filter=counted)
        return self.annotate(last_activity_on=last).annotate(
            last_event_on=Greatest(Coalesce("last_activity_on", begun_on), begun_on)
        )

    def quiet(self, days=QUIET_AFTER_DAYS, today=None):
        """Pairs running on ``today`` (by default the real today) in which nothing has
        happened for more than ``days`` days before it: no reported or confirmed
        activity, and started or accepted longer ago than that (a pair registered
        today is not quiet). A past day gives the quiet pairs of that day (a report
        of 2022–2023 asks for 31/08/2023). One query, annotated as
        ``with_last_activity``."""
        import datetime

        from django.utils import timezone

        real_today = timezone.localdate()
        today = today or real_today
        since = today - datetime.timedelta(days=days)
        if today >= real_today:
            return self.active().active_on(today).with_last_activity().filter(last_event_on__lt=since)
        return self.active_on(today).with_last_activity(on=today).filter(last_event_on__lt=since)

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
        """Pairs with a side that stands or stood in ``area`` (a province or a district)."""
        return self.filter(area_q(area, "mentor__") | area_q(area, "mentee__"))

    def of_level(self, level: str):
        """School pairs with a side of this school level."""
        return self.filter(Q(mentor__level=level) | Q(mentee__level=level))

    def with_public_activity_count(self):
        """Annotates ``public_activity_count`` with one subquery (no extra query per row)."""
        Activity = apps.get_model("programs", "Activity")
        return self.annotate(public_activity_count=count_subquery(Activity.objects.public(), "pair"))


def attach_public_activity_counts(pairs) -> None:
    """Sets ``public_activity_count`` on each pair of a page already read: one grouped
    query over the page's pairs. Unlike ``with_public_activity_count`` it costs nothing
    for the rows a far page skips (an OFFSET still computes each skipped row's
    annotations)."""
    from django.db.models import Count

    Activity = apps.get_model("programs", "Activity")
    pairs = list(pairs)
    counts = dict(
        Activity.objects.public()
        .filter(pair__in=[p.pk for p in pairs])
        .order_by()
        .values("pair")
        .annotate(n=Count("pk"))
        .values_list("pair", "n")
    )
    for pair in pairs:
        pair.public_activity_count = counts.get(pair.pk, 0)


class ActivityQuerySet(models.QuerySet):
    def public(self):
        """Confirmed activities marked public, of public pairs."""
        return self.filter(
            is_public=True,
            status="confirmed",
            pair__status__in=PUBLIC_PAIR_STATUSES,
            pair__program__is_public=True,
        )

    def in_school_year(self, year: str):
        from twinning.lib.schoolyear import school_year_bounds

        first, last = school_year_bounds(year)
        return self.filter(happened_on__gte=first, happened_on__lte=last)

    def visible_to(self, user, narrow=False):
        """Activities of pairs the user sees and, for principals and teachers, those
        hosted at their school; a draft only on the side that wrote it.

        ``narrow`` (for lists): when the user sees at most NARROW_PAIRS pairs (a
        principal, an office), the pairs are read first and the activities found by
        their ids (an index) instead of through the sides' joins, which read every
        activity; one more query."""
        scope = scope_for(user)
        if narrow and not scope.is_superuser and not scope.department_ids:
            Pair = apps.get_model("programs", "Pair")
            ids = Pair.objects.filter(rule_q("pair", "view", scope)).pinned_ids(NARROW_PAIRS)
            if ids is not None:
                return self.filter(activity_view_of_pairs(scope, Q(pair_id__any_of=ids)))
        return self.filter(rule_q("activity", "view", scope))

    def editable_by(self, user):
        """Activities the user may still change: not confirmed yet, of a pair they act
        for, logged by their own side (a principal for their school, an officer for
        the units they manage, department staff in their province)."""
        return self.filter(rule_q("activity", "change", scope_for(user)))

    def confirmable_by(self, user):
        """Reported activities the user may confirm or return: of a pair they act for,
        logged by the other side — never by their own side, never by themselves."""
        return self.filter(rule_q("activity", "confirm", scope_for(user))).exclude(created_by=user)


class DonationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(rule_q("donation", "view", scope_for(user)))

    def editable_by(self, user):
        """Donations the user may change or delete: the principal of the school that
        recorded it (``recorded_by_org``), the officers in scope (either side of the
        pair, the donor, the recipient) and department staff of the province. The
        partner school only reads what the other side recorded; a record with no
        recording school (imported, or by the department) is corrected by the officers
        or the department."""
        return self.filter(rule_q("donation", "change", scope_for(user)))

    def private_visible_to(self, user):
        """Donations whose private note and receipt scan the user may read: the two
        sides' school staff, their officers and the department of their province — not
        trade union officers, not program organizers from elsewhere, never the public."""
        return self.filter(rule_q("donation", "read_private", scope_for(user)))

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
        """Memoranda covering a pair the user sees, and those the user recorded."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        return self._covering(rule_q("pair", "view", scope)) | self.filter(created_by=user)

    def editable_by(self, user):
        """Memoranda covering a pair the user may change, and those the user recorded."""
        scope = scope_for(user)
        if scope.is_superuser:
            return self.all()
        if not scope.can_manage_pairs:
            return self.none()
        return self._covering(rule_q("pair", "change", scope)) | self.filter(created_by=user)

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
            Pair.objects.filter(rule_q("pair", "view", scope), program_id=OuterRef("program_id")).filter(
                Q(mentor_id=office) | Q(mentee_id=office) | Q(mentor__parent_id=office) | Q(mentee__parent_id=office)
            )
        )
        q = scope.org_q("office__") | Q(partner)
        union_programs = program_ids_q(scope, scope.union_ids)
        if union_programs is not None:
            q |= Q(program_id__in=union_programs)
        return self.filter(q)

    def editable_by(self, user):
        return self.filter(scope_for(user).managed_org_q("office__"))


class PlanItemQuerySet(models.QuerySet):
    def with_done(self):
        """Annotates ``is_done``: a confirmed activity fulfils the item; and
        ``is_waiting``: an activity fulfilling it is reported but waits for the
        partner's confirmation (the item is not done yet)."""
        from django.db.models import Exists, OuterRef

        Activity = apps.get_model("programs", "Activity")
        fulfilling = Activity.objects.filter(plan_item=OuterRef("pk"))
        return self.annotate(
            is_done=Exists(fulfilling.filter(status=DONE_ACTIVITY_STATUS)),
            is_waiting=Exists(fulfilling.filter(status="reported")),
        )

    def done(self):
        return self.with_done().filter(is_done=True)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(rule_q("plan", "view", scope_for(user)))

    def editable_by(self, user):
        """Plans the user may draft and submit: either principal, officers in scope."""
        return self.filter(rule_q("plan", "change", scope_for(user)))

    def approvable_by(self, user):
        """Plans the user may accept or return: officers of either side and department
        staff (never a principal)."""
        return self.filter(rule_q("plan", "approve", scope_for(user)))


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(rule_q("review", "view", scope_for(user)))

    def editable_by(self, user):
        return self.filter(rule_q("review", "change", scope_for(user)))

    def submitted(self):
        """Reviews handed in: submitted, sent on to the department, or rated."""
        return self.filter(status__in=SUBMITTED_REVIEW_STATUSES)

    def writable_by(self, user):
        """Reviews the user may write and submit (see ``Pair.objects.review_writable_by``)."""
        return self.filter(rule_q("review", "write", scope_for(user)))

    def forwardable_by(self, user):
        """Reviews the user may send on to the department: officers of either side."""
        return self.filter(rule_q("review", "forward", scope_for(user)))

    def ratable_by(self, user):
        """Reviews the user may rate and commend: department staff of the province."""
        return self.filter(rule_q("review", "rate", scope_for(user)))


def public_units(queryset=None):
    """Units the public site shows: a side of a public pair, an organizer of a public
    program or the host of a public activity. Their contact details never are."""
    Organization = apps.get_model("schools", "Organization")
    Pair = apps.get_model("programs", "Pair")
    Program = apps.get_model("programs", "Program")
    Activity = apps.get_model("programs", "Activity")
    queryset = Organization.objects.all() if queryset is None else queryset
    return queryset.filter(
        Q(pk__in=Pair.objects.public().values("mentor_id"))
        | Q(pk__in=Pair.objects.public().values("mentee_id"))
        | Q(pk__in=Program.objects.public().filter(organizers__isnull=False).values("organizers"))
        | Q(pk__in=Activity.objects.public().filter(host__isnull=False).values("host_id"))
    )


def units_taking_part_in(pairs, queryset=None):
    """Units that are a side of one of ``pairs`` (a Pair query set)."""
    Organization = apps.get_model("schools", "Organization")
    queryset = Organization.objects.all() if queryset is None else queryset
    return queryset.filter(Q(pk__in=pairs.values("mentor_id")) | Q(pk__in=pairs.values("mentee_id")))
