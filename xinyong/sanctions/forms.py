"""Forms of the back office's joint-action pages: a credit check at the counter (one code,
or a file of codes), the feedback on the measures it returned, the answer to a task — each
error shown beside its field."""

import csv
import io

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.forms import Form, RowForm, RowIdField, text_field
from xinyong.ingest.parsers import Unreadable, detect_encoding

BATCH_MAX_CODES = 2000
BATCH_MAX_BYTES = 1 << 20


class TaskResponseForm(RowForm):
    row_field = "task"
    task = RowIdField()
    applied = forms.ChoiceField(
        label=_("实施结果"), choices=[("1", _("已实施")), ("0", _("未实施"))],
        error_messages={"required": _("请选择已实施或未实施")},
    )  # fmt: skip
    reason = forms.CharField(label=_("未实施原因"), required=False, max_length=1000)


class _MatterForm(Form):
    """The matter being handled: one of those the measures are configured for."""

    matter = forms.CharField(label=_("办理事项"), required=False,
                             widget=forms.Select(attrs={"required": True}))  # fmt: skip

    def __init__(self, *args, matters=(), **kw):
        super().__init__(*args, **kw)
        self.fields["matter"].widget.choices = list(matters)


class CreditCheckForm(_MatterForm):
    """One check: the subject's code and the matter (the service names what is wrong)."""

    error_fields = {"uscc": "subject"}
    subject = text_field(_("统一社会信用代码"), required=True, max_length=18)
    field_order = ["subject", "matter"]


class BatchCheckForm(_MatterForm):
    """Many codes at once: a CSV (UTF-8 or GBK) whose first column holds the codes."""

    file = forms.FileField(
        label=_("代码文件"), allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv"}),
        error_messages={"required": _("请选择包含统一社会信用代码的 CSV 文件")},
    )  # fmt: skip
    field_order = ["file", "matter"]

    def clean_matter(self) -> str:
        matter = self.cleaned_data["matter"]
        if matter not in dict(self.fields["matter"].widget.choices):
            raise forms.ValidationError(_("请选择办理事项"))
        return matter

    def clean_file(self) -> list[str]:
        """The codes of the file, a header line left out."""
        try:
            return codes_of(self.cleaned_data["file"])
        except ValidationFailed as e:
            raise forms.ValidationError([err.message for err in e.errors]) from None


def codes_of(upload) -> list[str]:
    if upload.size > BATCH_MAX_BYTES:
        raise ValidationFailed.one("file", "file.max_size", gettext("文件不得超过 1 MB"))
    raw = upload.read()
    try:
        text = raw.decode(detect_encoding(raw))
    except Unreadable as e:
        raise ValidationFailed(e.errors) from None
    codes = [row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    if codes and not codes[0][:1].isalnum():
        codes = codes[1:]
    if codes and codes[0] in ("统一社会信用代码", "uscc", "USCC"):
        codes = codes[1:]  # a header line
    if not codes:
        raise ValidationFailed.one("file", "file.no_rows", gettext("文件中没有代码"))
    if len(codes) > BATCH_MAX_CODES:
        message = gettext("一次最多核查 %(n)s 个代码") % {"n": BATCH_MAX_CODES}
        raise ValidationFailed([FieldError("file", "file.max_rows", message)])
    return codes


APPLIED = [("1", _("已实施")), ("0", _("未实施"))]


class CheckFeedbackForm(Form):
    """实施反馈 on a check: per measure it returned, applied or not (``applied_<code>``) and
    why not (``reason_<code>``). A measure left unanswered is not reported."""

    def __init__(self, *args, codes=(), **kw):
        super().__init__(*args, **kw)
        self.codes = list(codes)
        for code in self.codes:
            self.fields[f"applied_{code}"] = forms.ChoiceField(
                label=_("实施情况"), choices=APPLIED, required=False, widget=forms.RadioSelect
            )
            self.fields[f"reason_{code}"] = text_field(
                _("未实施原因"), max_length=1000, placeholder=_("未实施原因"),
                **{"aria-label": _("未实施原因")},
            )  # fmt: skip

    def rows(self, measures) -> list[tuple]:
        """Each measure shown with its two fields."""
        return [(m, self[f"applied_{m['code']}"], self[f"reason_{m['code']}"]) for m in measures
                if f"applied_{m['code']}" in self.fields]  # fmt: skip

    def clean(self):
        data = super().clean()
        for code in self.codes:
            if data.get(f"applied_{code}") == "0" and not data.get(f"reason_{code}", "").strip():
                self.add_error(f"reason_{code}", gettext("未实施的须说明原因"))
        return data

    def items(self) -> list[dict]:
        """The answers, as the service takes them (in the order of the measures)."""
        d = self.cleaned_data
        self.sent = [c for c in self.codes if d.get(f"applied_{c}") in ("1", "0")]
        return [{"measure": c, "applied": d[f"applied_{c}"] == "1", "reason": d[f"reason_{c}"]}
                for c in self.sent]  # fmt: skip

    def fail(self, error: ValidationFailed) -> "CheckFeedbackForm":
        """``items[2].reason`` is the reason field of the third measure answered."""
        placed = []
        for e in error.errors:
            head, _sep, attr = e.field.partition("].")
            index = head.removeprefix("items[")
            if index.isdecimal() and int(index) < len(self.sent) and attr in ("reason", "applied"):
                e = FieldError(f"{attr}_{self.sent[int(index)]}", e.rule, e.message)
            placed.append(e)
        return super().fail(ValidationFailed(placed))
