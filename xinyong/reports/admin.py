"""The credit office keeps the reports' settings and the special report's domains in the
admin, as it keeps other reference data: every save and delete is audited
(:class:`~xinyong.core.admin.AuditedModelAdmin`)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.models import Department
from xinyong.core.admin import AuditedModelAdmin
from xinyong.reports import special
from xinyong.reports.models import ReportDomain, ReportPolicy

BOUNDS = {"validity_days": (1, 366), "special_max_years": (1, 10), "batch_max": (1, 5000)}


class ReportPolicyForm(forms.ModelForm):
    class Meta:
        model = ReportPolicy
        fields = ["validity_days", "special_max_years", "batch_max"]

    def clean(self):
        data = super().clean()
        for name, (low, high) in BOUNDS.items():
            value = data.get(name)
            if value is not None and not low <= value <= high:
                self.add_error(
                    name, _("应在 %(low)d 至 %(high)d 之间") % {"low": low, "high": high}
                )
        return data


class ReportDomainForm(forms.ModelForm):
    class Meta:
        model = ReportDomain
        fields = ["code", "name", "replaces", "departments", "items", "lists", "order", "active"]

    def clean(self):
        data = super().clean()
        lists_ok = True
        for name in ("departments", "items"):
            value = data.get(name)
            if value is not None and not (
                isinstance(value, list) and all(isinstance(v, str) and v for v in value)
            ):
                self.add_error(name, _('应为编码的列表，如 ["SCJG", "SW"]'))
                lists_ok = False
        if lists_ok and data.get("active") and data.get("departments") is not None:
            # An active domain must be able to state "none found" honestly (the same rule
            # that decides which domains the report offers).
            problem = special.domain_problem(
                data["departments"], data.get("items") or [],
                known_items=special.catalog_item_codes(),
                known_departments=set(
                    Department.objects.filter(is_active=True).values_list("code", flat=True)
                ),
            )  # fmt: skip
            if problem:
                self.add_error(*problem)
        return data


@admin.register(ReportPolicy)
class ReportPolicyAdmin(AuditedModelAdmin):
    """One row (pk=1): validity, the special report's longest period, the batch size. A
    report keeps the validity it was issued with."""

    form = ReportPolicyForm
    list_display = ["__str__", "validity_days", "special_max_years", "batch_max", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReportPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False  # the settings are always there; change them instead


@admin.register(ReportDomain)
class ReportDomainAdmin(AuditedModelAdmin):
    """The domains of the special report: the certificate each replaces, the departments
    (codes) whose records count and the catalog items searched."""

    form = ReportDomainForm
    list_display = ["code", "name", "replaces", "departments", "lists", "order", "active"]
    list_filter = ["active", "lists"]
    search_fields = ["code", "name", "replaces"]
    list_editable = ["order", "active"]
