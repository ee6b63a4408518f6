"""Forms of rewarded tips: the public's filing and look-up (portal), the department's steps
and the credit office's settings (back office). Each error is shown next to its field;
the services' rules come back through :meth:`~xinyong.core.forms.Form.fail`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import FilesField, Form, text_field

MATERIALS = ".pdf,.png,.jpg,.jpeg"


class TipForm(Form):
    """失信行为举报: what happened, when, where, the domain, evidence; anonymous or under
    the signed-in account's verified identity (name and contact)."""

    content = text_field(_("举报内容（发生了什么）"), required=True, max_length=4000,
                         widget=forms.Textarea, rows=6)  # fmt: skip
    occurred_on = text_field(_("发生时间"), required=True, widget=forms.DateInput,
                             type="date")  # fmt: skip
    place = text_field(_("发生地点"), required=True, max_length=200)
    domain = forms.CharField(label=_("举报领域"), required=False, widget=forms.Select())
    evidence = FilesField(
        label=_("证据材料（选填，最多 5 个，PDF、PNG 或 JPEG，每个不超过 10 MB）"),
        widget=FilesField.widget(attrs={"accept": MATERIALS}),
    )
    anonymous = forms.ChoiceField(
        label=_("举报方式"), initial="yes",
        choices=[("yes", _("匿名举报")), ("no", _("实名举报（须登录门户账号）"))],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择匿名或实名举报"),
                        "required": _("请选择匿名或实名举报")},
    )  # fmt: skip
    name = text_field(_("姓名（实名举报）"), max_length=50, autocomplete="name")
    contact = text_field(_("联系电话或邮箱（实名举报）"), max_length=100, autocomplete="tel")

    def __init__(self, *args, domains=(), **kw):
        super().__init__(*args, **kw)
        unknown = ("", _("不清楚（由信用主管部门分派）"))
        self.fields["domain"].widget.choices = [unknown, *domains]


class FollowForm(Form):
    receipt = text_field(_("查询码"), required=True, max_length=40, autocomplete="off")


class RouteForm(Form):
    department = forms.CharField(label=_("承办部门"), required=False, widget=forms.Select())

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        self.fields["department"].widget.choices = [("", "—"), *departments]


class TransferForm(Form):
    """转办: the competent department, and why (required)."""

    department = forms.CharField(label=_("转至部门"), required=False, widget=forms.Select())
    reason = text_field(_("转办理由（为何不属本部门、为何由该部门承办）"), required=True,
                        max_length=2000, widget=forms.Textarea, rows=3)  # fmt: skip

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        self.fields["department"].widget.choices = [("", "—"), *departments]


class AcknowledgeForm(Form):
    decision = forms.ChoiceField(
        label=_("受理意见"), choices=[("accept", _("受理")), ("reject", _("不予受理"))],
        error_messages={"invalid_choice": _("请选择受理或不予受理"),
                        "required": _("请选择受理或不予受理")},
    )  # fmt: skip
    reason = text_field(_("理由（不予受理的必填）"), max_length=2000, widget=forms.Textarea, rows=3)


class DecideForm(Form):
    decision = forms.ChoiceField(
        label=_("办结结论"),
        choices=[("substantiated", _("查证属实")), ("unsubstantiated", _("查无实据"))],
        error_messages={"invalid_choice": _("请选择查证属实或查无实据"),
                        "required": _("请选择查证属实或查无实据")},
    )  # fmt: skip
    reason = text_field(_("办结理由（查证的事实和依据）"), required=True, max_length=2000,
                        widget=forms.Textarea, rows=4)  # fmt: skip
    summary = text_field(_("告知举报人的处理结果（选填，默认同办结理由）"), max_length=2000,
                         widget=forms.Textarea, rows=3)  # fmt: skip


class RewardForm(Form):
    amount = text_field(_("奖励金额（元；不予奖励的填 0）"), required=True, max_length=20,
                        inputmode="decimal")  # fmt: skip
    basis = text_field(_("奖励依据"), required=True, max_length=1000, widget=forms.Textarea,
                       rows=2)  # fmt: skip


class PaidForm(Form):
    paid_on = text_field(_("发放日期"), required=True, widget=forms.DateInput, type="date")


class IdentityForm(Form):
    purpose = text_field(_("查看用途（如：联系举报人核实情况、发放奖励）"), required=True,
                         max_length=200)  # fmt: skip


class PolicyForm(Form):
    ack_workdays = text_field(_("受理期限（工作日）"), required=True, max_length=3,
                              inputmode="numeric")  # fmt: skip
    decide_workdays = text_field(_("办结期限（工作日）"), required=True, max_length=3,
                                 inputmode="numeric")  # fmt: skip


class DomainForm(Form):
    code = text_field(_("编码"), required=True, max_length=32)
    name = text_field(_("领域"), required=True, max_length=100)
    department = forms.CharField(label=_("主管部门"), required=False, widget=forms.Select())
    order = text_field(_("排序"), max_length=5, inputmode="numeric")
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        none = ("", _("不指定（由信用主管部门分派）"))
        self.fields["department"].widget.choices = [none, *departments]
