"""Organizations: departments, offices, commune committees, clusters, schools, unions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models.areas import Area
from schools.models.slugs import _unique_slug
from schools.querysets import OrganizationQuerySet
from twinning.lib.collation import vi_order
from twinning.lib.text import fold, nfc, slugify_vi

# Sent with ``unit_ids`` when the derived province of those units changed (a save, a
# bulk import, ``refresh_provinces``): the pairs keep copies of their sides' provinces.
provinces_changed = Signal()
# Sent when units were written in bulk, without their rows' save signals (an import):
# the reports' kept figures are worked out again (programs.reports.cache).
units_written = Signal()


class Organization(models.Model):
    """Every unit in one table: departments (Sở), district offices (Phòng, until 30
    June 2025), commune People's Committees (the state manager of preschools, primary
    and lower-secondary schools since 1 July 2025), professional clusters, schools,
    education trade unions and others. One table keeps pairs, donors and scoping
    uniform.

    ``parent`` (the managing body), ``area`` and ``cluster`` hold the unit's *current*
    placement; each change is a dated ``Placement`` row, so the past keeps the
    structure it had (``Placement.objects.as_of``). A unit that ceased keeps its last
    placement and may name its ``successor``."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department of Education and Training")
        OFFICE = "office", _("District education office")
        COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
        CLUSTER = "cluster", _("Professional cluster")
        SCHOOL = "school", _("School")
        UNION = "union", _("Education trade union")
        OTHER = "other", _("Other organization")

    # Who may manage whom: the kinds of managing body each kind of unit may have.
    MANAGER_KINDS = {
        Kind.SCHOOL: (Kind.OFFICE, Kind.COMMUNE_COMMITTEE, Kind.DEPARTMENT),
        Kind.OFFICE: (Kind.DEPARTMENT,),
        Kind.CLUSTER: (Kind.DEPARTMENT,),
    }

    class Level(models.TextChoices):
        PRESCHOOL = "preschool", _("Preschool")
        PRIMARY = "primary", _("Primary")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
        MULTI = "multi", _("Multi-level")

    class AreaType(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")
        MOUNTAINOUS = "mountainous", _("Mountainous or remote")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=120, blank=True, help_text=_("As people say it, e.g. “THCS Tây Mỗ”.")
    )
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, blank=True, help_text=_("Filled in from the name when left empty.")
    )
    code = models.CharField(
        _("official code"),
        max_length=40,
        blank=True,
        help_text=_("Mã trường / mã đơn vị. Unique when given; imports match rows by it."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("managed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )
    cluster = models.ForeignKey(
        "self",
        verbose_name=_("professional cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cluster_members",
        limit_choices_to={"kind": "cluster"},
    )
    # Derived on save from the current ``area`` (else from the managing body): department
    # staff see their province, and walking the area tree in every scoped query would
    # cost a join per level. Recomputed whenever the place changes (``refresh_provinces``).
    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    level = models.CharField(_("school level"), max_length=20, choices=Level.choices, blank=True)
    area_type = models.CharField(_("area type"), max_length=20, choices=AreaType.choices, blank=True)
    head_name = models.CharField(_("head's name"), max_length=120, blank=True)
    head_title = models.CharField(_("head's title"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Contact details are for staff in scope only; public pages never show them.
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    student_count = models.PositiveIntegerField(_("number of students"), null=True, blank=True)
    teacher_count = models.PositiveIntegerField(_("number of teachers"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    valid_from = models.DateField(
        _("established on"), null=True, blank=True, help_text=_("Empty: since before the records of the portal.")
    )
    valid_until = models.DateField(
        _("ceased on"),
        null=True,
        blank=True,
        help_text=_("The last day it operated (30/06/2025 for the district education offices)."),
    )
    end_reference = models.CharField(
        _("legal reference of the cessation"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Nghị định 142/2025/NĐ-CP"),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The unit that took over its work and its records, when it merged into another."),
    )
    # Accent-free, lower-case copy of the names, kept in step by save(): search
    # behaves the same on SQLite and PostgreSQL and can use an index.
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = [vi_order("name")]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="schools_organization_code_unique",
                violation_error_message=_("Another organization already has this official code."),
            ),
            models.CheckConstraint(
                condition=Q(kind="school") | Q(level=""),
                name="schools_organization_level_only_for_schools",
                violation_error_message=_("Only a school has a school level."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="schools_organization_dates_in_order",
                violation_error_message=_("A unit cannot cease before it is established."),
            ),
        ]

    def __str__(self):
        return self.name

    def label_with_place(self) -> str:
        """What a person needs to tell two units apart: name, place (with its
        province), code. Reads ``area``: select it with the units."""
        parts = [self.name]
        if self.area_id:
            parts.append(self.area.full_name)
        label = " – ".join(parts)
        return f"{label} ({self.code})" if self.code else label

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def is_school(self):
        return self.kind == self.Kind.SCHOOL

    @property
    def is_office(self):
        return self.kind == self.Kind.OFFICE

    @property
    def has_ceased(self) -> bool:
        return self.valid_until is not None

    def operates_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def get_absolute_url(self):
        return reverse("public:organization-detail", kwargs={"slug": self.slug})

    def shares_level_with(self, other: "Organization") -> bool:
        """True when two schools teach at least one school level in common. A
        multi-level school (liên cấp) may share any level (the model does not record
        which levels it spans); a school whose level is not filled in is not refused."""
        levels = {self.level, other.level}
        if "" in levels or self.Level.MULTI in levels:
            return True
        return self.level == other.level

    def clean(self):
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.code = nfc(self.code).upper()
        self.head_name = nfc(self.head_name)
        errors = {}
        if self.kind != self.Kind.SCHOOL and self.level:
            errors["level"] = _("Only a school has a school level.")
        if self.kind == self.Kind.SCHOOL and not self.level:
            errors["level"] = _("Choose the school level.")
        if self.parent_id:
            parent_error = self.manager_error(self.parent)
            if parent_error:
                errors["parent"] = parent_error
        if self.cluster_id and self.cluster.kind != self.Kind.CLUSTER:
            errors["cluster"] = _("Choose a professional cluster.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("A unit cannot cease before it is established.")
        if self.successor_id and self.successor_id == self.pk:
            errors["successor"] = _("A unit cannot succeed itself.")
        if self.pk and self.kind:
            old_kind = getattr(self, "_kind_in_db", None)  # set by from_db: no query for a loaded unit
            if old_kind is None:
                old_kind = Organization.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
            if old_kind and old_kind != self.kind and self.has_pairs():
                errors["kind"] = _("This organization takes part in twinning pairs, so its kind cannot change.")
        if errors:
            raise ValidationError(errors)

    def manager_error(self, manager) -> str:
        """Why ``manager`` cannot manage this unit, or "" when it can."""
        if manager.pk and manager.pk == self.pk:
            return _("An organization cannot manage itself.")
        allowed = self.MANAGER_KINDS.get(self.kind)
        if allowed is None:
            return _("A %(kind)s is not managed by another unit in the portal.") % {
                "kind": self.get_kind_display().lower()
            }
        if manager.kind not in allowed:
            if self.kind == self.Kind.SCHOOL:
                return _("A school is managed by a commune People's Committee, a district office or a department.")
            if self.kind == self.Kind.OFFICE:
                return _("A district office is managed by a department.")
            return _("A professional cluster is organised by a department.")
        return ""

    def has_pairs(self):
        """Whether the unit is a side of a pair (``programs`` adds pairs through the
        ``mentor_pairs`` and ``mentee_pairs`` relations)."""
        return self.mentor_pairs.exists() or self.mentee_pairs.exists()

    @classmethod
    def from_db(cls, db, field_names, values):
        unit = super().from_db(db, field_names, values)
        if "kind" in field_names:
            unit._kind_in_db = unit.kind
        if "province_id" in field_names:
            unit._province_in_db = unit.province_id
        return unit

    def _derived_province_id(self, provinces=None):
        """``provinces``, a dict kept by the caller, remembers each area's province
        across many units (see schools.bulk)."""
        if self.area_id:
            if provinces is not None and self.area_id in provinces:
                return provinces[self.area_id]
            province = self.area.province()
            if provinces is not None:
                provinces[self.area_id] = province.pk if province else None
            return province.pk if province else None
        if self.parent_id:
            # A unit filed without an area (a school imported without its district)
            # lies in the province of the body managing it, so department staff see it.
            return self.parent.province_id
        return None

    def save(self, *args, placement_on=None, placement_values=None, **kwargs):
        """Saves the unit and keeps its placement history: a new unit gets its first
        placement; a changed managing body, area or cluster closes the current
        placement the day before ``placement_on`` (today by default) and opens a new
        one, so nothing about the past changes. ``placement_values`` (legal_reference,
        note, recorded_by) describe that change."""
        self.prepare_to_save()
        if not self.slug:
            self.slug = _unique_slug(Organization, self.slug_base())
        creating = self._state.adding
        super().save(*args, **kwargs)
        self._kind_in_db = self.kind  # what clean() compares a later change of kind with
        if not creating and getattr(self, "_province_in_db", self.province_id) != self.province_id:
            provinces_changed.send(Organization, unit_ids=[self.pk])
        self._province_in_db = self.province_id
        from schools.models.placements import Placement

        Placement.sync(self, on=placement_on, **(placement_values or {}))

    def prepare_to_save(self, provinces=None):
        """What every save does before writing, bulk writes included (schools.bulk):
        the names in NFC, the code upper-case, the derived province and search text."""
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.code = nfc(self.code).upper()
        self.province_id = self._derived_province_id(provinces)
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")[:400]

    def slug_base(self) -> str:
        return slugify_vi(self.short_name or self.name) or "unit"

    @classmethod
    def refresh_provinces(cls, queryset):
        """Recomputes the derived ``province`` of the units of ``queryset`` and of the
        units filed without an area under them. Returns how many changed."""
        moved = []
        units = list(queryset.select_related("area", "parent"))
        while units:
            ids = []
            for unit in units:
                province_id = unit._derived_province_id()
                if province_id != unit.province_id:
                    cls.objects.filter(pk=unit.pk).update(province_id=province_id)
                    moved.append(unit.pk)
                ids.append(unit.pk)
            units = list(cls.objects.filter(parent_id__in=ids, area__isnull=True).select_related("parent"))
        if moved:
            provinces_changed.send(cls, unit_ids=moved)
        return len(moved)
