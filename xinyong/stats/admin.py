"""The monthly reports in the admin: read only. A report is generated once (the daily
upkeep, the credit office's page or ``xinyong stats_monthly``) and never edited: its
stored figures are what every download renders."""

from django.contrib import admin

from xinyong.stats.models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["month", "generated_at", "generated_by"]
    readonly_fields = ["month", "figures", "digest", "generated_at", "generated_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
