"""Pairs and donations imported in bulk (twinning.lib.bulk_import), with what a save of
each would do.

``PairImport`` and ``DonationImport`` are the import side of ``PairResource`` and
``DonationResource``: before the rows, the sheet's programs, units, pairs and
donation codes are looked up at once (``LookupWidget.prefetch``, one query per
batch of texts), then each row is found and checked without a query of its own
(``bulk_checks.model_errors``: the model's checks and constraints, with the same
messages), and ``bulk_save`` writes the rows with their history records
(simple-history's bulk helpers, by the importing user). The same hooks serve
import-export's row-by-row import, which registers each row as it is saved.

The workspace registers new pairs as ``services.pairs.pair_register`` does, for every
row at once: ``check_registration`` sets and checks what it sets (the status, who
registered the pair and for which unit, the office partnership) with its messages,
and ``register_pairs`` writes them and tells the other sides, as
``notices.pair_proposed`` tells them of each pair.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programs.models import Donation, Pair
from programs.reports.cache import data_changed
from schools.models import Organization
from twinning.lib.bulk_checks import chunks, ci_index, db_upper, model_errors
from twinning.lib.codes import new_code
from twinning.lib.text import nfc

BATCH = 2000
DECLINED = Pair.Status.DECLINED

# How people write a pair's status and a donation's kind and nature in a sheet.
STATUS_ALIASES = {"đề xuất": "proposed", "đang hoạt động": "active", "kết thúc": "ended", "từ chối": "declined"}
DONATION_KIND_ALIASES = {
    "đỡ đầu": "sponsorship",
    "suất quà": "gift",
    "quà": "gift",
    "học bổng": "scholarship",
    "thiết bị": "equipment",
    "sách": "books",
    "khác": "other",
}
DONATION_NATURE_ALIASES = {"tiền": "money", "tiền mặt": "money", "hiện vật": "in_kind", "vật": "in_kind"}


def save_rows(model, created: list, changed: list, *, user=None) -> None:
    """Inserts ``created`` and writes every column of ``changed`` (as ``save()`` does,
    ``auto_now`` included), each with its history record by ``user``. No signal is
    sent: the reports' kept figures are told here (``data_changed``)."""
    if created or changed:
        data_changed()
    if created:
        bulk_create_with_history(created, model, batch_size=BATCH, default_user=user)
    if changed:
        now = timezone.now()
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        for obj in changed:
            for field in fields:
                if getattr(field, "auto_now", False):
                    setattr(obj, field.attname, now)
        bulk_update_with_history(changed, model, [f.name for f in fields], batch_size=BATCH, default_user=user)


# --- pairs ------------------------------------------------------------------------------


class PairIndex:
    """The pairs that are not declined, by (program, helping side, helped side), for
    the units of a sheet: loaded at once for the units asked, then for any other unit
    asked later; the pairs of the sheet are added as its rows are accepted."""

    def __init__(self):
        self.pairs: dict[tuple, Pair] = {}
        self.loaded: set[int] = set()

    def load(self, unit_ids) -> None:
        wanted = sorted({pk for pk in unit_ids if pk} - self.loaded)
        if not wanted:
            return
        self.loaded.update(wanted)
        pairs = Pair.objects.exclude(status=DECLINED).select_related("mentor", "mentee", "parent").order_by()
        for chunk in chunks(wanted):
            for pair in pairs.filter(mentor_id__in=chunk):
                self.pairs.setdefault((pair.program_id, pair.mentor_id, pair.mentee_id), pair)

    def get(self, program_id, mentor_id, mentee_id) -> Pair | None:
        self.load([mentor_id])
        pair = self.pairs.get((program_id, mentor_id, mentee_id))
        return pair if pair is not None and pair.status != DECLINED else None

    def add(self, pair: Pair) -> None:
        if pair.status != DECLINED and pair.program_id and pair.mentor_id and pair.mentee_id:
            self.pairs[(pair.program_id, pair.mentor_id, pair.mentee_id)] = pair


def _found(widget) -> list:
    return [obj for obj, error in getattr(widget, "_found", {}).values() if obj is not None]


class PairImport:
    """The import side of ``PairResource`` (see the module's docstring)."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.prefetch_lookups(dataset)
        units = _found(self.fields["mentor"].widget) + _found(self.fields["mentee"].widget)
        # The pairs of these units, of their managing bodies (the partnership a school
        # pair joins) and the other way round (a pair registered in reverse).
        self._pairs = PairIndex()
        self._pairs.load({unit.pk for unit in units} | {unit.parent_id for unit in units})

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        status_column = self.fields["status"].column_name
        if not str(row.get(status_column) or "").strip():
            row[status_column] = Pair.Status.PROPOSED

    def get_instance(self, instance_loader, row):
        # The natural key: the same two units in the same program, not counting a
        # declined proposal (which does not block registering them again).
        try:
            params = {name: self.fields[name].clean(row) for name in ("program", "mentor", "mentee")}
        except ValueError:
            return None
        if not all(params.values()):
            return None
        pairs = getattr(self, "_pairs", None)
        if pairs is None:  # called outside an import
            return Pair.objects.exclude(status=DECLINED).filter(**params).first()
        return pairs.get(params["program"].pk, params["mentor"].pk, params["mentee"].pk)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # A later row with the same key updates this pair (in import-export, it finds
        # the pair just saved; a declined one it does not find).
        if getattr(self, "_pairs", None) is not None:
            self._pairs.add(instance)

    def _exists_other(self, constraint, instance) -> bool:
        """The unique pair in a program, checked against the pairs of the sheet's units
        and the rows before (the one constraint of Pair that compares rows)."""
        if getattr(self, "_pairs", None) is None or constraint.name != "programs_pair_unique_in_program":
            return (
                Pair.objects.filter(
                    program_id=instance.program_id, mentor_id=instance.mentor_id, mentee_id=instance.mentee_id
                )
                .exclude(status=DECLINED)
                .exclude(pk=instance.pk)
                .exists()
            )
        other = self._pairs.get(instance.program_id, instance.mentor_id, instance.mentee_id)
        return other is not None and other is not instance and (instance.pk is None or other.pk != instance.pk)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        memo = self.__dict__.setdefault("_clean_memo", {})
        errors = model_errors(instance, import_validation_errors, exists_other=self._exists_other, memo=memo)
        if errors:
            raise ValidationError(errors)

    def bulk_save(self, created, changed, user=None):
        """Writes the rows checked by twinning.lib.bulk_import in bulk."""
        save_pairs(created, [pair for pair, _before in changed], user=user)


def save_pairs(created: list[Pair], changed: list[Pair], *, user=None) -> None:
    """What ``Pair.save`` does for each pair (the copies of the sides' kinds), in bulk,
    with the history records by ``user``. A school pair joining a partnership of the
    same sheet is inserted after it."""
    for pair in (*created, *changed):
        pair._sync_kinds()
    remaining = list(created)
    while remaining:
        ready = [pair for pair in remaining if pair.parent is None or pair.parent.pk is not None]
        if not ready:  # a partnership of partnerships: refused by Pair.clean
            raise ValidationError(_("A pair cannot belong to itself."))
        for pair in ready:
            pair.parent = pair.parent  # the partnership's id, now that it has one
        save_rows(Pair, ready, [], user=user)
        remaining = [pair for pair in remaining if pair.pk is None]
    save_rows(Pair, [], changed, user=user)
    for pair in (*created, *changed):
        pair._loaded_sides = (pair.mentor_id, pair.mentee_id)


# --- registering pairs from the workspace (services.pairs.pair_register) -------------------


def _registering_unit_id(resource, scope, side: Organization) -> int | None:
    """As ``services.pairs._registering_unit``, by id: the unit on whose behalf the
    user registers a pair with ``side``."""
    if scope.is_superuser:
        return side.parent_id if side.kind == Organization.Kind.SCHOOL and side.parent_id else side.pk
    if side.pk in scope.officer_ids:
        return side.pk
    if side.parent_id in scope.manager_ids:
        return side.parent_id
    if side.cluster_id and side.cluster_id in scope.cluster_ids:
        return side.cluster_id
    if not hasattr(resource, "_department_id"):
        department = Organization.objects.filter(pk__in=scope.department_ids).order_by("pk").first()
        resource._department_id = department.pk if department else None
    return resource._department_id


def _matching_partnership(pairs: PairIndex, program_id, mentor, mentee) -> Pair | None:
    """As ``services.pairs.matching_partnership``, from the index."""
    if mentor.kind != Organization.Kind.SCHOOL or not (mentor.parent_id and mentee.parent_id):
        return None
    if mentor.parent_id == mentee.parent_id:
        return None
    return pairs.get(program_id, mentor.parent_id, mentee.parent_id)


def check_registration(resource, instance: Pair, import_errors=None) -> None:
    """For a new pair of the workspace's sheet (``resource``: its user, ``managed_ids``,
    ``program_ids`` and the pairs of the sheet's units): sets what ``pair_register``
    will set and raises what it would raise, with the same messages and fields."""
    from schools.scope import scope_for

    if import_errors:
        raise ValidationError(import_errors)
    user, pairs = resource.user, resource._pairs
    scope = scope_for(user)
    mentor, mentee = instance.mentor, instance.mentee
    if instance.program_id not in resource.program_ids:
        raise ValidationError({"program": _("You cannot register pairs in this program.")})
    managed = {mentor.pk, mentee.pk} & resource.managed_ids
    if not managed:
        raise ValidationError(
            {
                "mentor": _("At least one side must be a unit you manage.")
                if not scope.is_department
                else _("At least one side must be a unit of your province.")
            }
        )
    own_side = mentor if mentor.pk in managed else mentee
    if instance.parent_id is None and instance.parent is None:
        instance.parent = _matching_partnership(pairs, instance.program_id, mentor, mentee)
    instance.note = nfc(instance.note) if instance.note else ""
    instance.status = Pair.Status.PROPOSED
    instance.proposed_by = user
    instance.proposed_by_org_id = _registering_unit_id(resource, scope, own_side)
    if scope.is_superuser or managed == {mentor.pk, mentee.pk}:
        instance.status = Pair.Status.ACTIVE
        instance.decided_by = user
        instance.decided_at = timezone.now()
        instance.started_on = instance.started_on or timezone.localdate()
    errors = model_errors(instance, validate_constraints=False, memo=resource.__dict__.setdefault("_clean_memo", {}))
    if errors:
        raise ValidationError(errors)
    same = pairs.get(instance.program_id, mentor.pk, mentee.pk)
    if same is not None and same is not instance:
        raise ValidationError({"mentee": _("This pair is already registered in this program.")})
    reverse_pair = pairs.get(instance.program_id, mentee.pk, mentor.pk)
    if reverse_pair is not None:
        raise ValidationError(
            {
                "mentee": _("These two units are already paired in this program the other way round (%(pair)s).")
                % {"pair": reverse_pair}
            }
        )


def register_pairs(created: list[Pair], changed: list[Pair], *, user) -> None:
    """Writes the pairs checked by ``check_registration`` (and the pairs of the sheet
    that changed), then tells who may answer each proposal."""
    save_pairs(created, changed, user=user)
    notify_proposals([pair for pair in created if pair.status == Pair.Status.PROPOSED], user)


def notify_proposals(pairs: list[Pair], actor) -> None:
    """``notices.pair_proposed`` for each pair, in a few queries: the candidates of
    every pair at once (``notices.candidates``), each candidate's pairs to answer in
    one query (``answerable_by``), and the notifications recorded and e-mailed as
    ``notifications.services.notify`` records and e-mails them."""
    from django.contrib.auth import get_user_model

    from notifications.models import Notification
    from programs.notices import pair_name

    if not pairs:
        return
    candidates = _candidates(pairs, actor)
    users = {}
    for chunk in chunks(sorted(set().union(*candidates))):
        users.update((user.pk, user) for user in get_user_model().objects.filter(is_active=True, pk__in=chunk))
    answers = {}  # user id: the pairs of the sheet waiting for their answer
    for user_id, user in users.items():
        mine = sorted(pair.pk for pair, ids in zip(pairs, candidates, strict=True) if user_id in ids)
        answers[user_id] = set()
        for chunk in chunks(mine):
            answers[user_id].update(Pair.objects.answerable_by(user).filter(pk__in=chunk).values_list("pk", flat=True))
    rows = []
    for pair, ids in zip(pairs, candidates, strict=True):
        subject = pair_name(pair)[:300]
        link = reverse("workspace:pair-detail", kwargs={"code": pair.code})[:300]
        for user_id in sorted(ids):
            if user_id in users and pair.pk in answers[user_id]:
                rows.append(
                    Notification(user=users[user_id], kind=Notification.Kind.PAIR_TO_ANSWER, subject=subject, link=link)
                )
    _record_and_email(rows)


def _candidates(pairs, actor) -> list[set]:
    """For each pair, the ids of the people who might answer it (as
    ``notices.candidates`` reads them): those holding a role in either side, its
    managing body or cluster, or the Department of either side's province; never the
    actor. Two queries per 1 000 units or provinces."""
    from schools.models import Membership

    reach = []  # (units, provinces) of each pair
    for pair in pairs:
        units, provinces = set(), set()
        for side in (pair.mentor, pair.mentee):
            units.update(pk for pk in (side.pk, side.parent_id, side.cluster_id) if pk)
            if side.province_id:
                provinces.add(side.province_id)
        reach.append((units, provinces))
    by_unit, by_province = {}, {}
    held = Membership.objects.current()
    for chunk in chunks(sorted(set().union(*(units for units, _p in reach)))):
        for user_id, unit_id in held.filter(organization__in=chunk).values_list("user_id", "organization_id"):
            by_unit.setdefault(unit_id, set()).add(user_id)
    for chunk in chunks(sorted(set().union(*(provinces for _u, provinces in reach)))):
        departments = held.filter(organization__kind=Organization.Kind.DEPARTMENT, organization__province_id__in=chunk)
        for user_id, province_id in departments.values_list("user_id", "organization__province_id"):
            by_province.setdefault(province_id, set()).add(user_id)
    candidates = []
    for units, provinces in reach:
        ids = set().union(*(by_unit.get(pk, ()) for pk in units), *(by_province.get(pk, ()) for pk in provinces))
        candidates.append(ids - {actor.pk})
    return candidates


def _record_and_email(rows) -> None:
    """Stores the notifications and, after the commit, e-mails those whose reader
    wants each one at once and has an address."""
    from django.db import transaction

    from notifications.models import EmailChoice, Notification

    if not rows:
        return
    rows = Notification.objects.bulk_create(rows, batch_size=BATCH)
    later_or_never = set()
    for chunk in chunks(sorted({row.user_id for row in rows})):
        choices = EmailChoice.objects.filter(user__in=chunk).exclude(mode=EmailChoice.Mode.IMMEDIATE)
        later_or_never.update(choices.values_list("user_id", flat=True))
    ids = [row.pk for row in rows if row.user.email and row.user_id not in later_or_never]
    if ids:
        from notifications.tasks import send_notification

        transaction.on_commit(lambda: [send_notification.enqueue(pk) for pk in ids])


# --- donations --------------------------------------------------------------------------


class DonationImport:
    """The import side of ``DonationResource`` (see the module's docstring): rows are
    matched by their code, in any case, as ``code__iexact`` matches them."""

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = self.fields["code"].column_name
        if column not in (dataset.headers or []):
            dataset.append_col([""] * len(dataset), header=column)
        self.prefetch_lookups(dataset)
        codes = {nfc(str(self.cell(value) or "")) for value in dataset[column]} - {""}
        self._uppers = db_upper(codes)
        donations = Donation.objects.select_related("program", "pair", "donor_org", "recipient")
        self._donations = {
            key: max(found, key=lambda d: (d.given_on, d.pk))  # .first() in the model's order
            for key, found in ci_index(donations, "code", self._uppers.values()).items()
        }

    def _code_key(self, code: str) -> str:
        if code not in self._uppers:
            self._uppers.update(db_upper([code]))
        return self._uppers[code]

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # A new donation has no code yet: give it one, so the exported sheet can be
        # re-imported to update it.
        column = self.fields["code"].column_name
        if not nfc(str(row.get(column) or "")):
            row[column] = new_code()
        # "Given as" left empty: in kind when the row names items, else money.
        nature = self.fields["nature"].column_name
        if nature in row and not str(row.get(nature) or "").strip():
            items = any(
                str(row.get(self.fields[name].column_name) or "").strip() for name in ("quantity", "unit_label")
            )
            row[nature] = Donation.Nature.IN_KIND if items else Donation.Nature.MONEY

    def get_instance(self, instance_loader, row):
        code = nfc(str(row.get(self.fields["code"].column_name) or ""))
        if not code:
            return None
        if getattr(self, "_donations", None) is None:  # called outside an import
            return Donation.objects.filter(code__iexact=code).first()
        return self._donations.get(self._code_key(code))

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        code = nfc(str(instance.code or ""))
        if getattr(self, "_donations", None) is not None and code:
            self._donations[self._code_key(code)] = instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The code is unique: rows are matched by it (or it is made at random).
        errors = model_errors(instance, import_validation_errors, memo=self.__dict__.setdefault("_clean_memo", {}))
        if errors:
            raise ValidationError(errors)

    def bulk_save(self, created, changed, user=None):
        """Writes the rows checked by twinning.lib.bulk_import in bulk."""
        save_rows(Donation, created, [donation for donation, _before in changed], user=user)
