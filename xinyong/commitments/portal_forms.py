"""Forms of the portal's commitment pages: signing a commitment online and answering a
proposed breach. The services check the rules; these place their errors next to the
field (:meth:`~xinyong.core.forms.Form.fail`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.commitments import portal
from xinyong.core.forms import Form, limited_text_field

MAX_STATEMENT = 4000


class SignForm(Form):
    """签署信用承诺: the matter and kind (whose template text the page shows in full), the
    accepting department, the reason, who signs, and the pledge. ``version``: the template
    version the page showed — a pledge is to the text read, so a text changed meanwhile
    (or never shown) must be read again."""

    matter = forms.CharField(label=_("办理事项"), required=False, widget=forms.Select)
    kind = forms.CharField(label=_("承诺类型"), required=False, widget=forms.Select)
    department = forms.CharField(label=_("受理部门"), required=False, widget=forms.Select)
    reason = limited_text_field(_("承诺事由"), 300, required=True, rows=3)
    signatory = limited_text_field(_("签署人"), 50, required=True)
    pledge = forms.BooleanField(
        label=_("本人已阅读上述承诺书全文，承诺所述内容真实，愿意承担违背承诺的责任"),
        required=False,
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, matters=(), departments=(), **kw):
        super().__init__(*args, **kw)
        self.fields["matter"].widget.choices = [("", "—")] + [
            (m["code"], f"{m['name']}（{'、'.join(label for _k, label in m['kinds'])}）")
            for m in matters
        ]
        kinds: dict[str, str] = {}
        for m in matters:
            kinds.update(m["kinds"])
        self.fields["kind"].widget.choices = [("", "—"), *kinds.items()]
        self.fields["department"].widget.choices = [("", "—"), *departments]

    def clean(self):
        data = super().clean()
        terms = portal.sign_terms(data.get("matter", ""), data.get("kind", ""))
        if terms and data.get("pledge") and data.get("version") != str(terms["version_id"]):
            self.add_error(
                "pledge",
                _("请先阅读所选承诺书的现行全文（点击“查看承诺书全文”），再勾选确认并签署"),
            )
        return data


class StatementForm(Form):
    """陈述申辩: the subject's answer to a proposed breach."""

    statement = limited_text_field(_("陈述申辩意见"), MAX_STATEMENT, required=True, rows=8)
