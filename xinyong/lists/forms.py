"""Forms of credit lists: opening a case (back office), the subject's online statement
(its account), the month's roll with the entries left out and why. Each error is shown
next to its field; the rules are the services' (:meth:`~xinyong.core.forms.Form.fail`)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import FilesField, Form, IdsField, text_field
from xinyong.lists.choices import BasisKind, NationalCategory
from xinyong.lists.services.statement import MAX_FILES, MAX_TEXT


def _select(label, choices=(), blank=True) -> forms.CharField:
    """A choice the service checks (an unknown value is its to name)."""
    options = [("", "—"), *choices] if blank else list(choices)
    return forms.CharField(label=label, required=False, widget=forms.Select(choices=options))


class CaseOpenForm(Form):
    """立案: the subject (found on the page before), the list, the grounds and the basis."""

    subject = forms.CharField(required=False, widget=forms.HiddenInput)
    list = _select(_("名单"), blank=False)
    national_category = _select(_("严重失信类别（严重失信主体名单必填）"),
                                NationalCategory.choices)  # fmt: skip
    basis_kind = _select(_("认定依据类型"), BasisKind.choices)
    basis_records = IdsField(label=_("依据记录（该主体的信用记录）"))
    basis_document = text_field(_("依据文书号（无平台记录时填写，如判决书号）"), max_length=200)
    grounds = text_field(_("认定事由"), required=True, widget=forms.Textarea, rows=3)
    legal_basis = text_field(_("认定依据（法律、法规条款）"), required=True,
                             widget=forms.Textarea, rows=3)  # fmt: skip

    def __init__(self, *args, list_types=(), **kw):
        super().__init__(*args, **kw)
        self.fields["list"].widget.choices = [(lt.code, lt.name) for lt in list_types]


class StatementForm(Form):
    """陈述申辩: the text and its attachments."""

    statement_text = text_field(_("陈述申辩意见"), required=True, max_length=MAX_TEXT,
                                widget=forms.Textarea, rows=6)  # fmt: skip
    files = FilesField(widget=FilesField.widget(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["files"].label = gettext(
            "证明材料（可选，最多 %(n)s 个，PDF、PNG 或 JPEG）"
        ) % {"n": MAX_FILES}


class RollPublishForm(Form):
    """发布红黑榜: the month, the entries its preview showed, and each left out with why
    (``exclude_<id>``, ``reason_<id>``: a pair of fields per entry shown)."""

    period = forms.CharField(required=False, widget=forms.HiddenInput)
    shown = IdsField()

    def __init__(self, data=None):
        super().__init__(data)
        if self.is_bound:  # the page's rows are added as it shows them (row)
            for pk in self.fields["shown"].to_python(self.data.getlist("shown")):
                self.row(pk)

    def row(self, pk: int) -> tuple:
        """The entry's two fields (added for an entry the preview shows only now)."""
        if f"reason_{pk}" not in self.fields:
            self.fields[f"exclude_{pk}"] = forms.BooleanField(label=_("不予发布"), required=False)
            self.fields[f"reason_{pk}"] = text_field(_("理由"), max_length=500)
        return self[f"exclude_{pk}"], self[f"reason_{pk}"]

    def excluded(self) -> dict[int, str]:
        d = self.cleaned_data
        return {pk: d[f"reason_{pk}"] for pk in d["shown"] if d.get(f"exclude_{pk}")}
