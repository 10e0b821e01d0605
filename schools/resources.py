"""Spreadsheet import and export of organizations, keyed by official code: importing
the same sheet twice updates the rows instead of duplicating them."""

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from schools.models import Area, Organization
from twinning.lib.admin_import import SheetRowsResource
from twinning.lib.resources import ChoicesWidget, KetNghiaResource, LookupWidget, PositiveCountWidget
from twinning.lib.text import nfc

KIND_ALIASES = {
    "sở": "department",
    "so gd&dt": "department",
    "phòng": "office",
    "phòng gd&đt": "office",
    "trường": "school",
    "công đoàn": "union",
    "khác": "other",
}
LEVEL_ALIASES = {
    "mn": "preschool",
    "mầm non": "preschool",
    "th": "primary",
    "tiểu học": "primary",
    "thcs": "lower_secondary",
    "trung học cơ sở": "lower_secondary",
    "thpt": "upper_secondary",
    "trung học phổ thông": "upper_secondary",
    "liên cấp": "multi",
}
AREA_TYPE_ALIASES = {
    "thành thị": "urban",
    "đô thị": "urban",
    "nông thôn": "rural",
    "miền núi": "mountainous",
    "vùng sâu": "mountainous",
    "vùng sâu, vùng xa": "mountainous",
    "vùng khó khăn": "mountainous",
}


class OrganizationWidget(LookupWidget):
    """An organization by official code, else by exact full or short name."""

    lookups = ("code__iexact", "name__iexact", "short_name__iexact")

    def __init__(self, queryset=None, **kwargs):
        super().__init__(Organization, queryset=queryset, **kwargs)

    def not_found(self, text):
        return _("No unit with the code or name “%(value)s” was found.") % {"value": text}


class AreaWidget(LookupWidget):
    """The commune or ward (today's structure) or the district (before 1 July 2025)
    named in this column, inside the province named in the province column; the
    province itself when the column is left empty. A leading word (xã, phường, thị
    trấn, đặc khu / quận, huyện, thị xã) says which is meant; without one a commune
    that exists today is looked for first, then a district."""

    lookups = ("name__iexact",)
    province_column = None  # set by the resource
    COMMUNE_WORDS = ("xã ", "phường ", "thị trấn ", "đặc khu ")
    DISTRICT_WORDS = ("quận ", "huyện ", "thị xã ", "thành phố ")

    def __init__(self, **kwargs):
        super().__init__(Area, **kwargs)

    def _province(self, row):
        name = nfc(str((row or {}).get(self.province_column) or ""))
        if not name:
            return None
        for prefix in ("thành phố ", "tỉnh ", "tp. ", "tp "):
            if name.lower().startswith(prefix):
                name = name[len(prefix) :]
        province = (
            Area.objects.filter(kind=Area.Kind.PROVINCE, name__iexact=name)
            .order_by(F("valid_until").desc(nulls_first=True))
            .first()
        )
        if province is None:
            raise ValueError(_("No province “%(value)s” was found.") % {"value": name})
        return province

    def clean(self, value, row=None, **kwargs):
        province = self._province(row)
        text = nfc(str(value or ""))
        kinds = (Area.Kind.COMMUNE, Area.Kind.DISTRICT)
        for words, kind in ((self.COMMUNE_WORDS, Area.Kind.COMMUNE), (self.DISTRICT_WORDS, Area.Kind.DISTRICT)):
            for prefix in words:
                if text.lower().startswith(prefix):
                    text, kinds = text[len(prefix) :], (kind,)
        if not text:
            return province
        for kind in kinds:
            areas = Area.objects.filter(kind=kind, name__iexact=text)
            if kind == Area.Kind.COMMUNE:
                areas = areas.filter(valid_until__isnull=True)
                if province is not None:
                    areas = areas.filter(parent=province)
            elif province is not None:
                areas = areas.filter(parent=province)
            matches = list(areas[:2])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(
                    _("There are several places named “%(value)s”; fill in the province.") % {"value": text}
                )
        raise ValueError(_("No commune, ward or district “%(value)s” was found.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if value is None or value.kind == Area.Kind.PROVINCE:
            return ""
        return str(value)


class OrganizationResource(KetNghiaResource):
    code = fields.Field(attribute="code", column_name=gettext_lazy("Official code"))
    name = fields.Field(attribute="name", column_name=gettext_lazy("Name"))
    short_name = fields.Field(attribute="short_name", column_name=gettext_lazy("Short name"))
    kind = fields.Field(
        attribute="kind",
        column_name=gettext_lazy("Kind of unit"),
        widget=ChoicesWidget(Organization.Kind, aliases=KIND_ALIASES),
    )
    level = fields.Field(
        attribute="level",
        column_name=gettext_lazy("School level"),
        widget=ChoicesWidget(Organization.Level, aliases=LEVEL_ALIASES),
    )
    area_type = fields.Field(
        attribute="area_type",
        column_name=gettext_lazy("Area type"),
        widget=ChoicesWidget(Organization.AreaType, aliases=AREA_TYPE_ALIASES),
    )
    province = fields.Field(column_name=gettext_lazy("Province"), readonly=True)
    area = fields.Field(attribute="area", column_name=gettext_lazy("Commune, ward or district"), widget=AreaWidget())
    parent = fields.Field(attribute="parent", column_name=gettext_lazy("Managed by"), widget=OrganizationWidget())
    head_name = fields.Field(attribute="head_name", column_name=gettext_lazy("Head's name"))
    head_title = fields.Field(attribute="head_title", column_name=gettext_lazy("Head's title"))
    address = fields.Field(attribute="address", column_name=gettext_lazy("Address"))
    phone = fields.Field(attribute="phone", column_name=gettext_lazy("Phone"))
    email = fields.Field(attribute="email", column_name=gettext_lazy("E-mail"))
    student_count = fields.Field(
        attribute="student_count", column_name=gettext_lazy("Number of students"), widget=PositiveCountWidget()
    )
    teacher_count = fields.Field(
        attribute="teacher_count", column_name=gettext_lazy("Number of teachers"), widget=PositiveCountWidget()
    )
    note = fields.Field(attribute="note", column_name=gettext_lazy("Note"))

    class Meta(KetNghiaResource.Meta):
        model = Organization
        import_id_fields = ("code",)
        fields = (
            "code",
            "name",
            "short_name",
            "kind",
            "level",
            "area_type",
            "province",
            "area",
            "parent",
            "head_name",
            "head_title",
            "address",
            "phone",
            "email",
            "student_count",
            "teacher_count",
            "note",
        )

    # Sheets made before 1 July 2025 call the place column "Quận/huyện".
    AREA_ALIASES = ("quan/huyen", "quan huyen", "district", "xa/phuong", "xa phuong")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["area"].widget.province_column = self.fields["province"].column_name
        for alias in self.AREA_ALIASES:
            self._header_aliases.setdefault(alias, self.fields["area"].column_name)

    def get_queryset(self):
        return Organization.objects.select_related("area", "province", "parent")

    def dehydrate_province(self, organization):
        return organization.province.name if organization.province_id else ""

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        column = self.fields["code"].column_name
        if column in row:
            row[column] = nfc(str(row[column] or "")).upper()

    # Units already in the database are looked up by code once per sheet, in batches,
    # not once per row (codes are stored upper-case, so the unique index answers).
    instance_queryset_related = ()
    LOOKUP_BATCH = 2000

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._by_code = {}
        column = self.fields["code"].column_name
        if column not in (dataset.headers or []):
            return
        codes = sorted({nfc(str(value or "")).upper() for value in dataset[column]} - {""})
        # ``code <> ''`` lets PostgreSQL use the partial unique index: it cannot prove
        # it from a list of more than 100 codes (a scan of every unit per batch).
        queryset = Organization.objects.select_related(*self.instance_queryset_related).exclude(code="")
        for start in range(0, len(codes), self.LOOKUP_BATCH):
            for unit in queryset.filter(code__in=codes[start : start + self.LOOKUP_BATCH]):
                self._by_code[unit.code] = unit

    def get_instance(self, instance_loader, row):
        code = nfc(str(row.get(self.fields["code"].column_name) or "")).upper()
        if not code:
            return None
        by_code = getattr(self, "_by_code", None)
        if by_code is None:  # called outside import_data
            return Organization.objects.select_related(*self.instance_queryset_related).filter(code=code).first()
        return by_code.get(code)

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        # A later row of the same sheet with the same code updates this unit.
        if getattr(self, "_by_code", None) is not None and instance.code:
            self._by_code[instance.code] = instance

    def import_instance(self, instance, row, **kwargs):
        from django.core.exceptions import ValidationError

        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        message = self.unmatched_row_message(instance, row)
        if message:
            errors.setdefault("code", []).append(ValidationError(message, code="required"))
        if errors:
            raise ValidationError(errors)

    def unmatched_row_message(self, instance, row):
        """Why ``row`` names no unit to match, or None. Rows are matched by their
        official code, so it is required."""
        if nfc(str(row.get(self.fields["code"].column_name) or "")):
            return None
        return _("The official code is required: rows are matched by it.")

    def bulk_save(self, created, changed, user=None):
        """Writes the rows checked by twinning.lib.bulk_import in bulk."""
        from schools.bulk import save_units

        save_units(created, changed, user=user)

    # Checked without a query per row: the two check constraints are repeated, with
    # field messages, by Organization.clean(); the code is unique because rows are
    # matched by it (a second row with a code updates the unit of the first); a unit
    # or place found by its column's lookup exists; the slug is made unique on save (so
    # no unique check is left: the primary key is the database's).
    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        from django.core.exceptions import ValidationError

        from twinning.lib.bulk_checks import full_clean_errors

        errors = dict(import_validation_errors or {})
        looked_up = {name for name in ("area", "parent", "cluster") if getattr(instance, f"{name}_id", None)}
        # full_clean(exclude=…, validate_unique=False, validate_constraints=False), each
        # field's verdict on a value remembered for the sheet.
        memo = self.__dict__.setdefault("_clean_memo", {})
        for name, messages in full_clean_errors(instance, {*errors, *looked_up, "slug"}, memo).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class OrganizationAdminResource(SheetRowsResource, OrganizationResource):
    """The Django admin's import and export of units: the portal's columns, its row
    numbers and messages (``SheetRowsResource``) and, last, each unit's page address
    (its slug, as in /units/thcs-tay-mo/). A row without an official code is matched by
    that address, so a sheet exported here imports back even for the units that have
    no code (clusters, unions, schools whose code is not known yet). The address only
    finds the unit: it is never changed by an import, and a new unit needs its code."""

    slug = fields.Field(attribute="slug", column_name=gettext_lazy("Unit page address"), readonly=True)

    class Meta(OrganizationResource.Meta):
        fields = (*OrganizationResource.Meta.fields, "slug")

    def _row_code(self, row) -> str:
        return nfc(str(row.get(self.fields["code"].column_name) or "")).upper()

    def _row_slug(self, row) -> str:
        return nfc(str(row.get(self.fields["slug"].column_name) or "")).strip().lower()

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self._by_slug = {}
        code_column, slug_column = self.fields["code"].column_name, self.fields["slug"].column_name
        headers = dataset.headers or []
        if slug_column not in headers:
            return
        codes = dataset[code_column] if code_column in headers else [""] * len(dataset)
        slugs = sorted(
            {
                nfc(str(slug or "")).strip().lower()
                for code, slug in zip(codes, dataset[slug_column], strict=True)
                if not nfc(str(code or "")).strip()
            }
            - {""}
        )
        for start in range(0, len(slugs), self.LOOKUP_BATCH):
            for unit in Organization.objects.filter(slug__in=slugs[start : start + self.LOOKUP_BATCH]):
                self._by_slug[unit.slug] = unit

    def get_instance(self, instance_loader, row):
        if self._row_code(row):
            return super().get_instance(instance_loader, row)
        slug = self._row_slug(row)
        if not slug:
            return None
        by_slug = getattr(self, "_by_slug", None)
        if by_slug is None:  # called outside import_data
            return Organization.objects.filter(slug=slug).first()
        return by_slug.get(slug)

    def unmatched_row_message(self, instance, row):
        if self._row_code(row) or (instance.pk and self._row_slug(row)):
            return None
        slug = self._row_slug(row)
        if slug:
            return _("No unit has the page address “%(value)s”. Fill in the official code to add a new unit.") % {
                "value": slug
            }
        return _(
            "Fill in the official code, or the page address of a unit already in the portal: rows are matched by them."
        )
