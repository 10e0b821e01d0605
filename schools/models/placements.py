"""Where an organization stood (its managing body, area, cluster) over time."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from schools.models.areas import Area
from schools.models.organizations import Organization
from schools.querysets import PlacementQuerySet


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
