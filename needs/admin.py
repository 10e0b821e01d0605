from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from needs.models import Need, Pledge


class PledgeInline(admin.TabularInline):
    model = Pledge
    extra = 0
    fields = ["donor_org", "quantity", "expected_on", "status", "received_quantity", "received_on", "donation"]
    raw_id_fields = ["donor_org", "donation"]


@admin.register(Need)
class NeedAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "quantity",
        "unit_label",
        "pledged_quantity",
        "received_quantity",
        "status",
        "pair",
    ]
    list_filter = ["status", "kind", "is_public", "open_to_others", "pair__program"]
    list_select_related = ["pair__mentor", "pair__mentee"]
    search_fields = ["code", "title", "pair__code", "pair__mentor__name", "pair__mentee__name"]
    autocomplete_fields = ["pair"]
    readonly_fields = ["code", "pledged_quantity", "received_quantity", "posted_by", "created_at", "updated_at"]
    inlines = [PledgeInline]


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    list_display = ["need", "donor_org", "quantity", "status", "received_quantity", "received_on"]
    list_filter = ["status"]
    list_select_related = ["need", "donor_org"]
    search_fields = ["code", "need__title", "need__code", "donor_org__name"]
    raw_id_fields = ["need", "donor_org", "donation", "activity"]
    readonly_fields = ["code", "pledged_by", "received_by", "created_at", "updated_at"]
