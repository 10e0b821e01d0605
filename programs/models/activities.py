"""Exchange activities and their photos."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.pairs import Pair
from programs.models.plans import PlanItem
from programs.models.programs import ActivityKind
from programs.querysets import (
    ActivityQuerySet,
)
from schools.models import Organization
from twinning.lib.codes import new_code
from twinning.lib.dates import past_date_error
from twinning.lib.schoolyear import (
    school_year_of,
)
from twinning.lib.text import nfc
from twinning.lib.uploads import RandomName

User = settings.AUTH_USER_MODEL


class Activity(models.Model):
    """An exchange activity of a pair. Logged (reported) by one side and confirmed by
    the other; only confirmed activities marked public appear on the public site."""

    Kind = ActivityKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REPORTED = "reported", _("Reported, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned for changes")

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    happened_on = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=255)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=120, blank=True)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    leading_teacher = models.CharField(_("led by"), max_length=120, blank=True)
    teachers_count = models.PositiveIntegerField(_("teachers taking part"), default=0)
    students_count = models.PositiveIntegerField(_("students taking part"), default=0)
    managers_count = models.PositiveIntegerField(_("managers taking part"), default=0)
    description = models.TextField(_("description"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item fulfilled"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    is_public = models.BooleanField(_("may be shown publicly"), default=False)
    reported_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_activities",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("logged by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["pair", "happened_on"], name="programs_activity_pair_date")]

    def __str__(self):
        return f"{self.happened_on:%d/%m/%Y} – {self.title}"

    def get_absolute_url(self):
        return reverse("public:activity-detail", kwargs={"code": self.code})

    @property
    def school_year(self):
        return school_year_of(self.happened_on)

    @property
    def participants_count(self):
        return self.teachers_count + self.students_count + self.managers_count

    def clean(self):
        self.title = nfc(self.title)
        self.leading_teacher = nfc(self.leading_teacher)
        errors = {}
        date_error = past_date_error(
            self.happened_on,
            future_message=_(
                "This date has not come yet. An activity that has not taken place belongs in the pair's plan: "
                "log it here once it has happened."
            ),
        )
        if date_error:
            errors["happened_on"] = date_error
        if self.pair_id and self.host_id:
            # A side of the pair, or (for an office partnership) a school of either office.
            sides = {self.pair.mentor_id, self.pair.mentee_id}
            if self.host_id not in sides and self.host.parent_id not in sides:
                errors["host"] = _("The host must be one of the two sides of the pair or a school they manage.")
        if self.plan_item_id and self.pair_id and self.plan_item.plan.pair_id != self.pair_id:
            errors["plan_item"] = _("This plan item belongs to another pair's plan.")
        if errors:
            raise ValidationError(errors)


class ActivityPhoto(models.Model):
    """A photo of an activity, stored re-encoded (at most 1600 px, without location or
    camera metadata) with a small thumbnail. Served through a view that checks the
    activity may be seen."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("photos"), width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=RandomName("photos/thumbs"), blank=True)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity", "order", "pk"]

    def __str__(self):
        return self.caption or _("Photo %(n)s") % {"n": self.order + 1}
