"""Forms of the practitioner pages: fields named as the services name them, so that a
refusal lands next to its field; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, limited_text_field
from xinyong.practitioners.choices import PublicField
from xinyong.subjects.choices import IdType


class ProfessionForm(Form):
    code = limited_text_field(_("编码"), 48, required=True)
    name = limited_text_field(_("职业名称"), 100, required=True)
    department = forms.CharField(label=_("行业主管部门"), required=False, widget=forms.Select())
    items = forms.MultipleChoiceField(
        label=_("归集目录项"),
        required=False,
        choices=[],
        error_messages={"invalid_choice": _("请从列表中选择")},
    )
    public_fields = forms.MultipleChoiceField(
        label=_("依规公开的字段（默认不公开）"),
        required=False,
        choices=PublicField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("请从列表中选择")},
    )
    publish_basis = limited_text_field(_("公开依据"), 2000, rows=2)

    def __init__(self, *args, departments=(), items=(), **kw):
        super().__init__(*args, **kw)
        self.fields["department"].widget.choices = [("", _("请选择")), *departments]
        self.fields["items"].choices = list(items)


class PractitionerForm(Form):
    profession = forms.CharField(label=_("职业"), required=False, widget=forms.Select())
    id_type = forms.ChoiceField(
        label=_("证件类型"),
        choices=IdType.choices,
        error_messages={"invalid_choice": _("请从列表中选择")},
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        required=False,
        max_length=40,
        widget=forms.PasswordInput(attrs={"required": True, "autocomplete": "off"}),
    )
    name = limited_text_field(_("姓名"), 50, required=True)
    licence_no = limited_text_field(_("执业（资格）证书编号"), 64, required=True)
    employer_uscc = limited_text_field(_("执业单位统一社会信用代码"), 18)
    valid_from = forms.DateField(
        label=_("执业起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "required": True}),
        error_messages={"invalid": _("请按 年-月-日 填写日期")},
    )
    valid_to = forms.DateField(
        label=_("执业截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请按 年-月-日 填写日期")},
    )

    def __init__(self, *args, professions=(), **kw):
        super().__init__(*args, **kw)
        self.fields["profession"].widget.choices = [(p.code, p.name) for p in professions]
