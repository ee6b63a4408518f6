"""Forms of the agencies' pages: each error next to its field, the service's rules placed
by :meth:`~xinyong.core.forms.Form.fail` (the persons' rows by ``error_fields``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.agencies.choices import (
    AgencyReportKind,
    AgencyScope,
    Coverage,
    Purpose,
    ReportSubjectKind,
)
from xinyong.core.forms import FilesField, Form, RowIdField, ValuesField, text_field
from xinyong.lists.choices import StatementAdoption
from xinyong.subjects.choices import IdType

MATERIALS = ".pdf,.png,.jpg,.jpeg"
PERSON_ROWS = 2
_ID_TYPES = [
    (IdType.RESIDENT_ID, IdType.RESIDENT_ID.label),
    (IdType.PASSPORT, IdType.PASSPORT.label),
]


def _date(label, required=False):
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(
            attrs={"type": "date", **({"required": True} if required else {})}),
        error_messages={"invalid": _("请按 年-月-日 填写日期")},
    )  # fmt: skip


class _Own(Form):
    """A form sharing its page with others: its controls' ids carry its own prefix."""

    ids = "id_%s"

    def __init__(self, *args, **kw):
        kw.setdefault("auto_id", self.ids)
        super().__init__(*args, **kw)


def _files(label):
    return FilesField(label=label, widget=FilesField.widget(attrs={"accept": MATERIALS}))


class FilingForm(_Own):
    """登记备案 (or a change): scope, qualifications and their certificates, the rules of
    conflicts of interest and of information security (text and/or document), contact, and
    the responsible persons (identifiers kept only protected)."""

    ids = "filing_%s"

    scope = text_field(_("业务范围"), required=True, max_length=2000, widget=forms.Textarea,
                       rows=3)  # fmt: skip
    qualifications = text_field(_("资质情况（证书名称、编号、发证机关）"), required=True,
                                max_length=2000, widget=forms.Textarea, rows=3)  # fmt: skip
    qualification_files = _files(_("资质证明材料（PDF、PNG 或 JPEG）"))
    conflicts_rules = text_field(_("利益冲突防范制度（文字，或上传文件）"), max_length=8000,
                                 widget=forms.Textarea, rows=4)  # fmt: skip
    conflicts_files = _files(_("利益冲突防范制度文件"))
    security_rules = text_field(_("信息安全制度（文字，或上传文件）"), max_length=8000,
                                widget=forms.Textarea, rows=4)  # fmt: skip
    security_files = _files(_("信息安全制度文件"))
    contact_phone = text_field(_("联系电话"), required=True, max_length=20)

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.error_fields = {}
        for i in range(PERSON_ROWS):
            first = i == 0
            self.fields[f"p{i}_name"] = text_field(_("负责人姓名"), required=first, max_length=50)
            self.fields[f"p{i}_position"] = text_field(_("职务"), required=first, max_length=50)
            self.fields[f"p{i}_id_type"] = forms.ChoiceField(
                label=_("证件类型"), choices=_ID_TYPES, required=False
            )
            self.fields[f"p{i}_id_number"] = text_field(
                _("证件号码"), required=first, max_length=32, autocomplete="off"
            )
            for f in ("name", "position", "id_type", "id_number"):
                self.error_fields[f"persons[{i}].{f}"] = f"p{i}_{f}"
        self.error_fields["persons"] = "p0_name"

    def person_rows(self):
        return [[self[f"p{i}_{f}"] for f in ("name", "position", "id_type", "id_number")]
                for i in range(PERSON_ROWS)]  # fmt: skip

    def persons(self) -> list[dict]:
        d = self.cleaned_data
        return [{f: d.get(f"p{i}_{f}") or "" for f in ("name", "position", "id_type", "id_number")}
                for i in range(PERSON_ROWS)]  # fmt: skip


class PractitionerForm(_Own):
    ids = "practitioner_%s"
    name = text_field(_("姓名"), required=True, max_length=50)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=_ID_TYPES, required=False)
    id_number = text_field(_("证件号码"), required=True, max_length=32, autocomplete="off")
    position = text_field(_("岗位"), max_length=50)


class TokenForm(_Own):
    ids = "token_%s"
    name = text_field(_("令牌名称（如业务系统名称）"), required=True, max_length=100)
    scopes = ValuesField(
        label=_("权限范围"), widget=forms.CheckboxSelectMultiple(choices=AgencyScope.choices)
    )
    expires_on = _date(_("过期日期（可不填）"))


class ReportForm(_Own):
    """A report the agency issued: about an organisation (its USCC) or a person (an
    identifier, kept only protected); the fields of the other kind stay empty."""

    ids = "report_%s"
    number = text_field(_("报告编号"), required=True, max_length=64)
    subject_kind = forms.ChoiceField(
        label=_("报告所涉主体"), choices=ReportSubjectKind.choices, required=False,
        initial=ReportSubjectKind.ORGANIZATION, widget=forms.RadioSelect,
    )  # fmt: skip
    subject = text_field(_("组织的统一社会信用代码"), max_length=18)
    person_id_type = forms.ChoiceField(label=_("自然人证件类型"), choices=_ID_TYPES,
                                       required=False)  # fmt: skip
    person_id_number = text_field(_("自然人证件号码（仅加密保存，不予公开）"), max_length=32,
                                  autocomplete="off")  # fmt: skip
    kind = forms.ChoiceField(label=_("报告类型"), choices=AgencyReportKind.choices, required=False)
    issued_on = _date(_("出具日期"), required=True)
    sha256 = text_field(_("报告文件 SHA-256（或上传文件由平台计算）"), max_length=64)
    file = forms.FileField(label=_("报告文件（可选，PDF）"), required=False,
                           widget=forms.FileInput(attrs={"accept": MATERIALS}))  # fmt: skip


class AuthoriseForm(Form):
    agency = forms.TypedChoiceField(label=_("信用服务机构"), coerce=int, required=False,
                                    empty_value=None, choices=())  # fmt: skip
    purpose = forms.ChoiceField(label=_("授权用途"), choices=Purpose.choices, required=False)
    covers = ValuesField(label=_("授权范围"),
                         widget=forms.CheckboxSelectMultiple(choices=Coverage.choices))  # fmt: skip
    valid_until = _date(_("授权有效期至"), required=True)

    def __init__(self, *args, agencies=(), **kw):
        super().__init__(*args, **kw)
        self.fields["agency"].choices = [("", "—"), *agencies]
        self.fields["agency"].error_messages["invalid_choice"] = _(
            "请从名录中选择已备案的信用服务机构"
        )


class RowStepForm(_Own):
    """A step on one row of the page (stop a token, end a practitioner, revoke)."""

    id = RowIdField()


class VerifyForm(Form):
    number = text_field(_("报告编号"), required=True, max_length=64)
    sha256 = text_field(_("报告文件 SHA-256（或上传文件）"), max_length=64)
    file = forms.FileField(label=_("报告文件"), required=False,
                           widget=forms.FileInput(attrs={"accept": MATERIALS}))  # fmt: skip


class ReviewForm(_Own):
    ids = "review_%s"
    filing = RowIdField()
    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("approve", _("准予备案")), ("return", _("退回补正")), ("refuse", _("不予备案"))],
        error_messages={"invalid_choice": _("未知的审核结论"), "required": _("请选择审核结论")},
    )
    reason = text_field(_("审核意见（退回或不予备案的须写明理由）"), max_length=2000,
                        widget=forms.Textarea, rows=3)  # fmt: skip


class MisconductForm(_Own):
    ids = "misconduct_%s"
    facts = text_field(_("失信行为事实"), required=True, max_length=4000,
                       widget=forms.Textarea, rows=4)  # fmt: skip
    basis = text_field(_("认定依据"), required=True, max_length=300)
    decided_on = _date(_("认定日期"), required=True)


class RemovalNoticeForm(_Own):
    """告知拟移出名录: the facts, the basis and the reasons the notice states."""

    ids = "notify_%s"
    facts = text_field(_("事实"), required=True, max_length=4000, widget=forms.Textarea, rows=4)
    basis = text_field(_("依据"), required=True, max_length=300)
    reasons = text_field(_("拟移出的理由"), required=True, max_length=2000,
                         widget=forms.Textarea, rows=3)  # fmt: skip


class RemovalDecisionForm(_Own):
    """The decision on an open case — remove, or drop — with its reasons and, when the
    agency answered, whether its statement is adopted (the button sends the step)."""

    ids = "decide_%s"
    reasons = text_field(_("决定理由"), required=True, max_length=2000, widget=forms.Textarea,
                         rows=3)  # fmt: skip
    statement_adoption = forms.ChoiceField(
        label=_("对陈述申辩的采纳情况（机构已陈述申辩的必选）"),
        choices=[("", "—"), *StatementAdoption.choices], required=False,
    )  # fmt: skip


class StatementForm(_Own):
    """The agency's statement on a removal notice: the text and one optional attachment."""

    ids = "statement_%s"
    removal = RowIdField()
    statement = text_field(_("陈述申辩意见"), required=True, max_length=4000,
                           widget=forms.Textarea, rows=5)  # fmt: skip
    attachment = forms.FileField(label=_("证明材料（可选，PDF、PNG 或 JPEG）"), required=False,
                                 widget=forms.FileInput(attrs={"accept": MATERIALS}))  # fmt: skip
