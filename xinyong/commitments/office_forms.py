"""Forms of the back office's commitment pages. Each field is named as the service names
it, so that a service's refusal lands next to its field (:meth:`core.forms.Form.fail`); the
rules themselves (ranges, required texts, dates, files) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.commitments.choices import BreachKind, CheckMethod, CommitmentKind
from xinyong.core.forms import Form, RowIdField, limited_text_field

MISSING_ROWS = 5  # rows of missing documents a deficiency-tolerant acceptance may list here
KINDS = [(k, label) for k, label in CommitmentKind.choices if k != CommitmentKind.REPAIR]


def _choice(label, choices) -> forms.ChoiceField:
    message = _("请从列表中选择")
    return forms.ChoiceField(
        label=label,
        choices=[("", _("请选择")), *choices],
        required=False,
        widget=forms.Select(attrs={"required": True}),
        error_messages={"invalid_choice": message},
    )


def _number(label, *, required=True) -> forms.IntegerField:
    """A whole number; its range is the service's rule (said next to the field)."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=9999,
        error_messages={
            "required": _("请填写该项"),
            "invalid": _("请填写整数"),
            "min_value": _("请填写整数"),
            "max_value": _("数值过大"),
        },
    )


class RuleForm(Form):
    """设置事项承诺规则: the matter's time limit, whether it is high-risk (and why), and
    how long a breach bars notify-and-commit in it."""

    time_limit_workdays = _number(_("法定办结时限（工作日）"))
    high_risk = forms.BooleanField(label=_("高风险事项，不适用告知承诺"), required=False)
    high_risk_basis = limited_text_field(_("不适用的依据"), 300)
    block_months = _number(_("违诺后不适用告知承诺的期限（月）"))


class TemplateForm(Form):
    """承诺书模板: one kind of commitment in the matter; a changed text is a new version."""

    kind = _choice(_("承诺类型"), KINDS)
    name = limited_text_field(_("承诺书名称"), 200, required=True)
    check_method = _choice(_("核查方式"), CheckMethod.choices)
    check_workdays = _number(_("签署后核查期限（工作日）"), required=False)
    exempt_reason = limited_text_field(_("免于核查的理由"), 300)
    validity_months = _number(_("有效期（月）"))
    legal_basis = limited_text_field(_("依据"), 300, required=True)
    text = limited_text_field(_("承诺书正文"), 20000, required=True, rows=8)
    active = forms.BooleanField(label=_("启用"), required=False)


class RecordForm(Form):
    """录入纸质承诺: the subject found, the matter and kind, why and who signed, the scan;
    for a deficiency-tolerant acceptance what is missing, by when and the consequence."""

    subject = RowIdField(error_messages={"required": _("请先查询并选择信用主体"),
                                         "invalid": _("请先查询并选择信用主体")})  # fmt: skip
    matter = _choice(_("办理事项"), [])
    kind = _choice(_("承诺类型"), KINDS)
    reason = limited_text_field(_("承诺事由"), 300, required=True)
    signatory = limited_text_field(_("签署人"), 50, required=True)
    scan = forms.FileField(label=_("承诺书扫描件（PDF、PNG 或 JPEG）"), required=False)
    supply_due = forms.DateField(
        label=_("补正材料期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按 年-月-日 填写日期")},
    )
    late_consequence = limited_text_field(_("逾期未补正的后果"), 300)

    def __init__(self, *args, matters=(), **kw):
        super().__init__(*args, **kw)
        self.fields["matter"].choices = [("", _("请选择")), *matters]
        self.fields["scan"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"
        for i in range(MISSING_ROWS):
            self.fields[f"missing_name_{i}"] = limited_text_field(
                _("待补材料 %(n)s") % {"n": i + 1}, 200
            )
            self.fields[f"missing_form_{i}"] = limited_text_field(
                _("材料形式 %(n)s") % {"n": i + 1}, 100
            )
        self.error_fields = {"missing": "missing_name_0"}

    def missing_rows(self):
        """The rows of missing documents as the page lays them out: (name, form) fields."""
        return [(self[f"missing_name_{i}"], self[f"missing_form_{i}"]) for i in range(MISSING_ROWS)]

    def missing(self) -> list[dict]:
        """The rows filled in, in order; a service's error about the n-th is placed on
        the row it came from."""
        d, out = self.cleaned_data, []
        for i in range(MISSING_ROWS):
            name, form = d.get(f"missing_name_{i}", ""), d.get(f"missing_form_{i}", "")
            if (name or "").strip() or (form or "").strip():
                n = len(out)
                self.error_fields[f"missing[{n}].name"] = f"missing_name_{i}"
                self.error_fields[f"missing[{n}].form"] = f"missing_form_{i}"
                out.append({"name": name, "form": form})
        return out


class KeepForm(Form):
    """确认履约: what the check found."""

    note = limited_text_field(_("核查情况"), 4000, required=True, rows=4)


class ProposeForm(Form):
    """告知拟认定违诺: false or broken, the facts and reasons, the evidence."""

    breach_kind = _choice(_("违诺情形"), BreachKind.choices)
    reasons = limited_text_field(_("违诺事实和理由"), 4000, required=True, rows=4)
    evidence = forms.FileField(label=_("违诺证据（PDF、PNG 或 JPEG）"), required=False)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["evidence"].widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg"


DECISIONS = [("breach", _("不予采纳，认定违诺")), ("no_breach", _("采纳陈述申辩，不认定违诺"))]


class DecideForm(Form):
    """违诺认定: breach or not, with the reasons."""

    decision = _choice(_("认定结果"), DECISIONS)

    def clean_decision(self):
        if self.cleaned_data.get("decision") not in dict(DECISIONS):
            raise forms.ValidationError(_("请选择认定结果"))
        return self.cleaned_data["decision"]

    reason = limited_text_field(_("认定理由"), 4000, required=True, rows=4)
