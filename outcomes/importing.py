"""The Department's Excel sheet of indicator values: one row per school and school
year, a column per indicator. Every row is checked first, with a message naming the
row and the column; a sheet with any bad row saves nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from outcomes.models import Indicator, IndicatorValue
from outcomes.services import (
    enterable_schools,
    lock_school_pairs,
    may_enter,
    number_rule,
    pairs_of,
    parse_value,
    refresh_gaps,
)
from programs.services.imports import Sheet
from schools.scope import scope_for
from twinning.lib.schoolyear import parse_school_year
from twinning.lib.text import fold, nfc

CODE, NAME, YEAR = "code", "name", "year"


def fixed_headers() -> dict[str, str]:
    return {CODE: _("School code"), NAME: _("School name"), YEAR: _("School year")}


def column_title(indicator: Indicator, own: bool = True) -> str:
    """The indicator's column header: its name and unit, and the Department that
    defined it when that is not the user's own (a pair across provinces)."""
    title = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
    return title if own else f"{title} – {indicator.owner.name}"


def importable_indicators(user) -> list[Indicator]:
    """The indicators (in use) of the Departments of the user's provinces, and of the
    Departments organizing the programs the user sees (a pair across provinces is
    measured on the organizers' indicators): the user's own first."""
    from programs.models import Program

    scope = scope_for(user)
    found = Indicator.objects.filter(is_active=True).select_related("owner")
    provinces = set(scope.province_ids) | set(scope.manager_province_ids)
    if not scope.is_superuser:
        organizers = Program.objects.visible_to(user).values("organizers__pk")
        found = found.filter(Q(owner__province_id__in=provinces) | Q(owner__in=organizers)).distinct()
    rows = list(found)
    for indicator in rows:
        indicator.own = scope.is_superuser or indicator.owner.province_id in provinces
    return sorted(rows, key=lambda i: (not i.own, i.owner.name, i.order, i.pk))


@dataclass
class Outcome:
    """What an import found: the errors, the values created and changed, the rows read."""

    errors: list[str] = field(default_factory=list)
    created: int = 0
    changed: int = 0
    rows: int = 0


def _columns(headers, indicators):
    """{column index: CODE/NAME/YEAR or Indicator} and the errors of the header row."""
    fixed = {fold(title): key for key, title in fixed_headers().items()}
    by_title: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        titles = {column_title(indicator, own=False)}
        if indicator.own:
            titles |= {column_title(indicator), indicator.name, indicator.code}
        for title in titles:
            by_title.setdefault(fold(title), []).append(indicator)
    columns, errors = {}, []
    for index, header in enumerate(headers):
        key = fold(nfc(str(header or ""))).strip()
        if not key:
            continue
        if key in fixed:
            columns[index] = fixed[key]
        elif key in by_title:
            matches = {i.pk: i for i in by_title[key]}
            if len(matches) > 1:
                errors.append(
                    _("Column “%(column)s” matches indicators of several Departments: use its code.")
                    % {"column": header}
                )
            else:
                columns[index] = next(iter(matches.values()))
        else:
            errors.append(_("Column “%(column)s” is not an indicator of your Department.") % {"column": header})
    missing = [title for key, title in fixed_headers().items() if key != NAME and key not in columns.values()]
    for title in missing:
        errors.append(_("The sheet has no column “%(column)s”.") % {"column": title})
    if not any(isinstance(c, Indicator) for c in columns.values()):
        errors.append(_("The sheet has no indicator column. Start from the template."))
    return columns, errors


def _schools_by_name(user, dataset, code_col, name_col) -> dict[str, list]:
    """{folded name: [schools]} for the rows without a code (one query, if any)."""
    if name_col is None:
        return {}
    names = {nfc(str(row[name_col] or "")).strip() for row in dataset if not str(row[code_col] or "").strip()} - {""}
    if not names:
        return {}
    found: dict[str, list] = {}
    for school in enterable_schools(user).filter(name__in=names):
        found.setdefault(fold(school.name), []).append(school)
    return found


def import_values(*, user, sheet: Sheet, dry_run: bool = False) -> Outcome:
    """Checks every row of ``sheet`` and, when none is bad and not ``dry_run``, saves
    all its values in one transaction (new, changed; an empty cell changes nothing)
    and refreshes the gaps of the schools' pairs."""
    outcome = Outcome()
    columns, errors = _columns(sheet.dataset.headers or [], importable_indicators(user))
    if errors:
        outcome.errors = errors
        return outcome
    wanted = _RowReader(user, sheet.dataset, columns).read(sheet, outcome)
    if outcome.errors or dry_run or not wanted:
        return outcome
    _save(user, wanted, outcome)
    return outcome


def _cell_text(row, col) -> str:
    """A cell as stripped NFC text ("" when empty)."""
    return nfc(str(row[col] or "")).strip()


class _RowReader:
    """Reads the rows of a sheet whose header row ``_columns`` accepted: which school,
    which year, which values. Each problem is a message naming the row (and column)."""

    def __init__(self, user, dataset, columns: dict):
        self.user, self.columns = user, columns
        self.code_col = next(i for i, c in columns.items() if c == CODE)
        self.year_col = next(i for i, c in columns.items() if c == YEAR)
        self.name_col = next((i for i, c in columns.items() if c == NAME), None)
        codes = {_cell_text(row, self.code_col).upper() for row in dataset} - {""}
        self.schools = {s.code: s for s in enterable_schools(user).filter(code__in=codes)}
        self.by_name = _schools_by_name(user, dataset, self.code_col, self.name_col)

    def read(self, sheet: Sheet, outcome: Outcome) -> dict:
        """{(school id, indicator id, year): value} of every good cell; the errors go in
        ``outcome.errors`` and the rows read (one per school and year) in ``outcome.rows``."""
        wanted: dict[tuple, object] = {}
        seen = {}  # (school id, year) → the row it was first on
        for index, row in enumerate(sheet.dataset):
            number = sheet.row_numbers[index] if index < len(sheet.row_numbers) else index + 2
            school = self.school(row, number, outcome.errors)
            if school is None:
                continue
            year = self.year(row, number, outcome.errors)
            if year is None:
                continue
            if (school.pk, year) in seen:
                outcome.errors.append(
                    _("Row %(row)s: %(school)s, %(year)s is already on row %(first)s.")
                    % {"row": number, "school": school.name, "year": year, "first": seen[(school.pk, year)]}
                )
                continue
            seen[(school.pk, year)] = number
            outcome.rows += 1
            for indicator_id, value in self.values(row, number, school, outcome.errors):
                wanted[(school.pk, indicator_id, year)] = value
        return wanted

    def school(self, row, number, errors: list):
        """The row's school, by its code or, without one, by its exact name; None (and an
        error) when neither finds exactly one of the user's schools."""
        code = _cell_text(row, self.code_col).upper()
        if code:
            school = self.schools.get(code)
            if school is None:
                errors.append(
                    _("Row %(row)s: no school with the code “%(code)s” among the schools you enter values for.")
                    % {"row": number, "code": code}
                )
            return school
        # A school without a code in the portal is found by its exact name.
        name = _cell_text(row, self.name_col) if self.name_col is not None else ""
        found = self.by_name.get(fold(name), []) if name else []
        if len(found) == 1:
            return found[0]
        message = (
            _("Row %(row)s: the school code is empty.")
            if not name
            else _("Row %(row)s: no code, and “%(name)s” does not name exactly one of your schools.")
        )
        errors.append(message % {"row": number, "name": name})
        return None

    def year(self, row, number, errors: list) -> str | None:
        """The row's school year ("2024-2025"; an en dash is read as a hyphen), or None
        and an error."""
        try:
            return parse_school_year(str(row[self.year_col] or "").strip().replace("–", "-"))
        except ValidationError:
            errors.append(
                _("Row %(row)s, column “%(column)s”: write the school year as 2024-2025.")
                % {"row": number, "column": fixed_headers()[YEAR]}
            )
            return None

    def values(self, row, number, school, errors: list) -> list[tuple[int, object]]:
        """[(indicator id, value)] of the row's filled indicator cells that the user may
        enter for ``school``; an error for each cell that is bad or not theirs."""
        found = []
        for col, indicator in self.columns.items():
            if not isinstance(indicator, Indicator):
                continue
            try:
                value = parse_value(row[col], indicator)
            except ValidationError as error:
                errors.append(
                    _("Row %(row)s, column “%(column)s”: %(message)s")
                    % {"row": number, "column": column_title(indicator), "message": " ".join(error.messages)}
                )
                continue
            if value is None:
                continue
            problem = self.refusal(number, school, indicator)
            if problem:
                errors.append(problem)
            else:
                found.append((indicator.pk, value))
        return found

    def refusal(self, number, school, indicator: Indicator) -> str:
        """Why the user may not give ``school`` a value of ``indicator``, as the row's
        error ("" when they may)."""
        if not indicator.applies_to(school):
            return _("Row %(row)s, column “%(column)s”: this indicator is not used for %(level)s schools.") % {
                "row": number,
                "column": column_title(indicator),
                "level": school.get_level_display().lower(),
            }
        if not may_enter(self.user, school, indicator):
            return _("Row %(row)s, column “%(column)s”: this indicator is entered by %(who)s.") % {
                "row": number,
                "column": column_title(indicator),
                "who": indicator.get_entered_by_display().lower(),
            }
        return ""


@transaction.atomic
def _save(user, wanted: dict, outcome: Outcome) -> None:
    """Writes ``wanted`` (new rows and changed ones, with their history), counts them in
    ``outcome`` and refreshes the gaps of the schools' pairs, in one transaction."""
    keys = set(wanted)
    school_ids = {k[0] for k in keys}
    lock_school_pairs(pairs_of(school_ids))  # first: see lock_school_pairs
    existing = {
        (v.school_id, v.indicator_id, v.school_year): v
        for v in IndicatorValue.objects.select_for_update().filter(
            school_id__in=school_ids, indicator_id__in={k[1] for k in keys}, school_year__in={k[2] for k in keys}
        )
    }
    new, changed = [], []
    for key, value in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(
                IndicatorValue(school_id=key[0], indicator_id=key[1], school_year=key[2], value=value, entered_by=user)
            )
        elif row.value != value or row.is_illustrative:
            row.value, row.entered_by, row.is_illustrative = value, user, False
            changed.append(row)
    if new:
        bulk_create_with_history(new, IndicatorValue, batch_size=1000, default_user=user)
    if changed:
        bulk_update_with_history(
            changed, IndicatorValue, ["value", "entered_by", "is_illustrative"], batch_size=1000, default_user=user
        )
    outcome.created, outcome.changed = len(new), len(changed)
    refresh_gaps(school_ids=school_ids, indicator_ids={k[1] for k in keys})


def template_workbook(user) -> bytes:
    """The sheet to fill: the fixed columns and one per indicator, the schools the user
    enters values for (up to 5 000, by name), and an instruction sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from twinning.lib.collation import vi_order

    indicators = importable_indicators(user)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Values")
    headers = [fixed_headers()[CODE], fixed_headers()[NAME], fixed_headers()[YEAR]] + [
        column_title(i, own=i.own) for i in indicators
    ]
    sheet.append(headers)
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F3EF")
        sheet.column_dimensions[cell.column_letter].width = 14 if index != 2 else 40
    sheet.freeze_panes = "D2"
    schools = enterable_schools(user).filter(valid_until__isnull=True)
    for school in schools.order_by(vi_order("name"))[:5000]:
        sheet.append([school.code, school.name, ""])
    guide = book.create_sheet(_("Instructions"))
    guide.append([_("Column"), _("What to write")])
    guide.append(
        [fixed_headers()[CODE], _("The school's code, as in the portal; a school without a code is found by its name.")]
    )
    guide.append([fixed_headers()[YEAR], _("The school year, e.g. 2024-2025. One row per school and year.")])
    guide.append([_("How to write numbers"), number_rule()])
    for indicator in indicators:
        rule = indicator.get_direction_display()
        if indicator.minimum is not None or indicator.maximum is not None:
            low = "…" if indicator.minimum is None else f"{indicator.minimum.normalize():f}"
            high = "…" if indicator.maximum is None else f"{indicator.maximum.normalize():f}"
            rule += f"; {low} – {high}"
        guide.append([column_title(indicator, own=indicator.own), f"{indicator.owner.name}. {rule}."])
    guide.append([])
    guide.append(
        [
            _(
                "An empty cell changes nothing. A sheet with any bad row saves nothing: "
                "fix the rows listed and upload it again."
            )
        ]
    )
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 80
    for cell in guide[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
