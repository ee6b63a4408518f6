"""Forms of the association pages: each error next to its field, the service's rules placed
by :meth:`~xinyong.core.forms.Form.fail` (the form lets text through as written)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.associations.choices import RevocationGround, SanctionKind
from xinyong.core.forms import Form, ValuesField, text_field

DATE = {"invalid": _("日期格式应为 YYYY-MM-DD")}


def _date(label, required=False):
    return forms.DateField(
        label=label,
        required=required,
        error_messages=DATE | {"required": _("%(label)s必填") % {"label": label}},
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class GrantForm(Form):
    association = forms.CharField(label=_("行业协会商会"), required=False, widget=forms.Select())
    items = ValuesField(label=_("可报送的目录项"))
    basis = text_field(_("授权依据（文件名称、文号）"), required=True, max_length=500)
    valid_from = _date(_("生效日期"), required=True)
    valid_to = _date(_("失效日期（不填为长期）"))

    def __init__(self, *args, associations=(), items=(), **kw):
        super().__init__(*args, **kw)
        self.fields["association"].widget.choices = [("", "—"), *associations]
        self.fields["items"].widget.choices = list(items)


class EndForm(Form):
    reason = text_field(_("终止原因"), required=True, max_length=500)


class MemberForm(Form):
    uscc = text_field(_("会员统一社会信用代码"), required=True, max_length=18)
    joined_on = _date(_("入会日期"), required=True)


class LeaveForm(Form):
    left_on = _date(_("退会日期"), required=True)


class CampaignForm(Form):
    title = text_field(_("名称"), required=True, max_length=200)
    text = text_field(_("承诺内容"), required=True, max_length=8000, widget=forms.Textarea, rows=6)


class ProposeForm(Form):
    subject = forms.TypedChoiceField(
        label=_("会员"),
        coerce=int,
        choices=(),
        error_messages={"invalid_choice": _("请选择本协会的会员"), "required": _("请选择会员")},
    )
    kind = forms.ChoiceField(
        label=_("惩戒措施"),
        choices=SanctionKind.choices,
        error_messages={"invalid_choice": _("未知的惩戒措施")},
    )
    facts = text_field(_("违规事实"), required=True, max_length=4000, widget=forms.Textarea, rows=4)
    basis = text_field(_("依据（行规行约条款）"), required=True, max_length=500)
    reasons = text_field(_("理由"), required=True, max_length=4000, widget=forms.Textarea, rows=3)

    def __init__(self, *args, members=(), **kw):
        super().__init__(*args, **kw)
        self.fields["subject"].choices = [("", "—"), *members]


class DecideForm(Form):
    """A case's next step until it is decided: notify, then sanction or drop."""

    step = forms.ChoiceField(
        choices=[("notify", _("告知")), ("sanction", _("作出惩戒决定")), ("drop", _("不予处理"))],
        error_messages={"invalid_choice": _("未知的办理步骤"), "required": _("请选择办理步骤")},
    )
    reasons = text_field(_("决定理由"), max_length=4000, widget=forms.Textarea, rows=3)
    publish_months = forms.IntegerField(
        label=_("公开谴责公示期（月）"),
        required=False,
        min_value=1,
        max_value=36,
        error_messages={
            "invalid": _("请填写整数月数"),
            "min_value": _("公示期至少 1 个月"),
            "max_value": _("公示期最多 36 个月"),
        },
    )


class RevokeForm(Form):
    """A decided case's one step left: its revocation, with the ground and the reasons."""

    ground = forms.ChoiceField(
        label=_("撤销事由"),
        choices=[("", "—"), *RevocationGround.choices],
        error_messages={"invalid_choice": _("未知的撤销事由"), "required": _("请选择撤销事由")},
    )
    reasons = text_field(
        _("撤销理由"), required=True, max_length=4000, widget=forms.Textarea, rows=3
    )


class StatementForm(Form):
    statement = text_field(
        _("陈述申辩"), required=True, max_length=4000, widget=forms.Textarea, rows=6
    )


class SignForm(Form):
    campaign = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={"required": _("缺少承诺"), "invalid": _("承诺无效")},
    )
