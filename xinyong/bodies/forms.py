"""Forms of the public bodies' pages: each field named as the service names it, so that a
service's refusal lands next to its field (:meth:`xinyong.core.forms.Form.fail`); the rules
themselves (required texts, dates, who) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, limited_text_field
from xinyong.subjects.choices import IdType


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date", "required": True}),
                           error_messages={"invalid": _("请按 年-月-日 填写日期")})  # fmt: skip


def _department(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Select())


class PaperReceiptForm(Form):
    """A paper acknowledgement: who signed for the addressee, when, and the proof."""

    signer = limited_text_field(_("签收单位及签收人"), 200, required=True)
    received_on = _date(_("签收日期"))
    proof = limited_text_field(_("签收凭证（送达回证编号、挂号信单号等）"), 300, required=True)


class MisconductForm(Form):
    """A staff misconduct notice: the person (by identifier; never shown back), the unit
    (USCC), the notice's number, the rule broken, the facts and the day, and the
    discipline body (a department, or named)."""

    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices,
                                error_messages={"invalid_choice": _("请从列表中选择")})  # fmt: skip
    id_number = forms.CharField(
        label=_("工作人员证件号码"),
        required=False,
        max_length=40,
        widget=forms.PasswordInput(attrs={"required": True, "autocomplete": "off"}),
    )
    unit_uscc = limited_text_field(_("所在单位统一社会信用代码"), 18, required=True)
    number = limited_text_field(_("通报文号"), 100, required=True)
    basis = limited_text_field(_("违反的规定"), 4000, required=True, rows=3)
    facts = limited_text_field(_("违规失信事实"), 4000, required=True, rows=4)
    act_date = _date(_("行为日期"))
    discipline_code = _department(_("纪检监察机关（平台部门）"))
    discipline_name = limited_text_field(_("或：纪检监察机关名称"), 200)

    error_fields = {"unit": "unit_uscc"}

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        self.fields["discipline_code"].widget.choices = [("", _("不在平台（填写名称）")),
                                                         *departments]  # fmt: skip


class ProfileForm(Form):
    """Who a public body's notices go to: its superior body and its audit department."""

    superior_code = _department(_("上级主管单位（平台部门）"))
    superior_name = limited_text_field(_("或：上级主管单位名称"), 200)
    audit_code = _department(_("审计部门（平台部门）"))
    audit_name = limited_text_field(_("或：审计部门名称"), 200)

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        for name in ("superior_code", "audit_code"):
            self.fields[name].widget.choices = [("", _("不在平台（填写名称）")), *departments]
