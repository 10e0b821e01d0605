"""Workspace home sections for department staff, office officers and union officers.

Each section runs a fixed number of queries whatever the number of pairs: counts are
aggregated in the database and every list is cut at HOME_LIMIT rows, with a link to
the full, filtered list.
"""

import datetime

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from programs import rules
from programs.models import Memorandum, Pair, Plan, Program
from schools.models import Organization
from schools.scope import Scope
from twinning.lib.collation import vi_order

HOME_LIMIT = 8
ANSWERS_SINCE_DAYS = 30
EXPIRING_DAYS = 90


def _select(pairs):
    return pairs.select_related("program", "mentor", "mentee")


def _counts(pairs):
    """{status: count} in one query."""
    rows = pairs.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def _counts_by_kind(pairs):
    """({status: count} of every pair, {status: count} of the school pairs) in one query."""
    every, schools = {}, {}
    for row in pairs.order_by().values("status", "mentor_kind").annotate(n=Count("pk")):
        every[row["status"]] = every.get(row["status"], 0) + row["n"]
        if row["mentor_kind"] == Organization.Kind.SCHOOL:
            schools[row["status"]] = schools.get(row["status"], 0) + row["n"]
    return every, schools


def _status_counts(counts):
    """[(status, label, count)] for every status, in order."""
    return [(status, label, counts.get(status, 0)) for status, label in Pair.Status.choices]


def _status_groups(pairs, counts):
    """[(label, status, first pairs, total)] for each status that has pairs, in the
    order of the statuses; the latest changes first (a pair just accepted or
    registered is on top). One query for all of them: each pair ranked within its
    status by a window function, the first HOME_LIMIT of each kept."""
    statuses = [status for status, _label in Pair.Status.choices if counts.get(status)]
    if not statuses:
        return []
    ranked = (
        pairs.filter(status__in=statuses)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("status")],
                order_by=[F("updated_at").desc(), vi_order("mentor__name"), F("pk").asc()],
            )
        )
        .filter(rank__lte=HOME_LIMIT)
        .order_by("rank")
    )
    by_status = {}
    for pair in ranked:
        by_status.setdefault(pair.status, []).append(pair)
    return [
        (label, status, by_status.get(status, []), counts[status])
        for status, label in Pair.Status.choices
        if status in statuses
    ]


def _limited(queryset):
    """(first HOME_LIMIT rows, total) in at most two queries (one when short)."""
    items = list(queryset[: HOME_LIMIT + 1])
    if len(items) <= HOME_LIMIT:
        return items, len(items)
    return items[:HOME_LIMIT], queryset.count()


def _quiet(pairs):
    """(the first quiet pairs, how many there are, whether any pair runs today): with
    none running (a phase that has ended) "every active pair has had an activity"
    would mislead. The last query only when no pair is quiet."""
    quiet, total = _limited(pairs.quiet().order_by("last_activity_on", vi_order("mentor__name")))
    running = bool(total) or pairs.active().active_on(timezone.localdate()).exists()
    return quiet, total, running


def _expiring(pairs):
    covered = pairs.order_by().values("pk")
    memoranda = (
        Memorandum.objects.filter(pairs__in=covered)
        .distinct()
        .expiring_within(EXPIRING_DAYS)
        .select_related("program")
        .order_by("valid_until")
    )
    return _limited(memoranda)


def department_section(request, scope):
    """Department staff (and superusers): what waits for their approval in their
    province first, then the province's pairs by status, quiet pairs and memoranda
    running out."""
    department = Scope(
        is_superuser=scope.is_superuser, department_ids=scope.department_ids, province_ids=scope.province_ids
    )
    # The pairs in sight (by index: the province's copies on each pair) are looked up
    # by each section; read once as ids only for a superuser (PairQuerySet.pinned).
    in_sight = Pair.objects.filter(rules.pair_view(department)).pinned(scope=department)
    pairs = _select(in_sight)
    waiting, waiting_total = _limited(pairs.filter(rules.pair_answer(department)).order_by("created_at"))
    quiet, quiet_total, running = _quiet(pairs)
    expiring, expiring_total = _expiring(in_sight)
    programs = (
        Program.objects.all()
        if scope.is_superuser
        else Program.objects.filter(organizers__in=scope.department_ids).distinct()
    )
    context = {
        "departments": Organization.objects.filter(pk__in=scope.department_ids),
        "waiting": waiting,
        "waiting_total": waiting_total,
        "status_counts": _status_counts(_counts(pairs)),
        "quiet": quiet,
        "quiet_total": quiet_total,
        "any_running": running,
        "expiring": expiring,
        "expiring_total": expiring_total,
        "programs": programs.order_by("-start_year", vi_order("name")),
    }
    return ("workspace/_home_department.html", context)


def officer_section(request, scope):
    """An office officer: their office, the pairs and the submitted plans waiting for
    their answer, their own proposals and the answers they got, the office's
    partnerships and pairs by status, memoranda expiring within 90 days and quiet
    pairs."""
    officer = Scope(manager_ids=scope.manager_ids, cluster_ids=scope.cluster_ids)
    offices = Organization.objects.filter(pk__in=scope.officer_ids).select_related("area")
    # Pairs with a side among the officer's offices and their schools (not the whole
    # province, even if the same user is also department staff).
    # The pairs in sight are read once as ids, each section then looks them up by key.
    in_sight = Pair.objects.filter(rules.pair_view(officer)).pinned(scope=officer)
    pairs = _select(in_sight)
    counts, school_counts = _counts_by_kind(pairs)
    waiting, waiting_total = _limited(pairs.filter(rules.pair_answer(officer)).order_by("created_at"))
    since = timezone.now() - datetime.timedelta(days=ANSWERS_SINCE_DAYS)
    ours = pairs.registered_by_orgs(scope.officer_ids)
    proposed, proposed_total = _limited(ours.filter(status=Pair.Status.PROPOSED).order_by("-created_at"))
    answers = list(
        ours.filter(decided_at__gte=since, status__in=(Pair.Status.ACTIVE, Pair.Status.DECLINED))
        .exclude(decided_by=request.user)
        .select_related("decided_by")
        .order_by("-decided_at")[:HOME_LIMIT]
    )
    quiet, quiet_total, running = _quiet(pairs)
    expiring, expiring_total = _expiring(in_sight)
    plans, plans_total = _limited(
        Plan.objects.filter(
            rules.pair_change(officer, "pair__"),
            pair__in=in_sight.order_by().values("pk"),
            status=Plan.Status.SUBMITTED,
        )
        .select_related("pair__mentor", "pair__mentee")
        .order_by("submitted_at", "pk")
    )
    context = {
        "offices": offices,
        "plans": plans,
        "plans_total": plans_total,
        "waiting": waiting,
        "waiting_total": waiting_total,
        "proposed": proposed,
        "proposed_total": proposed_total,
        "answers": answers,
        "partnerships": list(
            pairs.office_partnerships().exclude(status=Pair.Status.DECLINED).order_by("-program__start_year")
        ),
        "pairs_by_status": _status_groups(pairs.school_pairs(), school_counts),
        "total": sum(counts.values()),
        "quiet": quiet,
        "quiet_total": quiet_total,
        "any_running": running,
        "expiring": expiring,
        "expiring_total": expiring_total,
    }
    return ("workspace/_home_officer.html", context)


def union_section(request, scope):
    """A union officer: the programs they co-organize, each with its pairs by status,
    and the quiet pairs among them."""
    programs = list(Program.objects.filter(organizers__in=scope.union_ids).distinct().order_by("-start_year"))
    pairs = _select(Pair.objects.filter(rules.pair_view(Scope(union_ids=scope.union_ids))))
    counts = {}
    for row in pairs.order_by().values("program_id", "status").annotate(n=Count("pk")):
        counts.setdefault(row["program_id"], {})[row["status"]] = row["n"]
    for program in programs:
        program.status_counts = [
            (label, status, counts.get(program.pk, {}).get(status, 0)) for status, label in Pair.Status.choices
        ]
    quiet, quiet_total, running = _quiet(pairs)
    context = {"programs": programs, "quiet": quiet, "quiet_total": quiet_total, "any_running": running}
    return ("workspace/_home_union.html", context)
