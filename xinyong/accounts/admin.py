from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.models import ApiClient, Department, SharingRule, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "uscc", "is_active"]
    search_fields = ["code", "name", "uscc"]
    list_filter = ["kind", "is_active"]


@admin.register(SharingRule)
class SharingRuleAdmin(admin.ModelAdmin):
    list_display = ["provider", "consumer", "purpose", "valid_from", "valid_to"]
    list_filter = ["provider", "consumer"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "department", "is_active"]
    list_filter = ["role", "department"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("平台角色"), {"fields": ["role", "department", "display_name"]}),
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Tokens are issued by ``xinyong api_client issue``; here they can only be viewed or
    disabled, since the token itself is never stored."""

    list_display = [
        "name",
        "department",
        "token_prefix",
        "scopes",
        "is_active",
        "expires_at",
        "last_used_at",
    ]
    readonly_fields = ["token_prefix", "token_hash", "created_at", "last_used_at"]
    list_filter = ["department", "is_active"]

    def has_add_permission(self, request):
        return False
