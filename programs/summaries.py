"""Each pair's figures per school year, kept current by the writes that change them.

Why: the dashboard, the printable report, the workbook and the workspace lists show,
for every pair in scope, its activities (reported, confirmed, people taking part), its
plan items (planned, done) and its latest activity. Counted from the activities on
each request, a province of 25 000 pairs and 500 000 activities costs seconds; read
from one row per pair and year (``PairYear``), it costs one indexed scan.

A second table, ``PairLatestActivity``, keeps each pair's latest counted activity over
all years, for the quiet pairs of the homes and lists.

Who keeps them: every save and delete of an ``Activity``, a ``PlanItem`` or a ``Plan``
(a service, the admin, the seed) recounts that pair's rows in the same transaction
(``refresh_pairs``, through the signals below), under a lock on the pair's row so
that two writes to one pair cannot interleave. A recount, rather than adding and
subtracting, cannot drift: the rows always equal what ``count_pairs`` finds in the
activities (the tests compare them after every kind of write). Loads that bypass
``save()`` (``bulk_create`` in ``generate_synthetic_data``) call ``recount``, and
``manage.py rebuild_summaries`` recounts every pair by hand.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from programs.querysets import COUNTED_ACTIVITY_STATUSES, DONE_ACTIVITY_STATUS
from twinning.lib.schoolyear import school_year_of

# Plans count towards completion once submitted to or accepted by the office.
COUNTED_PLAN_STATUSES = ("submitted", "accepted")
FIGURES = ("reported", "confirmed", "teachers", "students", "managers", "planned", "done")
KEPT = (*FIGURES, "last_activity_on", "by_kind", "by_month")
REBUILD_BATCH = 2000


class PairYear(models.Model):
    """One pair's figures in one school year: counted activities (reported, or
    confirmed by the partner) that happened in it and the people taking part; items of
    its plan for that year once submitted or accepted, and how many of them a counted
    activity fulfils; the date of its latest counted activity in the year. A year with
    none of these has no row."""

    pair = models.ForeignKey(
        "programs.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="year_figures"
    )
    school_year = models.CharField(_("school year"), max_length=9)
    reported = models.PositiveIntegerField(_("activities awaiting confirmation"), default=0)
    confirmed = models.PositiveIntegerField(_("activities confirmed"), default=0)
    teachers = models.PositiveIntegerField(_("teachers taking part"), default=0)
    students = models.PositiveIntegerField(_("students taking part"), default=0)
    managers = models.PositiveIntegerField(_("managers taking part"), default=0)
    planned = models.PositiveIntegerField(_("plan items"), default=0)
    done = models.PositiveIntegerField(_("plan items done"), default=0)
    last_activity_on = models.DateField(_("latest activity"), null=True, blank=True)
    # {kind: [reported, confirmed, teachers, students, managers]} and {"YYYY-MM": [reported,
    # confirmed]}: the dashboard's charts sum them over the pairs in scope.
    by_kind = models.JSONField(_("activities by kind"), default=dict)
    by_month = models.JSONField(_("activities by month"), default=dict)

    class Meta:
        verbose_name = _("pair's figures for a school year")
        verbose_name_plural = _("pairs' figures per school year")
        constraints = [models.UniqueConstraint(fields=["pair", "school_year"], name="pairyear_unique")]
        indexes = [models.Index(fields=["school_year", "pair"], name="pairyear_year_pair")]

    def __str__(self):
        return f"{self.pair} · {self.school_year}"

    @property
    def participants(self):
        return self.teachers + self.students + self.managers


class PairLatestActivity(models.Model):
    """The date of a pair's latest counted activity, whatever the school year (no row
    when it has none). The homes' quiet pairs are the running ones whose date is old:
    read from here, a province's 25 000 pairs are filtered in one pass, where a
    subquery over each pair's yearly rows cost 50 ms, twice per home page (the list and
    its count). Kept with the yearly rows, by the same recount."""

    pair = models.OneToOneField(
        "programs.Pair",
        verbose_name=_("pair"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="latest_activity",
    )
    on = models.DateField(_("latest activity"))

    class Meta:
        verbose_name = _("pair's latest activity")
        verbose_name_plural = _("pairs' latest activities")

    def __str__(self):
        return f"{self.pair} · {self.on}"


def count_pairs(pair_ids, registry=apps) -> dict:
    """{(pair id, school year): {figure: value, "last_activity_on": date}} counted from
    the activities and plans themselves, for ``pair_ids``. Two queries. ``registry``:
    the models to count with (a migration passes its own)."""
    Activity = registry.get_model("programs", "Activity")
    PlanItem = registry.get_model("programs", "PlanItem")
    # An item is done once an activity fulfilling it is confirmed by the partner; one
    # still waiting for that confirmation does not make it done yet.
    fulfilled = Activity.objects.filter(plan_item=OuterRef("pk"), status=DONE_ACTIVITY_STATUS)
    rows = defaultdict(lambda: dict.fromkeys(FIGURES, 0) | {"last_activity_on": None, "by_kind": {}, "by_month": {}})
    activities = (
        Activity.objects.filter(pair_id__in=pair_ids, status__in=COUNTED_ACTIVITY_STATUSES)
        .order_by()
        .values("pair_id", "happened_on", "status", "kind")
        .annotate(
            n=Count("pk"),
            teachers=Sum("teachers_count"),
            students=Sum("students_count"),
            managers=Sum("managers_count"),
        )
    )
    for r in activities:
        row = rows[(r["pair_id"], school_year_of(r["happened_on"]))]
        confirmed = int(r["status"] == "confirmed")
        row["confirmed" if confirmed else "reported"] += r["n"]
        people = [r[name] or 0 for name in ("teachers", "students", "managers")]
        for name, n in zip(("teachers", "students", "managers"), people, strict=True):
            row[name] += n
        kind = row["by_kind"].setdefault(r["kind"], [0, 0, 0, 0, 0])
        kind[confirmed] += r["n"]
        for i, n in enumerate(people):
            kind[2 + i] += n
        row["by_month"].setdefault(f"{r['happened_on']:%Y-%m}", [0, 0])[confirmed] += r["n"]
        if row["last_activity_on"] is None or r["happened_on"] > row["last_activity_on"]:
            row["last_activity_on"] = r["happened_on"]
    items = (
        PlanItem.objects.filter(plan__pair_id__in=pair_ids, plan__status__in=COUNTED_PLAN_STATUSES)
        .annotate(is_done=Exists(fulfilled))
        .order_by()
        .values("plan__pair_id", "plan__school_year")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(is_done=True)))
    )
    for r in items:
        row = rows[(r["plan__pair_id"], r["plan__school_year"])]
        row["planned"], row["done"] = r["planned"], r["done"]
    return dict(rows)


def stored_pairs(pair_ids) -> dict:
    """The same mapping as ``count_pairs``, read from the kept rows."""
    return {
        (r.pop("pair_id"), r.pop("school_year")): r
        for r in PairYear.objects.filter(pair_id__in=pair_ids).values("pair_id", "school_year", *KEPT)
    }


def latest_of(counted: dict) -> dict:
    """{pair id: date of its latest counted activity} from ``count_pairs``' rows."""
    latest = {}
    for (pair_id, _year), values in counted.items():
        day = values["last_activity_on"]
        if day is not None and (pair_id not in latest or day > latest[pair_id]):
            latest[pair_id] = day
    return latest


def _write(counted: dict, pair_ids, model=PairYear) -> None:
    model.objects.filter(pair_id__in=pair_ids).delete()
    model.objects.bulk_create(
        [model(pair_id=pair_id, school_year=year, **values) for (pair_id, year), values in counted.items()],
        batch_size=1000,
    )
    try:
        latest_model = model._meta.apps.get_model("programs", "PairLatestActivity")
    except LookupError:  # a migration's models from before the table existed (0015)
        return
    latest_model.objects.filter(pair_id__in=pair_ids).delete()
    latest_model.objects.bulk_create(
        [latest_model(pair_id=pair_id, on=day) for pair_id, day in latest_of(counted).items()], batch_size=1000
    )


def refresh_pairs(pair_ids) -> None:
    """Recounts the rows of ``pair_ids`` (those that still exist), in the caller's
    transaction, after locking the pairs' rows (in id order, so two refreshes never
    wait for each other in a circle)."""
    Pair = apps.get_model("programs", "Pair")
    ids = sorted({pk for pk in pair_ids if pk})
    if not ids:
        return
    with transaction.atomic():
        ids = list(Pair.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        if ids:
            _write(count_pairs(ids), ids)


def recount(pair_ids, batch: int = REBUILD_BATCH, progress=None, registry=apps) -> int:
    """Recounts the rows of ``pair_ids``, ``batch`` pairs per transaction, without
    locking (for loads that bypass ``save()``: nobody else writes these pairs yet);
    returns the number of rows kept."""
    if registry is apps:  # not in a migration, where the version's table may not exist yet
        from programs.reports.cache import data_changed

        data_changed()
    model = registry.get_model("programs", "PairYear")
    ids = sorted(pair_ids)
    kept = 0
    for start in range(0, len(ids), batch):
        part = ids[start : start + batch]
        with transaction.atomic():
            counted = count_pairs(part, registry)
            _write(counted, part, model)
        kept += len(counted)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    return kept


def rebuild_all(batch: int = REBUILD_BATCH, progress=None, registry=apps) -> int:
    """Recounts every pair's rows; returns the number of rows kept. For
    ``rebuild_summaries`` and the migration that made the table (``registry``: its
    models)."""
    Pair = registry.get_model("programs", "Pair")
    ids = list(Pair.objects.values_list("pk", flat=True))
    kept = recount(ids, batch, progress, registry)
    registry.get_model("programs", "PairYear").objects.exclude(pair_id__in=Pair.objects.values("pk")).delete()
    return kept


def pair_last_activity(pair_ids) -> dict:
    """{pair id: date of its latest reported or confirmed activity, whatever the year}."""
    return dict(PairLatestActivity.objects.filter(pair_id__any_of=pair_ids).values_list("pair_id", "on"))


# --- kept by every write -----------------------------------------------------------------

_COUNTED_MODELS = ("Activity", "PlanItem", "Plan")
_batch = threading.local()


@contextmanager
def recount_once():
    """Within it, the writes of activities, items and plans only note their pair, and
    each pair noted is recounted once when the block ends without an error (a plan's
    ten items saved together: one recount, not ten). Call it inside the transaction."""
    if getattr(_batch, "pairs", None) is not None:  # already inside one
        yield
        return
    _batch.pairs = set()
    try:
        yield
        pairs = _batch.pairs
    finally:
        _batch.pairs = None
    refresh_pairs(pairs)


def _note(instance) -> None:
    pair_id = _pair_of(instance)
    if getattr(_batch, "pairs", None) is not None:
        _batch.pairs.add(pair_id)
    else:
        refresh_pairs([pair_id])


def _started_here(sender, origin) -> bool:
    """Whether a deletion started at this kind of row itself (an activity, an item, a
    plan, or a query set of them). Rows deleted with what holds them are left to it:
    a plan deleted with its items is recounted once, by the plan's own signal; a pair,
    program or organization deleted with everything under it takes its summary rows
    with it and must not be recounted half-deleted."""
    model = origin if isinstance(origin, type) else getattr(origin, "model", None) or type(origin)
    return model is sender


def _pair_of(instance):
    if hasattr(instance, "pair_id"):
        return instance.pair_id
    plan = instance._state.fields_cache.get("plan")  # an item whose plan is loaded
    if plan is not None:
        return plan.pair_id
    Plan = apps.get_model("programs", "Plan")
    return Plan.objects.filter(pk=instance.plan_id).values_list("pair_id", flat=True).first()


def _saved(sender, instance, **kwargs):
    # Fixtures loaded with loaddata (raw saves) are counted too: the recount reads only
    # what is already in the database.
    _note(instance)


def _deleted(sender, instance, origin=None, **kwargs):
    if origin is None or _started_here(sender, origin):
        _note(instance)


def connect_signals() -> None:
    """Called from ``ProgramsConfig.ready``."""
    for name in _COUNTED_MODELS:
        model = apps.get_model("programs", name)
        post_save.connect(_saved, sender=model, dispatch_uid=f"pairyear-save-{name}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"pairyear-delete-{name}")
