"""Forms of early warning: the department's step on an alert (acknowledge, or close with
an outcome and a note — the service names what is wrong next to the field) and the credit
office's rule (parameters as JSON, checked against the evaluator's schema)."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.alerts.choices import HANDLED, Recipients
from xinyong.alerts.evaluators import EVALUATORS
from xinyong.core.forms import Form, text_field


class StepForm(Form):
    """签收 or 关闭: the button says which; closing needs the outcome and the note."""

    step = forms.ChoiceField(
        label=_("办理"),
        choices=[("acknowledge", _("签收")), ("close", _("关闭"))],
        error_messages={"invalid_choice": _("未知的办理环节"), "required": _("请选择办理环节")},
    )
    outcome = forms.CharField(
        label=_("处理结论"),
        required=False,
        widget=forms.Select(choices=[("", "—"), *((o.value, o.label) for o in HANDLED)]),
    )
    note = text_field(_("处理说明（关闭时必填）"), max_length=2000, widget=forms.Textarea, rows=3)


def _codes(text: str) -> list[str]:
    return [c for c in (text or "").replace("，", ",").replace("、", ",").split(",") if c.strip()]


class RuleForm(Form):
    """A rule as the credit office writes it; every rule is the service's (rules.py)."""

    code = text_field(_("规则编码（小写字母、数字、下划线）"), max_length=48)
    name = text_field(_("规则名称"), required=True, max_length=100)
    evaluator = forms.CharField(label=_("判断方法"), required=False, widget=forms.Select())
    params = text_field(_("参数（JSON）"), max_length=4000, widget=forms.Textarea, rows=3)
    recipients = forms.CharField(
        label=_("预警对象部门"),
        required=False,
        widget=forms.Select(choices=Recipients.choices),
    )
    departments = text_field(_("指定部门编码（多个用逗号分隔）"), max_length=500)
    notify_subject = forms.BooleanField(label=_("向主体发送失信预警提示"), required=False)
    active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args, creating: bool = True, **kw):
        super().__init__(*args, **kw)
        self.fields["evaluator"].widget.choices = [(e.code, e.label) for e in EVALUATORS.values()]
        if not creating:
            del self.fields["code"]

    @classmethod
    def for_rule(cls, rule) -> "RuleForm":
        return cls(
            creating=False,
            initial={
                "name": rule.name,
                "evaluator": rule.evaluator,
                "params": json.dumps(rule.params, ensure_ascii=False),
                "recipients": rule.recipients,
                "departments": ",".join(rule.departments),
                "notify_subject": rule.notify_subject,
                "active": rule.active,
            },
        )

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["departments"] = _codes(d.get("departments", ""))
        return d
