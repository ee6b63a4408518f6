from django.contrib import admin

from xinyong.core.admin import AuditedModelAdmin
from xinyong.lists.models import ListType


@admin.register(ListType)
class ListTypeAdmin(AuditedModelAdmin):
    """The credit office keeps the list types: basis, departments, terms, publicity."""

    list_display = ["code", "name", "effect", "public", "on_roll", "prior_notice",
                    "repair_after_months", "active"]  # fmt: skip
    list_filter = ["effect", "public", "active"]
    search_fields = ["code", "name"]
