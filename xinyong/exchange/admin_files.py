"""The credit office registers the exchange nodes (GB/T 39443-2020) in Django's admin:
code, name, the department that stands for it as a provider, the feeds sent to it daily
and its public key. Imported by ``exchange.admin`` (a module of its own beside the webhooks'
admin)."""

from django.contrib import admin

from xinyong.core.admin import AuditedModelAdmin
from xinyong.exchange.filemodels import ExchangeNode


@admin.register(ExchangeNode)
class ExchangeNodeAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "department", "active"]
    search_fields = ["code", "name"]
