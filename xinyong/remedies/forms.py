"""Forms of the back office's remedy queues (bindings, objections, repairs): one per row's
step, its errors shown next to the field on that row."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import RowForm, RowIdField
from xinyong.remedies.choices import ObjectionDecision

DECISIONS = [("approve", _("通过")), ("reject", _("不予通过"))]


class BindingReviewForm(RowForm):
    row_field = "binding"
    binding = RowIdField()
    decision = forms.ChoiceField(label=_("审核"), choices=DECISIONS)
    reason = forms.CharField(label=_("不予通过的理由"), required=False, max_length=500)


class ObjectionStepForm(RowForm):
    row_field = "objection"
    objection = RowIdField()
    step = forms.ChoiceField(
        label=_("办理"),
        choices=[("mark", _("标注异议中")), ("forward", _("转交提供部门")), ("decide", _("办结"))],
        error_messages={"invalid_choice": _("未知的操作")},
    )
    decision = forms.ChoiceField(label=_("处理结果"), choices=ObjectionDecision.choices,
                                 required=False)  # fmt: skip
    reason = forms.CharField(label=_("处理理由"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("step") == "decide" and not data.get("decision"):
            self.add_error("decision", _("请选择处理结果"))
        return data


class RepairDecisionForm(RowForm):
    row_field = "application"
    application = RowIdField()
    decision = forms.ChoiceField(
        label=_("决定"), choices=[("approve", _("同意修复")), ("reject", _("不予修复"))]
    )
    reason = forms.CharField(label=_("理由"), max_length=2000,
                             error_messages={"required": _("请写明理由")})  # fmt: skip
    reapply = forms.CharField(label=_("如何重新申请"), required=False, max_length=1000)
