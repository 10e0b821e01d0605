from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "status", "done", "total", "created_at", "finished_at", "expires_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "user__username")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
