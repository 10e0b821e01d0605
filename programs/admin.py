from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from programs.forms.activities import ActivityPhotoAdminForm
from programs.models import (
    Activity,
    ActivityPhoto,
    Donation,
    FiguresVersion,
    Memorandum,
    Pair,
    PairLatestActivity,
    PairYear,
    Plan,
    PlanItem,
    PrivateNoteAccess,
    Program,
    ReportingCalendar,
    Review,
    Signatory,
    WorkingGroup,
    WorkingGroupMember,
)
from programs.resources import (
    ActivityResource,
    CommendationResource,
    DonationResource,
    PairResource,
    ReviewResource,
)
from twinning.lib.admin_import import PortalImportExportAdmin, SheetRowsResource
from twinning.lib.money import format_vnd


class PairAdminResource(SheetRowsResource, PairResource):
    """The admin's import of pairs: the portal's columns, row numbers and messages."""


class DonationAdminResource(SheetRowsResource, DonationResource):
    """The admin's import of donations: the portal's columns, row numbers and messages."""


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "is_public"]
    list_filter = ["is_public", "start_year"]
    search_fields = ["name", "short_name"]
    filter_horizontal = ["organizers"]
    prepopulated_fields = {"slug": ["short_name"]}


class ChildPairInline(admin.TabularInline):
    model = Pair
    fk_name = "parent"
    fields = ["mentor", "mentee", "status"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("school pair in this partnership")
    verbose_name_plural = _("school pairs in this partnership")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pair)
class PairAdmin(PortalImportExportAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [PairAdminResource]
    list_display = ["__str__", "program", "kind_display", "status", "started_on", "code"]
    list_filter = ["status", "mentor_kind", "program", ("mentor__province", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["program", "mentor", "mentee"]
    search_fields = ["code", "mentor__name", "mentee__name", "mentor__search_text", "mentee__search_text"]
    autocomplete_fields = ["mentor", "mentee", "parent", "proposed_by_org"]
    readonly_fields = ["code", "proposed_by", "decided_by", "decided_at", "created_at", "updated_at"]
    inlines = [ChildPairInline]
    fields = [
        "code",
        "program",
        "mentor",
        "mentee",
        "parent",
        "status",
        "started_on",
        "ended_on",
        "decision_reason",
        "note",
        "proposed_by_org",
        "proposed_by",
        "decided_by",
        "decided_at",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("kind"), ordering="mentor_kind")
    def kind_display(self, pair):
        return _("Partnership between units") if pair.is_office_partnership else _("School pair")


class SignatoryInline(admin.TabularInline):
    model = Signatory
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(Memorandum)
class MemorandumAdmin(SimpleHistoryAdmin):
    list_display = ["title", "program", "signed_on", "place", "valid_from", "valid_until"]
    list_filter = ["program", "signed_on"]
    list_select_related = ["program"]
    search_fields = ["title", "reference_number", "place", "code"]
    autocomplete_fields = ["pairs"]
    readonly_fields = ["code", "created_by", "created_at", "updated_at"]
    inlines = [SignatoryInline]
    date_hierarchy = "signed_on"


class WorkingGroupMemberInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 1
    autocomplete_fields = ["organization"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "office", "level"]
    list_filter = ["program", "level"]
    list_select_related = ["program", "office"]
    search_fields = ["name", "office__name"]
    autocomplete_fields = ["office"]
    inlines = [WorkingGroupMemberInline]


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 1


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school_year", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "school_year", "pair__program"]
    list_select_related = ["pair__mentor", "pair__mentee"]
    search_fields = ["pair__mentor__name", "pair__mentee__name", "pair__code"]
    autocomplete_fields = ["pair"]
    readonly_fields = ["created_by", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]
    inlines = [PlanItemInline]


class ActivityPhotoInline(admin.TabularInline):
    # New photos go through the same pipeline as the workspace (re-encoded, metadata removed).
    model = ActivityPhoto
    form = ActivityPhotoAdminForm
    extra = 0
    fields = ["image", "caption", "order"]


@admin.register(Activity)
class ActivityAdmin(PortalImportExportAdmin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ActivityResource]
    list_display = ["title", "happened_on", "kind", "pair", "status", "is_public"]
    list_filter = ["status", "kind", "is_public", "pair__program"]
    list_select_related = ["pair__mentor", "pair__mentee"]
    search_fields = ["title", "code", "leading_teacher", "pair__mentor__name", "pair__mentee__name"]
    autocomplete_fields = ["pair", "host", "reported_by_org"]
    raw_id_fields = ["plan_item"]
    readonly_fields = ["code", "created_by", "reported_at", "confirmed_by", "confirmed_at", "created_at", "updated_at"]
    date_hierarchy = "happened_on"
    inlines = [ActivityPhotoInline]


@admin.register(Donation)
class DonationAdmin(PortalImportExportAdmin, ImportExportModelAdmin, SimpleHistoryAdmin):
    resource_classes = [DonationAdminResource]
    list_display = ["__str__", "given_on", "kind", "nature", "amount_display", "donor_display", "recipient", "program"]
    list_filter = ["kind", "nature", "program"]
    list_select_related = ["program", "recipient", "donor_org"]
    search_fields = ["code", "donor_name", "donor_org__name", "recipient__name", "description"]
    autocomplete_fields = ["pair", "donor_org", "recipient", "recorded_by_org"]
    readonly_fields = ["code", "recorded_by", "created_at", "updated_at"]
    date_hierarchy = "given_on"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, donation):
        return donation.value_display if donation.is_in_kind else format_vnd(donation.amount)

    @admin.display(description=_("donor"))
    def donor_display(self, donation):
        return donation.donor_display


@admin.register(Review)
class ReviewAdmin(PortalImportExportAdmin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ReviewResource, CommendationResource]
    list_display = ["__str__", "school_year", "status", "rating", "commended"]
    list_filter = ["status", "rating", "commended", "school_year", "pair__program"]
    list_select_related = ["pair__mentor", "pair__mentee"]
    search_fields = ["pair__mentor__name", "pair__mentee__name", "pair__code"]
    autocomplete_fields = ["pair"]
    filter_horizontal = ["commendation_activities"]
    readonly_fields = [
        "written_by",
        "submitted_by",
        "submitted_at",
        "forwarded_by",
        "forwarded_at",
        "rated_by",
        "rated_at",
    ]


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(SimpleHistoryAdmin):
    list_display = ["program", "school_year", "plan_due", "review_due", "late_policy"]
    list_filter = ["late_policy", "school_year"]
    raw_id_fields = ["program"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "memorandum"]
    list_filter = ["memorandum__program"]
    list_select_related = ["organization", "memorandum"]
    search_fields = ["name", "title", "organization__name", "memorandum__title"]
    autocomplete_fields = ["memorandum", "organization"]


@admin.register(WorkingGroupMember)
class WorkingGroupMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "role", "group", "organization"]
    list_filter = ["role", "group__program"]
    list_select_related = ["group", "organization"]
    search_fields = ["name", "title", "group__name"]
    autocomplete_fields = ["group", "organization"]


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "planned_month", "responsible", "plan"]
    list_filter = ["kind", "plan__school_year"]
    list_select_related = ["plan__pair__mentor", "plan__pair__mentee"]
    search_fields = ["title", "responsible"]
    raw_id_fields = ["plan"]


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(admin.ModelAdmin):
    form = ActivityPhotoAdminForm
    fields = ["activity", "image", "caption", "order", "code", "width", "height", "uploaded_by", "created_at"]
    list_display = ["__str__", "activity", "created_at"]
    list_select_related = ["activity"]
    search_fields = ["caption", "activity__title"]
    raw_id_fields = ["activity"]
    readonly_fields = ["code", "width", "height", "uploaded_by", "created_at"]


@admin.register(PrivateNoteAccess)
class PrivateNoteAccessAdmin(admin.ModelAdmin):
    """The log of department users opening private notes about children: read only."""

    list_display = ("at", "user", "action", "donation")
    list_filter = ("action",)
    date_hierarchy = "at"
    readonly_fields = ("at", "user", "action", "donation")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class KeptByWritesAdmin(admin.ModelAdmin):
    """Rows the portal keeps itself from other writes: shown, never added, changed or
    deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FiguresVersion)
class FiguresVersionAdmin(KeptByWritesAdmin):
    """The version of the reports' figures kept in the cache (programs.reports.cache),
    raised after every write that may change them."""

    list_display = ("number",)
    readonly_fields = ("number",)


@admin.register(PairYear)
class PairYearAdmin(KeptByWritesAdmin):
    """Each pair's figures per school year, kept by every write of activities and plans
    (programs.summaries); ``manage.py rebuild_summaries`` recounts them."""

    list_display = ("pair", "school_year", "reported", "confirmed", "planned", "done", "last_activity_on")
    list_filter = ("school_year",)
    list_select_related = ("pair__mentor", "pair__mentee")
    search_fields = ("pair__code",)
    readonly_fields = [f.name for f in PairYear._meta.fields]
    show_full_result_count = False


@admin.register(PairLatestActivity)
class PairLatestActivityAdmin(KeptByWritesAdmin):
    """Each pair's latest activity over all years, kept with its yearly figures."""

    list_display = ("pair", "on")
    list_select_related = ("pair__mentor", "pair__mentee")
    search_fields = ("pair__code",)
    readonly_fields = ("pair", "on")
    show_full_result_count = False
