"""Forms of self-declaration: the bound account's declaration (each error next to its
field, the service's rules placed by :meth:`~xinyong.core.forms.Form.fail`) and the
verifying department's decision on the declaration's page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import FilesField, Form, text_field
from xinyong.declarations.choices import DeclarationKind
from xinyong.declarations.pledge import PLEDGE_SHOWN

MATERIALS = ".pdf,.png,.jpg,.jpeg"


class DeclarationForm(Form):
    """自主申报: the kind (the service names an unknown one), what and the details, the
    department asked to verify, the pledge and the evidence."""

    kind = forms.CharField(label=_("申报类别"), required=False,
                           widget=forms.Select(choices=[("", "—"), *DeclarationKind.choices],
                                               attrs={"required": True}))  # fmt: skip
    title = text_field(_("申报事项（如证书名称、合同名称、荣誉名称）"), required=True,
                       max_length=200)  # fmt: skip
    content = text_field(_("申报内容（时间、金额、颁发或确认单位等）"), required=True,
                         max_length=4000, widget=forms.Textarea, rows=6)  # fmt: skip
    department = forms.CharField(label=_("申请核实的部门"), required=False,
                                 widget=forms.Select())  # fmt: skip
    pledge = forms.BooleanField(label=_("本主体已阅读并签署上述信用承诺"), required=False,
                                widget=forms.CheckboxInput(attrs={"required": True}))  # fmt: skip
    evidence = FilesField(label=_("证明材料（最多 5 个，PDF、PNG 或 JPEG，每个不超过 10 MB）"),
                          widget=FilesField.widget(attrs={"accept": MATERIALS,
                                                          "required": True}))  # fmt: skip

    pledge_text = PLEDGE_SHOWN

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        none = ("", _("不指定（由信用主管部门核实）"))
        self.fields["department"].widget.choices = [none, *departments]


class DecisionForm(Form):
    """The verifying department's decision: verified (a note is optional) or refused (the
    reasons are required: the service says so next to the field)."""

    decision = forms.ChoiceField(
        label=_("核实结论"),
        choices=[("verify", _("经核实属实")), ("refuse", _("未通过核实"))],
        error_messages={"invalid_choice": _("未知的核实结论"), "required": _("请选择核实结论")},
    )
    reason = text_field(_("核实意见（未通过核实的须写明理由）"), max_length=2000,
                        widget=forms.Textarea, rows=3)  # fmt: skip
