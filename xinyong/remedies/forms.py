"""Forms of remedies: the back office's queues (bindings, objections, repairs), one per
row's step, its errors shown next to the field on that row; and the portal account's own
pages (register, bind a subject, file an objection, apply for repair), each error next to
its field — the services' rules, placed by :meth:`~xinyong.core.forms.Form.fail`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, IdsField, RowForm, RowIdField, text_field
from xinyong.remedies.choices import MaterialKind, ObjectionDecision
from xinyong.subjects.choices import IdType

MATERIALS = ".pdf,.png,.jpg,.jpeg"  # what the upload fields offer to choose
ID_TYPES = [("", "—"), *IdType.choices]
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


# -- the portal account's own forms (register, bind a subject, object, apply for repair) ---
class RegisterForm(Form):
    username = text_field(_("用户名（4–30 位字母、数字或下划线）"), required=True, max_length=30,
                          autocomplete="username")  # fmt: skip
    display_name = text_field(_("姓名"), required=True, max_length=50)
    email = text_field(_("电子邮箱（可选，用于接收办理通知）"), max_length=254,
                       widget=forms.EmailInput)  # fmt: skip
    password = text_field(_("密码"), required=True, widget=forms.PasswordInput,
                          autocomplete="new-password")  # fmt: skip


class _NotShownAgain(forms.TextInput):
    """An identity number is not written back into the page it was sent from."""

    def format_value(self, value):
        return None


class BindingRequestForm(Form):
    uscc = text_field(_("统一社会信用代码"), max_length=18)
    id_type = forms.CharField(label=_("证件类型"), required=False,
                              widget=forms.Select(choices=ID_TYPES))  # fmt: skip
    id_number = text_field(_("证件号码"), max_length=30, widget=_NotShownAgain,
                           autocomplete="off")  # fmt: skip
    applicant = text_field(_("经办人姓名"), required=True, max_length=50)
    phone = text_field(_("联系电话"), required=True, max_length=20, inputmode="numeric")
    evidence = forms.FileField(
        label=_("授权委托书或身份证件"), required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": MATERIALS, "required": True}),
    )  # fmt: skip

    @property
    def error_fields(self) -> dict[str, str]:
        # Which subject: the one the code names, or (no code) the person the ID names.
        return {"subject": "uscc" if (self.data.get("uscc") or "").strip() else "id_number"}


class ObjectionFileForm(Form):
    """An objection to one record or one entry (the page's link names which)."""

    record = forms.CharField(required=False, widget=forms.HiddenInput)
    entry = forms.CharField(required=False, widget=forms.HiddenInput)
    reasons = text_field(_("异议理由"), required=True, max_length=5000, widget=forms.Textarea,
                         rows=5)  # fmt: skip
    evidence = forms.FileField(
        label=_("证明材料（可选，PDF、PNG 或 JPEG）"), required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": MATERIALS}),
    )  # fmt: skip


class RepairApplyForm(Form):
    """A repair application: the penalties and entries chosen, the statement, a file per
    kind of material (``material_<kind>``) or a report of this platform."""

    error_fields = {"targets": "record"}  # shown after the two lists to choose from
    record = IdsField(label=_("处罚信息"))
    entry = IdsField(label=_("名单条目"))
    statement = text_field(_("申请说明（纠正失信行为、履行义务的情况）"), required=True,
                           max_length=5000, widget=forms.Textarea, rows=4)  # fmt: skip
    report_number = text_field(_("报告编号"), max_length=32, placeholder="XY…")
    report_code = text_field(_("验证码"), max_length=16, autocomplete="off")

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for value, label in MaterialKind.choices:
            self.fields[f"material_{value}"] = forms.FileField(
                label=label, required=False, allow_empty_file=True,
                widget=forms.FileInput(attrs={"accept": MATERIALS}),
            )  # fmt: skip
        self.error_fields = {
            **self.error_fields, **{f"materials.{v}": f"material_{v}" for v in MaterialKind.values}
        }  # fmt: skip

    def material_fields(self):
        return [self[f"material_{v}"] for v in MaterialKind.values]

    def materials(self) -> dict:
        return {v: f for v in MaterialKind.values if (f := self.cleaned_data[f"material_{v}"])}
