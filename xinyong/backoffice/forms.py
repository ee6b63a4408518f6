"""Forms of the back office's own pages. Each names its fields in Chinese and says what is
wrong next to the field (rendered by ``backoffice/_field.html``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.choices import ApiScope
from xinyong.accounts.models import Department
from xinyong.core.forms import Form, ValuesField, limited_text_field, text_field
from xinyong.core.notice import MAX_CHARS
from xinyong.subjects.choices import IdType
from xinyong.subjects.lookup import By

SEARCH_BY = [
    (By.NAME, _("名称")),
    (By.USCC, _("统一社会信用代码")),
    (By.PERSON_ID, _("身份证件号码")),
    (By.DECISION_NO, _("决定书文号")),
]


class SubjectSearchForm(Form):
    """后台主体查询: what to search by, and the query."""

    by = forms.ChoiceField(label=_("查询方式"), choices=SEARCH_BY, initial=By.NAME)
    q = forms.CharField(
        label=_("查询内容"), max_length=128, strip=True,
        error_messages={"required": _("请输入查询内容"),
                        "max_length": _("查询内容最长 %(limit_value)d 个字符")},
    )  # fmt: skip
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=IdType.choices, initial=IdType.RESIDENT_ID, required=False
    )

    def clean_id_type(self):
        return self.cleaned_data.get("id_type") or IdType.RESIDENT_ID


class NoticeImportForm(Form):
    """导入放假安排: the State Council's notice pasted whole; ``step`` preview, then confirm.
    What is wrong with the notice (the service's words) is shown beside the text."""

    step = forms.CharField(required=False, widget=forms.HiddenInput)
    text = text_field(_("通知全文"), required=True, max_length=MAX_CHARS,
                      widget=forms.Textarea, rows=16)  # fmt: skip

    def confirmed(self) -> bool:
        return self.cleaned_data["step"] == "confirm"


class ApiClientIssueForm(Form):
    """签发令牌: the business system's name, its department and the scopes ticked. The form
    asks for a department; the name's and the scopes' rules are the service's."""

    name = limited_text_field(_("业务系统名称"), 100, required=True)
    department = forms.ModelChoiceField(
        label=_("所属部门"), queryset=Department.objects.order_by("code"),
        empty_label=_("请选择"), widget=forms.Select(attrs={"required": True}),
        required=False, error_messages={"invalid_choice": _("请选择所属部门")},
    )  # fmt: skip
    scopes = ValuesField(label=_("权限范围"), widget=forms.CheckboxSelectMultiple(
        choices=ApiScope.choices))  # fmt: skip

    def clean_department(self):
        department = self.cleaned_data.get("department")
        if department is None:
            raise forms.ValidationError(_("请选择所属部门"))
        return department
