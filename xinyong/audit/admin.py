from django.contrib import admin

from xinyong.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = [
        "seq",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "request_id",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "request_id", "actor_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
