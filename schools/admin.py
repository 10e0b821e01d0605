from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from schools.models import Area, Membership, Organization, Placement
from schools.resources import OrganizationAdminResource
from twinning.lib.admin_import import PortalImportExportAdmin


class FoldedSearchMixin:
    """Admin search that ignores diacritics and case through ``search_text``."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            folded = queryset.search(search_term) if hasattr(queryset, "search") else queryset.none()
            results = results | folded
        return results, may_have_duplicates


class ExistsTodayFilter(admin.SimpleListFilter):
    title = _("exists today")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No, ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_until__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_until__isnull=False)
        return queryset


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    """Areas come from the official lists (``load_areas``). One that changed is ended
    and succeeded, never renamed: ``Area.clean`` refuses renaming an area in use."""

    list_display = ["__str__", "kind", "parent", "code", "valid_from", "valid_until"]
    list_filter = ["kind", ExistsTodayFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "successors"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "kind",
        "designation",
        "name",
        "slug",
        "parent",
        "code",
        "valid_from",
        "valid_until",
        "successors",
        "legal_reference",
    ]


class PlacementInline(admin.TabularInline):
    """A unit's placements, oldest first. Read-only here: a dated change is recorded
    on the unit's workspace page (or by changing the managing body, area or cluster
    above, which takes effect today)."""

    model = Placement
    fk_name = "organization"
    fields = ["valid_from", "valid_until", "parent", "area", "cluster", "legal_reference", "note", "recorded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("placements over time")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["organization", "valid_from", "valid_until", "parent", "area", "cluster", "legal_reference"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter), "valid_until"]
    list_select_related = ["organization", "parent", "area", "cluster"]
    search_fields = ["organization__name", "organization__code", "legal_reference"]
    autocomplete_fields = ["organization", "parent", "area", "cluster"]
    readonly_fields = ["recorded_by", "recorded_at"]


class ChildrenInline(admin.TabularInline):
    model = Organization
    fk_name = "parent"
    fields = ["name", "kind", "level", "code"]
    show_change_link = True
    extra = 0
    verbose_name = _("managed unit")
    verbose_name_plural = _("managed units")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organization"]
    fields = ["user", "organization", "role", "title", "valid_from", "valid_until", "is_active"]


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchMixin, PortalImportExportAdmin, ImportExportModelAdmin):
    """Units. The import and export speak as the portal's import does: the same
    Vietnamese column headers, row numbers and messages, a Vietnamese file name; and a
    sheet exported here imports back (a unit without a code is found by its page
    address)."""

    resource_classes = [OrganizationAdminResource]
    list_display = ["name", "kind", "level", "area", "parent", "code", "area_type", "valid_until"]
    list_filter = ["kind", "level", "area_type", ("province", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["area", "parent"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "area", "cluster", "successor"]
    prepopulated_fields = {"slug": ["short_name"]}
    readonly_fields = ["province", "created_at", "updated_at"]
    inlines = [PlacementInline, MembershipInline, ChildrenInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "short_name", "slug", "code"]}),
        (
            _("Today's placement (a change takes effect today; earlier placements stay)"),
            {"fields": ["parent", "area", "cluster", "province"]},
        ),
        (_("Life of the unit"), {"fields": ["valid_from", "valid_until", "end_reference", "successor"]}),
        (_("School"), {"fields": ["level", "area_type", "student_count", "teacher_count"]}),
        (_("Head and contact"), {"fields": ["head_name", "head_title", "address", "phone", "email", "website"]}),
        (None, {"fields": ["note", "created_at", "updated_at"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "title", "valid_from", "valid_until", "is_active"]
    list_filter = ["role", "is_active", "organization__kind", "valid_until"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


class UserMembershipInline(MembershipInline):
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "title", "valid_from", "valid_until", "is_active"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [UserMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
