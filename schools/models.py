"""Who exists: administrative areas, organizations (departments, offices, schools,
unions) and the roles users hold in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.querysets import AreaQuerySet, MembershipQuerySet, OrganizationQuerySet, PlacementQuerySet
from twinning.lib.collation import vi_order
from twinning.lib.text import fold, nfc, slugify_vi

# valid_from ≤ valid_until when both are given.
DATES_IN_ORDER = Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from"))


class Area(models.Model):
    """Administrative geography, as the official lists give it. Vietnam merged
    provinces and abolished districts on 1 July 2025, so an area carries the dates it
    existed and, once ended, links to its successors: a change is never recorded by
    renaming or moving an area (that would rewrite every past page), but by ending it
    and succeeding it (``schools.services.area_end``). Loaded by ``load_areas``."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province or centrally-run city")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune, ward or special zone")

    name = models.CharField(_("name"), max_length=120, help_text=_("Without the prefix, e.g. “Nam Từ Liêm”."))
    designation = models.CharField(
        _("designation"),
        max_length=40,
        blank=True,
        help_text=_("The word in front of the name: thành phố, tỉnh, quận, huyện, thị xã, xã, phường…"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_("From the official list: 2 digits for a province, 3 for a district, 5 for a commune."),
    )
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, blank=True, help_text=_("Filled in from the name when left empty.")
    )
    valid_from = models.DateField(
        _("exists from"), null=True, blank=True, help_text=_("Empty: since before the records of the portal.")
    )
    valid_until = models.DateField(
        _("existed until"),
        null=True,
        blank=True,
        help_text=_("The last day it existed (30/06/2025 for the districts). Empty: it exists today."),
    )
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("succeeded by"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        help_text=_("The areas that took its place when it ended (several when it was divided)."),
    )
    legal_reference = models.CharField(
        _("legal reference"), max_length=255, blank=True, help_text=_("The act that created it or ended it.")
    )
    # Accent-free, lower-case "designation name, parent, code" kept by save() (and by
    # ``load_areas``): the area pickers search it the same way on both databases.
    search_text = models.CharField(max_length=300, editable=False, db_index=True, default="")

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", vi_order("name")]
        constraints = [
            # Among the areas that exist today; an ended area may share a name (or a
            # code) with the one that took its place.
            models.UniqueConstraint(
                fields=["parent", "kind", "name"],
                condition=Q(valid_until__isnull=True),
                name="schools_area_unique_name_in_parent",
                violation_error_message=_("This area already has a sub-area of that kind with that name."),
            ),
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=Q(valid_until__isnull=True) & ~Q(code=""),
                name="schools_area_unique_current_code",
                violation_error_message=_("An area of this kind that exists today already has this official code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="schools_area_dates_in_order",
                violation_error_message=_("An area cannot end before it begins."),
            ),
        ]

    def __str__(self):
        if self.designation:
            return f"{self.designation[:1].upper()}{self.designation[1:]} {self.name}"
        return self.name

    @property
    def full_name(self):
        """The area with the name of the one above it: "Phường Tây Mỗ, Hà Nội"."""
        if self.parent_id and self.kind != self.Kind.PROVINCE:
            return f"{self}, {self.parent.name}"
        return str(self)

    def exists_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    @property
    def has_ended(self) -> bool:
        return self.valid_until is not None

    def clean(self):
        self.name = nfc(self.name)
        self.designation = nfc(self.designation)
        self.code = nfc(self.code)
        errors = {}
        if self.kind == self.Kind.PROVINCE and self.parent_id:
            errors["parent"] = _("A province does not belong to another area.")
        if self.kind != self.Kind.PROVINCE and not self.parent_id:
            errors["parent"] = _("A district or commune must belong to a province or district.")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("An area cannot end before it begins.")
        if self.pk and not errors:
            old = Area.objects.filter(pk=self.pk).values("name", "parent_id").first()
            if old and (old["name"] != self.name or old["parent_id"] != self.parent_id) and self.in_use():
                # Renaming or moving an area in use would rewrite every page about the
                # past: what changed is recorded as the end of this area and its successor.
                errors["name" if old["name"] != self.name else "parent"] = _(
                    "Units and records already refer to this area: renaming or moving it would change every page "
                    "about the past. End it on the day it changed and record the area that took its place."
                )
        if errors:
            raise ValidationError(errors)

    def in_use(self) -> bool:
        """Whether a unit, a placement or a sub-area refers to this area."""
        return self.children.exists() or self.organizations.exists() or Placement.objects.filter(area=self).exists()

    def folded_text(self) -> str:
        parent = self.parent.name if self.parent_id else ""
        return fold(f"{self.designation} {self.name} {parent} {self.code}")[:300]

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_text = self.folded_text()
        if not self.slug:
            base = slugify_vi(f"{self.parent.slug}-{self.name}" if self.parent_id else self.name)
            if self.valid_from:
                base = f"{base}-{self.valid_from.year}"
            self.slug = _unique_slug(Area, base or "area")
        moved = False
        if self.pk:
            old_parent = Area.objects.filter(pk=self.pk).values_list("parent_id", flat=True).first()
            moved = old_parent != self.parent_id
        super().save(*args, **kwargs)
        if moved:
            # A correction of an area nobody used yet (``clean`` refuses the others):
            # units below it take the province of its new place.
            Organization.refresh_provinces(Organization.objects.filter(area__in=self.subtree_ids()))

    def subtree_ids(self) -> list[int]:
        """This area's id and those of every area below it (a query per level)."""
        ids, level = [self.pk], [self.pk]
        while level:
            level = list(Area.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            ids.extend(level)
        return ids

    def province(self):
        """The province this area lies in (itself for a province). Walks up the parents."""
        area = self
        while area.parent_id and area.kind != self.Kind.PROVINCE:
            area = area.parent
        return area if area.kind == self.Kind.PROVINCE else None


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
        super().save(*args, **kwargs)
        self._kind_in_db = self.kind  # what clean() compares a later change of kind with
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
        changed = 0
        units = list(queryset.select_related("area", "parent"))
        while units:
            ids = []
            for unit in units:
                province_id = unit._derived_province_id()
                if province_id != unit.province_id:
                    cls.objects.filter(pk=unit.pk).update(province_id=province_id)
                    changed += 1
                ids.append(unit.pk)
            units = list(cls.objects.filter(parent_id__in=ids, area__isnull=True).select_related("parent"))
        return changed


class Placement(models.Model):
    """Where a unit stood and who managed it, from one day to another: its managing
    body, its area and its professional cluster. A unit's placements follow each
    other without gaps; the open one (no end) is the unit's present, copied on the
    unit itself. A report of 2022–2023 reads the placements of that time."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="placements"
    )
    valid_from = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty: since before the records of the portal.")
    )
    valid_until = models.DateField(_("until"), null=True, blank=True, help_text=_("The last day. Empty: still so."))
    parent = models.ForeignKey(
        Organization, verbose_name=_("managed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    cluster = models.ForeignKey(
        Organization,
        verbose_name=_("professional cluster"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=255,
        blank=True,
        help_text=_("The decision behind the change, e.g. “Nghị định 142/2025/NĐ-CP”."),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["organization", F("valid_from").asc(nulls_first=True)]
        indexes = [models.Index(fields=["organization", "valid_from"], name="schools_placement_org_from")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(valid_until__isnull=True),
                name="schools_placement_one_open",
                violation_error_message=_("A unit has one current placement."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(valid_from__isnull=True),
                name="schools_placement_one_first",
                violation_error_message=_("Only a unit's first placement may have no start date."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="schools_placement_dates_in_order",
                violation_error_message=_("A placement cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.period_display}"

    @property
    def period_display(self) -> str:
        from twinning.lib.dates import display_date

        start = display_date(self.valid_from) if self.valid_from else "…"
        end = display_date(self.valid_until) if self.valid_until else _("today")
        return f"{start} – {end}"

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def same_place(self, organization) -> bool:
        return (self.parent_id, self.area_id, self.cluster_id) == (
            organization.parent_id,
            organization.area_id,
            organization.cluster_id,
        )

    @classmethod
    def sync(cls, organization, on=None, **values):
        """Makes the unit's placement history end in its current managing body, area
        and cluster (see ``Organization.save``). A change dated the day the current
        placement began corrects it; a later one closes it the day before and opens a
        new one. A unit that ceased keeps its last placement. At most three queries."""
        import datetime

        from django.utils import timezone

        current = cls.objects.filter(organization=organization).order_by(F("valid_from").desc(nulls_last=True)).first()
        place = {
            "parent_id": organization.parent_id,
            "area_id": organization.area_id,
            "cluster_id": organization.cluster_id,
        }
        if current is None:
            cls.objects.create(
                organization=organization,
                valid_from=organization.valid_from,
                valid_until=organization.valid_until,
                **place,
                **values,
            )
            return
        if current.same_place(organization):
            if current.valid_until != organization.valid_until:
                # The unit ceased (or the cessation was undone): its last placement ends with it.
                cls.objects.filter(pk=current.pk).update(valid_until=organization.valid_until)
            return
        on = on or timezone.localdate()
        if current.valid_from is not None and on <= current.valid_from:
            # A correction of the current placement (recorded the day it began).
            for name, value in {**place, **values}.items():
                setattr(current, name, value)
            current.save()
            return
        cls.objects.filter(pk=current.pk).update(valid_until=on - datetime.timedelta(days=1))
        cls.objects.create(
            organization=organization, valid_from=on, valid_until=organization.valid_until, **place, **values
        )


class Membership(models.Model):
    """A user's role in one organization, held from ``valid_from`` to ``valid_until``
    (the last day; either may be empty: since always, until further notice). A user's
    scope is the union of their current memberships (see schools.scope and
    ``MembershipQuerySet.current``). A role is changed by ending it and starting a new
    membership, so the old unit keeps who held which role when (a principal who moves
    school stays in the history of the old one)."""

    class Role(models.TextChoices):
        DEPARTMENT_STAFF = "department_staff", _("Department staff")
        OFFICE_OFFICER = "office_officer", _("District office officer")
        COMMUNE_OFFICER = "commune_officer", _("Commune education officer")
        CLUSTER_HEAD = "cluster_head", _("Cluster head")
        PRINCIPAL = "principal", _("Principal")
        TEACHER = "teacher", _("Teacher")
        UNION_OFFICER = "union_officer", _("Trade union officer")

    # The organization kind each role belongs to.
    ROLE_KIND = {
        Role.DEPARTMENT_STAFF: Organization.Kind.DEPARTMENT,
        Role.OFFICE_OFFICER: Organization.Kind.OFFICE,
        Role.COMMUNE_OFFICER: Organization.Kind.COMMUNE_COMMITTEE,
        Role.CLUSTER_HEAD: Organization.Kind.CLUSTER,
        Role.PRINCIPAL: Organization.Kind.SCHOOL,
        Role.TEACHER: Organization.Kind.SCHOOL,
        Role.UNION_OFFICER: Organization.Kind.UNION,
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("title"), max_length=120, blank=True, help_text=_("e.g. Trưởng phòng, Hiệu trưởng"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off, the role gives nothing whatever its dates.")
    )
    valid_from = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty: since before the records of the portal.")
    )
    valid_until = models.DateField(_("until"), null=True, blank=True, help_text=_("The last day. Empty: still so."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = [vi_order("organization__name"), "user__username"]
        constraints = [
            # One open membership per person, unit and role; ended ones stay beside it.
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(valid_until__isnull=True),
                name="schools_membership_one_open_role",
                violation_error_message=_("This user already has this role in this organization."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="schools_membership_dates_in_order",
                violation_error_message=_("A role cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"

    def save(self, *args, **kwargs):
        """A role switched off (in the admin) without a last day ends that day, so it
        is never taken for an open role that a later grant would switch on again."""
        if not self.is_active and self.valid_until is None:
            from django.utils import timezone

            today = timezone.localdate()
            self.valid_until = max(today, self.valid_from) if self.valid_from else today
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "valid_until"}
        super().save(*args, **kwargs)

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def state_on(self, day=None) -> str:
        """Returns "current", "upcoming" (begins later) or "ended" (ended or switched off)."""
        from django.utils import timezone

        day = day or timezone.localdate()
        if not self.is_active or (self.valid_until is not None and self.valid_until < day):
            return "ended"
        if self.valid_from is not None and self.valid_from > day:
            return "upcoming"
        return "current"

    @property
    def is_current(self) -> bool:
        return self.state_on() == "current"

    def clean(self):
        expected = self.ROLE_KIND.get(self.role)
        if self.organization_id and expected and self.organization.kind != expected:
            raise ValidationError(
                {
                    "organization": _("The role “%(role)s” belongs to a %(kind)s.")
                    % {"role": self.get_role_display(), "kind": Organization.Kind(expected).label.lower()}
                }
            )


def _unique_slug(model, base: str) -> str:
    base = base[:120]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
