"""Forms of credit reports: the account's report requests (public, own, special), the back
office's report and its batch. Each error is shown next to its field; the form checks the
shape (a kind offered, a date, a code's format), the rules are the services'
(:meth:`~xinyong.core.forms.Form.fail`)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, ValuesField, text_field
from xinyong.reports.choices import PURPOSES, ReportKind
from xinyong.subjects.identifiers import IdentifierError, validate_uscc

ACCOUNT_KINDS = (ReportKind.PUBLIC, ReportKind.OWN, ReportKind.SPECIAL)
OFFICE_KINDS = (ReportKind.REVIEW, ReportKind.SPECIAL, ReportKind.PUBLIC)
BATCH_KINDS = (ReportKind.REVIEW, ReportKind.PUBLIC)
DATE_INVALID = _("日期格式应为 YYYY-MM-DD")


def _kinds(kinds) -> list[tuple[str, str]]:
    return [(k.value, k.label) for k in kinds]


class PeriodDate(forms.DateField):
    """A day of a special report's period (YYYY-MM-DD, the service checks the period);
    left empty, the form shows the default it stands for (the field's initial)."""

    def __init__(self, label):
        super().__init__(
            label=label, required=False, input_formats=["%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": DATE_INVALID},
        )  # fmt: skip

    def bound_data(self, data, initial):
        return data or initial


class _SpecialFields(Form):
    """The special report's domains (boxes laid out by the page) and period."""

    domains = ValuesField(label=_("领域"))
    period_from = PeriodDate(_("查询期起"))
    period_to = PeriodDate(_("查询期止"))

    def special(self) -> dict:
        """The special report's arguments, for that kind only (others ignore the fields)."""
        d = self.cleaned_data
        if d.get("kind") != ReportKind.SPECIAL:
            return {}
        return {k: d[k] for k in ("domains", "period_from", "period_to")}


class AccountReportForm(_SpecialFields):
    """信用报告 on a bound subject's account: three forms on the page (public, own,
    special), each sending its ``kind``; the special one with domains, period, purpose."""

    error_fields = {"subject": "kind"}  # e.g. no public report of a person: above the forms
    kind = forms.ChoiceField(
        label=_("报告类型"), choices=_kinds(ACCOUNT_KINDS), widget=forms.HiddenInput,
        error_messages={"required": _("请选择要获取的报告"),
                        "invalid_choice": _("请选择要获取的报告")},
    )  # fmt: skip
    purpose = text_field(_("用途（选填）"), max_length=200)


class _PurposeFields(Form):
    """A department's purpose: a common one chosen and/or the purpose written
    (:func:`~xinyong.reports.views.backoffice.purpose_compose`); the service's refusal of
    the purpose is shown beside the text."""

    error_fields = {"purpose": "purpose_text"}
    purpose_choice = forms.CharField(
        label=_("常见用途"), required=False,
        widget=forms.Select(choices=[("", _("请选择")), *((p, p) for p in PURPOSES)]),
    )  # fmt: skip
    purpose_text = text_field(_("具体说明（如项目名称；选择“其他”时必填）"), max_length=180)


class OfficeReportForm(_PurposeFields, _SpecialFields):
    """信用报告 in the back office: the subject's code, the kind, the purpose and, for a
    special report, its domains and period."""

    uscc = text_field(_("统一社会信用代码"), required=True, max_length=64)
    kind = forms.ChoiceField(
        label=_("报告类型"), choices=_kinds(OFFICE_KINDS), widget=forms.RadioSelect,
        error_messages={"required": _("请选择报告类型"),
                        "invalid_choice": _("请选择报告类型")},
    )  # fmt: skip

    def clean_uscc(self) -> str:
        try:
            return validate_uscc(self.cleaned_data["uscc"])
        except IdentifierError as e:
            raise forms.ValidationError(e.message) from None


class BatchForm(_PurposeFields):
    """批量出具: the codes typed and/or a file of them, the kind, the purpose (each the
    service's to check: the line or the file's row it refuses is in its message)."""

    codes = text_field(_("统一社会信用代码（每行一个）"), widget=forms.Textarea, rows=10)
    file = forms.FileField(
        label=_("或上传文件（CSV 或 XLSX）"), required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )  # fmt: skip
    kind = forms.CharField(
        label=_("报告类型"), required=False,
        widget=forms.RadioSelect(choices=_kinds(BATCH_KINDS)),
    )  # fmt: skip


class VerifyForm(Form):
    """核验报告: the number and code printed on the report, and optionally its PDF, whose
    digest is compared with the report's (the service's rules, beside each field)."""

    error_fields = {"number": "n", "code": "c", "sha256": "pdf"}
    n = text_field(_("报告编号"), required=True, max_length=32, autocomplete="off",
                   placeholder="XY20260101ABCDEFGH")  # fmt: skip
    c = text_field(_("验证码"), required=True, max_length=16, autocomplete="off")
    pdf = forms.FileField(
        required=False, allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )  # fmt: skip

    def __init__(self, *args, max_mb: int, **kw):
        super().__init__(*args, **kw)
        self.fields["pdf"].label = gettext("报告文件（可选，PDF，不超过 %(max_mb)s MB）") % {
            "max_mb": max_mb
        }
