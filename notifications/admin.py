from django.contrib import admin

from notifications.models import Delivery, EmailChoice, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "subject", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "subject"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "address", "subject", "status", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["address", "subject"]
    raw_id_fields = ["user", "notifications"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(EmailChoice)
