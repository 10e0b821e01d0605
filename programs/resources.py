"""Spreadsheet import and export of pairs and donations, and the exports of the annual
summary (activities, reviews, the summary per office); admin and portal pages use the
same resources."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from programs.bulk import DONATION_KIND_ALIASES, DONATION_NATURE_ALIASES, STATUS_ALIASES, DonationImport, PairImport
from programs.models import Activity, Donation, Pair, Program, Review
from schools.resources import OrganizationWidget
from twinning.lib.bulk_import import BulkImportData
from twinning.lib.resources import (
    ChoicesWidget,
    DayFirstDateWidget,
    KetNghiaResource,
    LookupWidget,
    PositiveCountWidget,
    RowResource,
    VndWidget,
    YesNoWidget,
)


class ProgramWidget(LookupWidget):
    lookups = ("slug__iexact", "short_name__iexact", "name__iexact")

    def __init__(self, **kwargs):
        super().__init__(Program, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class PairWidget(LookupWidget):
    lookups = ("code__iexact",)

    def __init__(self, **kwargs):
        super().__init__(Pair, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Pair.objects.exclude(status=Pair.Status.DECLINED)


class PairResource(PairImport, BulkImportData, KetNghiaResource):
    """Pairs by their natural key (program, helping side, helped side); imported in
    bulk (programs.bulk)."""

    code = fields.Field(attribute="code", column_name=gettext_lazy("Pair code"), readonly=True)
    program = fields.Field(attribute="program", column_name=gettext_lazy("Program"), widget=ProgramWidget())
    mentor = fields.Field(attribute="mentor", column_name=gettext_lazy("Helping side"), widget=OrganizationWidget())
    mentee = fields.Field(attribute="mentee", column_name=gettext_lazy("Helped side"), widget=OrganizationWidget())
    parent = fields.Field(attribute="parent", column_name=gettext_lazy("Office partnership code"), widget=PairWidget())
    status = fields.Field(
        attribute="status",
        column_name=gettext_lazy("Status"),
        widget=ChoicesWidget(Pair.Status, aliases=STATUS_ALIASES),
    )
    started_on = fields.Field(attribute="started_on", column_name=gettext_lazy("Since"), widget=DayFirstDateWidget())
    ended_on = fields.Field(attribute="ended_on", column_name=gettext_lazy("Ended on"), widget=DayFirstDateWidget())
    note = fields.Field(attribute="note", column_name=gettext_lazy("Note"))

    class Meta(KetNghiaResource.Meta):
        model = Pair
        import_id_fields = ("program", "mentor", "mentee")
        fields = ("code", "program", "mentor", "mentee", "parent", "status", "started_on", "ended_on", "note")

    def get_queryset(self):
        return Pair.objects.select_related("program", "mentor", "mentee", "parent")


class DonationResource(DonationImport, BulkImportData, KetNghiaResource):
    """Donations without the private note about beneficiaries and without the
    receipt: those never leave the portal through a spreadsheet here. Imported in
    bulk (programs.bulk)."""

    code = fields.Field(attribute="code", column_name=gettext_lazy("Donation code"))
    program = fields.Field(attribute="program", column_name=gettext_lazy("Program"), widget=ProgramWidget())
    pair = fields.Field(attribute="pair", column_name=gettext_lazy("Pair code"), widget=PairWidget())
    kind = fields.Field(
        attribute="kind",
        column_name=gettext_lazy("Kind of support"),
        widget=ChoicesWidget(Donation.Kind, aliases=DONATION_KIND_ALIASES),
    )
    nature = fields.Field(
        attribute="nature",
        column_name=gettext_lazy("Given as"),
        widget=ChoicesWidget(Donation.Nature, aliases=DONATION_NATURE_ALIASES),
    )
    amount = fields.Field(attribute="amount", column_name=gettext_lazy("Amount (VND)"), widget=VndWidget())
    quantity = fields.Field(
        attribute="quantity", column_name=gettext_lazy("Quantity (in kind)"), widget=PositiveCountWidget()
    )
    unit_label = fields.Field(attribute="unit_label", column_name=gettext_lazy("Items (in kind)"))
    packages = fields.Field(
        attribute="packages", column_name=gettext_lazy("Number of packages"), widget=PositiveCountWidget()
    )
    beneficiaries = fields.Field(
        attribute="beneficiaries", column_name=gettext_lazy("Number of beneficiaries"), widget=PositiveCountWidget()
    )
    given_on = fields.Field(attribute="given_on", column_name=gettext_lazy("Date"), widget=DayFirstDateWidget())
    donor_org = fields.Field(attribute="donor_org", column_name=gettext_lazy("Donor unit"), widget=OrganizationWidget())
    donor_name = fields.Field(attribute="donor_name", column_name=gettext_lazy("Donor's name"))
    recipient = fields.Field(attribute="recipient", column_name=gettext_lazy("Recipient"), widget=OrganizationWidget())
    description = fields.Field(attribute="description", column_name=gettext_lazy("Description"))

    class Meta(KetNghiaResource.Meta):
        model = Donation
        import_id_fields = ("code",)
        fields = (
            "code",
            "program",
            "pair",
            "kind",
            "nature",
            "amount",
            "quantity",
            "unit_label",
            "packages",
            "beneficiaries",
            "given_on",
            "donor_org",
            "donor_name",
            "recipient",
            "description",
        )

    def get_queryset(self):
        return Donation.objects.select_related("program", "pair", "donor_org", "recipient")


# --- exports for the annual summary workbook (and the admin's export) -----------------


def _user_name(user):
    return (user.get_full_name() or user.username) if user else ""


def _pair_name(pair):
    return f"{pair.mentor.display_name} → {pair.mentee.display_name}" if pair else ""


class ActivityResource(KetNghiaResource):
    """Activities, export only (activities are logged and confirmed through the
    portal's pages, where the partner's confirmation is recorded)."""

    code = fields.Field(attribute="code", column_name=gettext_lazy("Activity code"))
    pair = fields.Field(attribute="pair", column_name=gettext_lazy("Pair code"), widget=PairWidget())
    pair_name = fields.Field(column_name=gettext_lazy("Twinning pair"), readonly=True)
    happened_on = fields.Field(attribute="happened_on", column_name=gettext_lazy("Date"), widget=DayFirstDateWidget())
    kind = fields.Field(
        attribute="kind", column_name=gettext_lazy("Kind of activity"), widget=ChoicesWidget(Activity.Kind)
    )
    status = fields.Field(attribute="status", column_name=gettext_lazy("Status"), widget=ChoicesWidget(Activity.Status))
    title = fields.Field(attribute="title", column_name=gettext_lazy("Activity title"))
    host = fields.Field(column_name=gettext_lazy("Host"), readonly=True)
    place = fields.Field(attribute="place", column_name=gettext_lazy("Place"))
    subject = fields.Field(attribute="subject", column_name=gettext_lazy("Subject"))
    grade = fields.Field(attribute="grade", column_name=gettext_lazy("Grade"))
    leading_teacher = fields.Field(attribute="leading_teacher", column_name=gettext_lazy("Led by"))
    teachers_count = fields.Field(
        attribute="teachers_count", column_name=gettext_lazy("Teachers taking part"), widget=PositiveCountWidget()
    )
    students_count = fields.Field(
        attribute="students_count", column_name=gettext_lazy("Students taking part"), widget=PositiveCountWidget()
    )
    managers_count = fields.Field(
        attribute="managers_count", column_name=gettext_lazy("Managers taking part"), widget=PositiveCountWidget()
    )
    participants = fields.Field(column_name=gettext_lazy("People taking part"), readonly=True)
    reported_by_org = fields.Field(column_name=gettext_lazy("Reported by"), readonly=True)
    is_public = fields.Field(attribute="is_public", column_name=gettext_lazy("Public"), widget=YesNoWidget())
    description = fields.Field(attribute="description", column_name=gettext_lazy("Description"))
    lessons_learned = fields.Field(attribute="lessons_learned", column_name=gettext_lazy("Lessons learned"))

    class Meta(KetNghiaResource.Meta):
        model = Activity
        fields = (
            "code",
            "pair",
            "pair_name",
            "happened_on",
            "kind",
            "status",
            "title",
            "host",
            "place",
            "subject",
            "grade",
            "leading_teacher",
            "teachers_count",
            "students_count",
            "managers_count",
            "participants",
            "reported_by_org",
            "is_public",
            "description",
            "lessons_learned",
        )

    def get_queryset(self):
        return Activity.objects.select_related("pair__mentor", "pair__mentee", "host", "reported_by_org")

    def dehydrate_pair_name(self, activity):
        return _pair_name(activity.pair)

    def dehydrate_host(self, activity):
        return activity.host.display_name if activity.host_id else ""

    def dehydrate_reported_by_org(self, activity):
        return activity.reported_by_org.display_name if activity.reported_by_org_id else ""

    def dehydrate_participants(self, activity):
        return activity.participants_count


class PairYearResource(PairResource):
    """The pairs of a program with their figures for one school year (annual summary).
    ``rows`` maps pair ids to programs.reports.figures.PairRow (exported through
    ``pair.year``) and ``units`` unit ids to their labels."""

    mentor_name = fields.Field(attribute="mentor__name", column_name=gettext_lazy("Helping side"), readonly=True)
    mentor_unit = fields.Field(column_name=gettext_lazy("Helping side's managing body"), readonly=True)
    mentee_name = fields.Field(attribute="mentee__name", column_name=gettext_lazy("Helped side"), readonly=True)
    mentee_unit = fields.Field(column_name=gettext_lazy("Helped side's managing body"), readonly=True)
    pair_kind = fields.Field(column_name=gettext_lazy("Kind of pair"), readonly=True)
    level = fields.Field(column_name=gettext_lazy("School level"), readonly=True)
    reported = fields.Field(
        attribute="year__reported",
        column_name=gettext_lazy("Activities awaiting confirmation"),
        widget=PositiveCountWidget(),
        readonly=True,
    )
    confirmed = fields.Field(
        attribute="year__confirmed",
        column_name=gettext_lazy("Activities confirmed"),
        widget=PositiveCountWidget(),
        readonly=True,
    )
    participants = fields.Field(
        attribute="year__participants",
        column_name=gettext_lazy("People taking part"),
        widget=PositiveCountWidget(),
        readonly=True,
    )
    planned = fields.Field(
        attribute="year__planned", column_name=gettext_lazy("Plan items"), widget=PositiveCountWidget(), readonly=True
    )
    done = fields.Field(
        attribute="year__done", column_name=gettext_lazy("Plan items done"), widget=PositiveCountWidget(), readonly=True
    )
    last_activity_on = fields.Field(
        attribute="year__last_activity_on",
        column_name=gettext_lazy("Last activity"),
        widget=DayFirstDateWidget(),
        readonly=True,
    )
    quiet = fields.Field(column_name=gettext_lazy("Quiet for 90 days"), readonly=True)
    review_status = fields.Field(column_name=gettext_lazy("Year-end review"), readonly=True)
    rating = fields.Field(column_name=gettext_lazy("Rating"), readonly=True)
    commended = fields.Field(
        attribute="year__commended", column_name=gettext_lazy("Commended"), widget=YesNoWidget(), readonly=True
    )

    class Meta(PairResource.Meta):
        fields = (
            "code",
            "mentor_name",
            "mentor_unit",
            "mentee_name",
            "mentee_unit",
            "pair_kind",
            "level",
            "parent",
            "status",
            "started_on",
            "ended_on",
            "reported",
            "confirmed",
            "participants",
            "planned",
            "done",
            "last_activity_on",
            "quiet",
            "review_status",
            "rating",
            "commended",
        )

    def __init__(self, rows=None, units=None, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows or {}
        self.units = units or {}

    def get_queryset(self):
        return Pair.objects.select_related("mentor__parent", "mentee__parent", "parent")

    def iter_queryset(self, queryset):
        from programs.reports.figures import PairRow

        for pair in super().iter_queryset(queryset):
            pair.year = self.rows.get(pair.pk) or PairRow(pair.pk, pair.code, "", pair.status, pair.kind, "", None, ())
            yield pair

    def _unit(self, organization):
        from programs.reports.figures import unit_label

        if (
            organization.is_school
            and organization.parent_id
            and organization.parent.kind in ("office", "commune_committee", "department")
        ):
            organization = organization.parent  # as figures.unit_expression
        return self.units.get(organization.pk) or unit_label(organization)

    def _year_unit(self, pair, index):
        """The side's unit as the year's figures grouped it (the managing body of the
        time, see ``figures.structure_day``); today's when the figures lack the pair."""
        units = pair.year.units
        if units and units[index] in self.units:
            return self.units[units[index]]
        return self._unit(pair.mentor if index == 0 else pair.mentee)

    def dehydrate_mentor_unit(self, pair):
        return self._year_unit(pair, 0)

    def dehydrate_mentee_unit(self, pair):
        return self._year_unit(pair, -1)

    def dehydrate_pair_kind(self, pair):
        return _("Partnership between units") if pair.is_office_partnership else _("School pair")

    def dehydrate_level(self, pair):
        return pair.mentor.get_level_display() if pair.mentor.is_school else ""

    def dehydrate_quiet(self, pair):
        return YesNoWidget().render(pair.year.is_quiet) if pair.status == Pair.Status.ACTIVE else ""

    def dehydrate_review_status(self, pair):
        return str(pair.year.review_status_label or _("Not written"))

    def dehydrate_rating(self, pair):
        return str(pair.year.rating_label)


DONATION_CATEGORY_LABELS = {
    "other_unit": gettext_lazy("To another unit"),
    "own_unit": gettext_lazy("Within the unit itself"),
    "outside": gettext_lazy("From an outside donor"),
}


class DonationYearResource(DonationResource):
    """Donations for the annual summary: the donor's and recipient's units, and whether
    the support went to another unit or stayed within the donor's own. The private
    note about the sponsored children is never exported, for anyone (Law on Personal
    Data Protection, 2026). The donations must come from ``figures.donations_with_units``
    (a query set) or ``figures.with_donation_units`` (the workbook's objects)."""

    pair_name = fields.Field(column_name=gettext_lazy("Twinning pair"), readonly=True)
    donor = fields.Field(column_name=gettext_lazy("Donor"), readonly=True)
    donor_unit = fields.Field(column_name=gettext_lazy("Donor's managing body"), readonly=True)
    recipient_name = fields.Field(column_name=gettext_lazy("Recipient"), readonly=True)
    recipient_unit = fields.Field(column_name=gettext_lazy("Recipient's managing body"), readonly=True)
    category = fields.Field(column_name=gettext_lazy("Support went"), readonly=True)

    class Meta(DonationResource.Meta):
        fields = (
            "code",
            "given_on",
            "kind",
            "nature",
            "amount",
            "quantity",
            "unit_label",
            "packages",
            "beneficiaries",
            "donor",
            "donor_unit",
            "recipient_name",
            "recipient_unit",
            "category",
            "pair",
            "pair_name",
            "description",
        )

    def __init__(self, units=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units or {}

    def get_queryset(self):
        from programs.reports.figures import donations_with_units

        return donations_with_units(
            Donation.objects.select_related("pair__mentor", "pair__mentee", "donor_org", "recipient")
        )

    def dehydrate_pair_name(self, donation):
        return _pair_name(donation.pair)

    def dehydrate_donor(self, donation):
        return donation.donor_display

    def dehydrate_donor_unit(self, donation):
        return self.units.get(getattr(donation, "donor_unit", None), "")

    def dehydrate_recipient_name(self, donation):
        return donation.recipient.display_name

    def dehydrate_recipient_unit(self, donation):
        return self.units.get(getattr(donation, "recipient_unit", None), "")

    def dehydrate_category(self, donation):
        return str(DONATION_CATEGORY_LABELS.get(getattr(donation, "category", ""), ""))


class ReviewResource(KetNghiaResource):
    """Year-end reviews, export only (they are written, sent on and rated through the
    workspace, which records who did what). ``activities`` may map review ids to
    the activities behind a commendation (else they are read per review)."""

    pair = fields.Field(attribute="pair", column_name=gettext_lazy("Pair code"), widget=PairWidget())
    pair_name = fields.Field(column_name=gettext_lazy("Twinning pair"), readonly=True)
    school_year = fields.Field(attribute="school_year", column_name=gettext_lazy("School year"))
    status = fields.Field(attribute="status", column_name=gettext_lazy("Status"), widget=ChoicesWidget(Review.Status))
    achievements = fields.Field(attribute="achievements", column_name=gettext_lazy("What was achieved"))
    difficulties = fields.Field(attribute="difficulties", column_name=gettext_lazy("Difficulties"))
    proposals = fields.Field(attribute="proposals", column_name=gettext_lazy("Proposals"))
    submitted_by = fields.Field(column_name=gettext_lazy("Submitted by"), readonly=True)
    submitted_at = fields.Field(
        attribute="submitted_at", column_name=gettext_lazy("Submitted on"), widget=DayFirstDateWidget()
    )
    forwarded_at = fields.Field(
        attribute="forwarded_at", column_name=gettext_lazy("Sent to the department on"), widget=DayFirstDateWidget()
    )
    rating = fields.Field(attribute="rating", column_name=gettext_lazy("Rating"), widget=ChoicesWidget(Review.Rating))
    rating_comment = fields.Field(attribute="rating_comment", column_name=gettext_lazy("Department's comment"))
    commended = fields.Field(attribute="commended", column_name=gettext_lazy("Commended"), widget=YesNoWidget())
    commendation = fields.Field(attribute="commendation", column_name=gettext_lazy("Commended for"))
    commendation_activities = fields.Field(
        column_name=gettext_lazy("Activities behind the commendation"), readonly=True
    )

    class Meta(KetNghiaResource.Meta):
        model = Review
        fields = (
            "pair",
            "pair_name",
            "school_year",
            "status",
            "achievements",
            "difficulties",
            "proposals",
            "submitted_by",
            "submitted_at",
            "forwarded_at",
            "rating",
            "rating_comment",
            "commended",
            "commendation",
            "commendation_activities",
        )

    def __init__(self, activities=None, **kwargs):
        super().__init__(**kwargs)
        self.activities = activities

    def get_queryset(self):
        return Review.objects.select_related("pair__mentor", "pair__mentee", "submitted_by").prefetch_related(
            "commendation_activities"
        )

    def dehydrate_pair_name(self, review):
        return _pair_name(review.pair)

    def dehydrate_school_year(self, review):
        from twinning.lib.schoolyear import display_school_year

        return display_school_year(review.school_year)

    def dehydrate_submitted_by(self, review):
        return _user_name(review.submitted_by)

    def dehydrate_commendation_activities(self, review):
        if self.activities is not None:
            activities = self.activities.get(review.pk, [])
        else:
            activities = review.commendation_activities.all()
        return "\n".join(f"{a.happened_on:%d/%m/%Y} – {a.title}" for a in activities)


class CommendationResource(ReviewResource):
    """The commendation list: which pair, for what, backed by which activities."""

    mentor_name = fields.Field(column_name=gettext_lazy("Helping side"), readonly=True)
    mentee_name = fields.Field(column_name=gettext_lazy("Helped side"), readonly=True)

    class Meta(ReviewResource.Meta):
        fields = (
            "pair",
            "mentor_name",
            "mentee_name",
            "school_year",
            "rating",
            "commendation",
            "commendation_activities",
            "rating_comment",
        )

    def dehydrate_mentor_name(self, review):
        return review.pair.mentor.name

    def dehydrate_mentee_name(self, review):
        return review.pair.mentee.name


class UnitSummaryResource(RowResource):
    """The summary per office (one row per unit, then every pair counted once):
    rows are programs.reports.figures.UnitRow objects."""

    unit = fields.Field(attribute="label", column_name=gettext_lazy("Unit"))
    pairs = fields.Field(attribute="tally__pairs", column_name=gettext_lazy("Pairs"), widget=PositiveCountWidget())
    active = fields.Field(
        attribute="tally__active", column_name=gettext_lazy("Active pairs"), widget=PositiveCountWidget()
    )
    school_pairs = fields.Field(
        attribute="tally__school_pairs", column_name=gettext_lazy("Active school pairs"), widget=PositiveCountWidget()
    )
    reported = fields.Field(
        attribute="tally__reported",
        column_name=gettext_lazy("Activities awaiting confirmation"),
        widget=PositiveCountWidget(),
    )
    confirmed = fields.Field(
        attribute="tally__confirmed", column_name=gettext_lazy("Activities confirmed"), widget=PositiveCountWidget()
    )
    participants = fields.Field(
        attribute="tally__participants", column_name=gettext_lazy("People taking part"), widget=PositiveCountWidget()
    )
    planned = fields.Field(
        attribute="tally__planned", column_name=gettext_lazy("Plan items"), widget=PositiveCountWidget()
    )
    done = fields.Field(
        attribute="tally__done", column_name=gettext_lazy("Plan items done"), widget=PositiveCountWidget()
    )
    reviews_submitted = fields.Field(
        attribute="tally__reviews_submitted",
        column_name=gettext_lazy("Year-end reviews submitted"),
        widget=PositiveCountWidget(),
    )
    reviews_missing = fields.Field(
        attribute="tally__reviews_missing",
        column_name=gettext_lazy("Year-end reviews missing"),
        widget=PositiveCountWidget(),
    )
    quiet = fields.Field(
        attribute="tally__quiet", column_name=gettext_lazy("Quiet pairs"), widget=PositiveCountWidget()
    )
    given_sponsorship = fields.Field(
        attribute="tally__given_sponsorship",
        column_name=gettext_lazy("Student sponsorship given to other units (VND)"),
        widget=VndWidget(),
    )
    given_other = fields.Field(
        attribute="tally__given_other",
        column_name=gettext_lazy("Other support given to other units (VND)"),
        widget=VndWidget(),
    )
    own = fields.Field(
        attribute="tally__own", column_name=gettext_lazy("Support within the unit itself (VND)"), widget=VndWidget()
    )
    received = fields.Field(
        attribute="tally__received", column_name=gettext_lazy("Support received (VND)"), widget=VndWidget()
    )

    class Meta:
        fields = (
            "unit",
            "pairs",
            "active",
            "school_pairs",
            "reported",
            "confirmed",
            "participants",
            "planned",
            "done",
            "reviews_submitted",
            "reviews_missing",
            "quiet",
            "given_sponsorship",
            "given_other",
            "own",
            "received",
        )
