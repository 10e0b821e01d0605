"""Who exists: administrative areas, organizations (departments, offices, schools,
unions) and the roles users hold in them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from schools.querysets import MembershipQuerySet, OrganizationQuerySet
from twinning.lib.text import fold, nfc, slugify_vi


class Area(models.Model):
    """Administrative geography. Vietnam merged provinces and abolished districts in
    2025, so areas are data with a parent, never hard-coded."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province or centrally-run city")
        DISTRICT = "district", _("District")
        COMMUNE = "commune", _("Commune or ward")

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
    code = models.CharField(_("official code"), max_length=20, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, blank=True, help_text=_("Filled in from the name when left empty.")
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "kind", "name"],
                name="schools_area_unique_name_in_parent",
                violation_error_message=_("This area already has a sub-area of that kind with that name."),
            ),
        ]

    def __str__(self):
        if self.designation:
            return f"{self.designation[:1].upper()}{self.designation[1:]} {self.name}"
        return self.name

    def clean(self):
        self.name = nfc(self.name)
        self.designation = nfc(self.designation)
        if self.kind == self.Kind.PROVINCE and self.parent_id:
            raise ValidationError({"parent": _("A province does not belong to another area.")})
        if self.kind != self.Kind.PROVINCE and not self.parent_id:
            raise ValidationError({"parent": _("A district or commune must belong to a province or district.")})

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if not self.slug:
            base = slugify_vi(f"{self.parent.slug}-{self.name}" if self.parent_id else self.name)
            self.slug = _unique_slug(Area, base or "area")
        super().save(*args, **kwargs)

    def province(self):
        """The province this area lies in (itself for a province). Walks up the parents."""
        area = self
        while area.parent_id and area.kind != self.Kind.PROVINCE:
            area = area.parent
        return area if area.kind == self.Kind.PROVINCE else None


class Organization(models.Model):
    """Every unit in one table: departments (Sở), district offices (Phòng), schools,
    education trade unions and others. One table keeps pairs, donors and scoping
    uniform."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department of Education and Training")
        OFFICE = "office", _("District education office")
        SCHOOL = "school", _("School")
        UNION = "union", _("Education trade union")
        OTHER = "other", _("Other organization")

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
    # Derived from ``area`` on save: department staff see their province, and walking
    # the area tree in every scoped query would cost a join per level.
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
    # Accent-free, lower-case copy of the names, kept in step by save(): search
    # behaves the same on SQLite and PostgreSQL and can use an index.
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
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

    def managing_office(self):
        """The district office responsible for this organization: itself for an
        office, its parent for a school managed by an office, else None."""
        if self.kind == self.Kind.OFFICE:
            return self
        if self.parent_id and self.parent.kind == self.Kind.OFFICE:
            return self.parent
        return None

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
            if self.parent_id == self.pk:
                errors["parent"] = _("An organization cannot manage itself.")
            elif self.kind == self.Kind.SCHOOL and self.parent.kind not in (self.Kind.OFFICE, self.Kind.DEPARTMENT):
                errors["parent"] = _("A school is managed by a district office or a department.")
            elif self.kind == self.Kind.OFFICE and self.parent.kind != self.Kind.DEPARTMENT:
                errors["parent"] = _("A district office is managed by a department.")
        if self.pk and self.kind:
            old_kind = Organization.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
            if old_kind and old_kind != self.kind and self.has_pairs():
                errors["kind"] = _("This organization takes part in twinning pairs, so its kind cannot change.")
        if errors:
            raise ValidationError(errors)

    def has_pairs(self):
        return self.mentor_pairs.exists() or self.mentee_pairs.exists()

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        self.code = nfc(self.code).upper()
        if not self.slug:
            self.slug = _unique_slug(Organization, slugify_vi(self.short_name or self.name) or "unit")
        if self.area_id:
            self.province = self.area.province()
        elif self.parent_id:
            # A unit filed without an area (a school imported without its district)
            # lies in the province of the body managing it, so department staff see it.
            self.province_id = self.parent.province_id
        else:
            self.province = None
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")[:400]
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's role in one organization. A user's scope is the union of their
    active memberships (see schools.scope)."""

    class Role(models.TextChoices):
        DEPARTMENT_STAFF = "department_staff", _("Department staff")
        OFFICE_OFFICER = "office_officer", _("District office officer")
        PRINCIPAL = "principal", _("Principal")
        TEACHER = "teacher", _("Teacher")
        UNION_OFFICER = "union_officer", _("Trade union officer")

    # The organization kind each role belongs to.
    ROLE_KIND = {
        Role.DEPARTMENT_STAFF: Organization.Kind.DEPARTMENT,
        Role.OFFICE_OFFICER: Organization.Kind.OFFICE,
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
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="schools_membership_unique_role",
                violation_error_message=_("This user already has this role in this organization."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"

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
