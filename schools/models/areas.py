"""Administrative areas (provinces, districts, communes) and how they succeeded one another."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from schools.models.slugs import _unique_slug
from schools.querysets import AreaQuerySet
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
        from schools.models.placements import Placement

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
            from schools.models.organizations import Organization

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
