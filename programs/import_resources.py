"""The spreadsheet resources behind the workspace's "Import from Excel": the admin's
OrganizationResource and PairResource, restricted to what the importing user may
change.

- Schools: every row is a school (the sheet has no "kind" column); it must be managed
  by one of the user's offices (by default their only office), and a code that
  already belongs to a unit outside the user's scope is refused.
- Pairs: one side must be a unit the user manages; a new pair is registered as
  ``pair_register`` registers it (proposed, or active when the user may answer for
  both sides; the other side told), so an import behaves exactly like the form: in
  bulk by ``programs.bulk`` (its checks and messages, every row at once), or through
  ``pair_register`` itself row by row. The status is not imported: it moves only by
  the other side's answer, so importing the same sheet again changes nothing.

Errors are raised as ValidationError against the field, so the preview names the
row and the column.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from programs.bulk import check_registration, register_pairs
from programs.models import Program
from programs.resources import PairResource
from programs.services.pairs import pair_register
from schools.models import Organization
from schools.resources import OrganizationResource
from schools.scope import scope_for
from twinning.lib.resources import KetNghiaResource
from twinning.lib.text import nfc

# The admin's columns but the kind: every row of this sheet is a school.
SCHOOL_COLUMNS = tuple(name for name in OrganizationResource.Meta.fields if name != "kind")
PAIR_COLUMNS = ("program", "mentor", "mentee", "parent", "started_on", "note")


def _add_error(errors: dict, field: str, message: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message))


def _memoize(field, key=lambda value, row: value):
    """Remembers what the field's widget found for each cell text during one import
    (a sheet names the same office or district on every row): one lookup per distinct
    text instead of one per row. Resources are built per import, so nothing outlives it."""
    clean = field.widget.clean
    found = {}

    def cached(value, row=None, **kwargs):
        k = key(value, row)
        if k not in found:
            try:
                found[k] = (clean(value, row=row, **kwargs), None)
            except ValueError as error:
                found[k] = (None, error)
        result, error = found[k]
        if error is not None:
            raise error
        return result

    field.widget.clean = cached


class WorkspaceSchoolResource(OrganizationResource):
    """Schools imported by an office officer (or department staff) from the workspace."""

    # Columns a sheet must have to be recognised as a sheet of schools.
    required_columns = ("code", "name", "level")

    class Meta(OrganizationResource.Meta):
        fields = SCHOOL_COLUMNS
        skip_html_diff = True  # the preview lists rows, not diffs

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.managed_ids = set(Organization.objects.editable_by(user).values_list("pk", flat=True))
        offices = list(Organization.objects.filter(pk__in=scope_for(user).manager_ids))
        self.default_office = offices[0] if len(offices) == 1 else None
        province = self.fields["province"].column_name
        _memoize(self.fields["area"], key=lambda value, row: (value, (row or {}).get(province)))
        _memoize(self.fields["parent"])

    # With what the row's columns show, so comparing it costs no query per column.
    instance_queryset_related = ("parent", "area", "province")

    def import_instance(self, instance, row, **kwargs):
        existing = instance.pk is not None
        original_kind = instance.kind
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        foreign = existing and instance.pk not in self.managed_ids
        if foreign:
            _add_error(
                errors,
                "code",
                _("The code %(code)s belongs to “%(unit)s”, which your unit does not manage.")
                % {"code": instance.code, "unit": instance.name},
            )
        elif existing and original_kind != Organization.Kind.SCHOOL:
            _add_error(
                errors,
                "code",
                _("The code %(code)s belongs to “%(unit)s”, which is not a school.")
                % {"code": instance.code, "unit": instance.name},
            )
        instance.kind = Organization.Kind.SCHOOL
        if instance.parent_id is None and "parent" not in errors and self.default_office is not None:
            instance.parent = self.default_office
        if instance.parent_id is None:
            if "parent" not in errors:
                _add_error(
                    errors,
                    "parent",
                    _(
                        "Write the body that manages the school (a commune People's Committee, a district office "
                        "or a Department)."
                    ),
                )
        elif instance.parent_id not in self.managed_ids and not foreign:
            _add_error(
                errors,
                "parent",
                _("%(school)s is not managed by your unit: “%(parent)s” is outside your scope.")
                % {"school": instance.name or instance.code, "parent": instance.parent.name},
            )
        if instance.area_id is None and instance.parent_id and instance.parent.area_id and "area" not in errors:
            instance.area = instance.parent.area  # a school lies in its office's district by default
        elif instance.area_id and instance.parent_id and instance.parent.area_id and "area" not in errors:
            # A school lies in the province of the body that manages it: an officer's sheet
            # cannot place a school in another province (where other staff manage it).
            own, placed = instance.parent.area.province(), instance.area.province()
            if own is not None and placed is not None and own.pk != placed.pk:
                _add_error(
                    errors,
                    "area",
                    _("“%(area)s” is in %(province)s; schools managed by %(parent)s lie in %(own)s.")
                    % {"area": instance.area, "province": placed.name, "parent": instance.parent.name, "own": own.name},
                )
        if errors:
            raise ValidationError(errors)


class WorkspacePairResource(PairResource):
    """Pairs imported by an office officer (or department staff) from the workspace."""

    required_columns = ("mentor", "mentee")

    class Meta(PairResource.Meta):
        fields = PAIR_COLUMNS
        skip_html_diff = True

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.managed_ids = set(Organization.objects.editable_by(user).values_list("pk", flat=True))
        self.programs = Program.objects.open_for_registration_by(user)
        programs = list(self.programs)
        self.program_ids = {program.pk for program in programs}
        self.default_program = programs[0] if len(programs) == 1 else None
        for name in ("program", "mentor", "mentee", "parent"):
            _memoize(self.fields[name])

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        # The program is part of a pair's natural key: a sheet without the column
        # imports into the user's only program.
        column = self.fields["program"].column_name
        if column not in (dataset.headers or []):
            dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, **kwargs):
        # PairResource fills in a status; here the status is not imported at all.
        KetNghiaResource.before_import_row(self, row, **kwargs)
        column = self.fields["program"].column_name
        if not nfc(str(row.get(column) or "")) and self.default_program is not None:
            row[column] = self.default_program.slug

    def import_instance(self, instance, row, **kwargs):
        existing = instance.pk is not None
        original_parent = instance.parent if existing else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if existing and not nfc(str(row.get(self.fields["parent"].column_name) or "")):
            # An empty partnership cell keeps the partnership found at registration.
            instance.parent = original_parent
        if "program" not in errors:
            if instance.program_id is None:
                _add_error(errors, "program", _("Write the program (its name as listed in the template)."))
            elif instance.program_id not in self.program_ids:
                _add_error(
                    errors,
                    "program",
                    _("You cannot register pairs in the program “%(program)s”.") % {"program": instance.program},
                )
        if instance.mentor_id and instance.mentee_id and "mentor" not in errors and "mentee" not in errors:
            if not ({instance.mentor_id, instance.mentee_id} & self.managed_ids):
                _add_error(
                    errors,
                    "mentor",
                    _("Neither %(mentor)s nor %(mentee)s is managed by your unit.")
                    % {"mentor": instance.mentor.name, "mentee": instance.mentee.name},
                )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A new pair is checked as pair_register checks it (with the duplicate check
        # next to the "helped side" column), in bulk; an existing one by the model.
        if instance.pk is None:
            check_registration(self, instance, import_validation_errors)
            return
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def bulk_save(self, created, changed, user=None):
        """The rows checked by twinning.lib.bulk_import: new pairs registered as
        pair_register registers them, changed ones saved by the user."""
        register_pairs(created, [pair for pair, _before in changed], user=self.user)

    def do_instance_save(self, instance, is_create):
        if is_create:
            pair = pair_register(
                user=self.user,
                program=instance.program,
                mentor=instance.mentor,
                mentee=instance.mentee,
                parent=instance.parent,
                started_on=instance.started_on,
                note=instance.note,
            )
            for name in ("pk", "code", "status", "parent_id", "proposed_by_org_id"):
                setattr(instance, name, getattr(pair, name))
            return
        instance._history_user = self.user
        instance.save()


def resource_for(kind: str, user):
    """The workspace resource for ``kind`` ("schools" or "pairs")."""
    return {"schools": WorkspaceSchoolResource, "pairs": WorkspacePairResource}[kind](user=user)
