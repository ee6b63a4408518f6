from django.contrib import admin

from xinyong.core.admin import AuditedModelAdmin
from xinyong.sanctions.models import Matter, Measure, Memorandum


@admin.register(Matter)
class MatterAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Memorandum)
class MemorandumAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "document_no", "issued_on", "active"]
    search_fields = ["code", "name", "document_no"]


@admin.register(Measure)
class MeasureAdmin(AuditedModelAdmin):
    """A sanction without a legal basis is refused by the model's constraint (checked by
    the form before saving)."""

    list_display = ["code", "name", "kind", "category", "memorandum", "active"]
    list_filter = ["kind", "category", "memorandum", "active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["list_types", "matters"]
