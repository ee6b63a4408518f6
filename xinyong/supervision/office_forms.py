"""Forms of the back office's supervision pages (errors beside their fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, text_field
from xinyong.supervision.choices import InspectionMethod, Outcome

_KINDS = [("organization", _("法人和非法人组织")), ("individual_business", _("个体工商户"))]


def _percent(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        error_messages={"invalid": _("请填写 0–100 的整数")},
    )


class ItemForm(Form):
    """A new inspection item; the default table of ratios and frequencies per class."""

    name = text_field(_("抽查事项名称"), max_length=200, required=True)
    legal_basis = text_field(
        _("法律依据"), max_length=2000, required=True, widget=forms.Textarea, rows=2
    )
    target_kinds = forms.MultipleChoiceField(
        label=_("抽查对象"), choices=_KINDS, widget=forms.CheckboxSelectMultiple
    )
    target_note = text_field(_("抽查对象说明"), max_length=200)
    method = forms.ChoiceField(label=_("检查方式"), choices=InspectionMethod.choices)


class SectorMapForm(Form):
    """A department's sector grades of one domain as classes, one ``grade=class`` a pair."""

    form = forms.CharField(widget=forms.HiddenInput, initial="sector")
    domain = text_field(_("评价领域"), max_length=100, required=True)
    grades = text_field(_("等级对照（如 A=A, B=B, M=B, C=C, D=D）"), max_length=400, required=True)

    def pairs(self) -> dict:
        """``{"M": "B", …}`` from the text; a pair without ``=`` is kept whole, for the
        service to refuse by its rule."""
        out = {}
        for part in self.cleaned_data["grades"].replace("，", ",").split(","):
            grade, _sep, klass = part.partition("=")
            if part.strip():
                out[grade.strip()] = klass.strip().upper()
        return out


class InspectorForm(Form):
    form = forms.CharField(widget=forms.HiddenInput, initial="inspector")
    name = text_field(_("姓名"), max_length=50, required=True)
    badge = text_field(_("执法证号"), max_length=32, required=True)


class ConflictForm(Form):
    form = forms.CharField(widget=forms.HiddenInput, initial="conflict")
    inspector = forms.IntegerField(label=_("检查人员"), min_value=1)
    uscc = text_field(_("统一社会信用代码"), max_length=18, required=True)
    reason = text_field(_("回避事由"), max_length=200, required=True)


class PlanForm(Form):
    error_fields = {
        "ratios.A": "ratio_a",
        "ratios.B": "ratio_b",
        "ratios.C": "ratio_c",
        "ratios.D": "ratio_d",
    }

    name = text_field(_("计划名称"), max_length=200, required=True)
    items = forms.TypedMultipleChoiceField(
        label=_("抽查事项（选择其他部门的事项即为部门联合抽查）"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    ratio_a = _percent(_("A 类抽查比例（%）"))
    ratio_b = _percent(_("B 类抽查比例（%）"))
    ratio_c = _percent(_("C 类抽查比例（%）"))
    ratio_d = _percent(_("D 类抽查比例（%）"))
    inspectors_per_department = forms.IntegerField(
        label=_("每项任务每部门检查人员数"), min_value=1, max_value=20, initial=2
    )
    period_start = forms.DateField(
        label=_("检查开始日期"), widget=forms.DateInput({"type": "date"})
    )
    period_end = forms.DateField(label=_("检查结束日期"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, items=(), **kw):
        super().__init__(*args, **kw)
        self.fields["items"].choices = [(i.pk, f"{i.department.name}：{i.name}") for i in items]


class StepForm(Form):
    step = forms.ChoiceField(choices=[("freeze", ""), ("draw", ""), ("seed", "")])


class ResultForm(Form):
    task = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("检查结果"), choices=Outcome.choices)
    inspected_on = forms.DateField(
        label=_("检查完成日期"), widget=forms.DateInput({"type": "date"})
    )
    findings = text_field(_("检查情况"), max_length=2000)


class PublishForm(Form):
    task = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
