"""Forms of integrity demonstration units: the campaign, an application, the assessment (one
box and one note per criterion) and a reasoned revocation or keeping of a title. Each
lets the text through; the service's refusal comes back next to its field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, ValuesField, text_field
from xinyong.demonstration.choices import UnitKind


class CampaignForm(Form):
    title = text_field(_("活动名称"), required=True, max_length=200)
    kind = forms.CharField(label=_("示范单位类型"), required=False,
                           widget=forms.Select(choices=[("", "—"), *UnitKind.choices],
                                               attrs={"required": True}))  # fmt: skip
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              error_messages={"invalid": _("年度应为整数")})  # fmt: skip
    criteria = text_field(_("创建标准（每行一条）"), required=True, widget=forms.Textarea,
                          rows=6)  # fmt: skip
    apply_until = text_field(_("申报截止日期（YYYY-MM-DD）"), required=True, type="date")
    valid_years = forms.IntegerField(
        label=_("命名有效期（年）"), min_value=1, max_value=5, initial=3,
        error_messages={"invalid": _("有效期应为整数")},
    )  # fmt: skip
    department = forms.CharField(label=_("组织部门"), required=False, widget=forms.Select())

    def __init__(self, *args, departments=(), **kw):
        super().__init__(*args, **kw)
        if departments:
            self.fields["department"].widget.choices = [("", _("本部门")), *departments]
        else:
            del self.fields["department"]


class UnitForm(Form):
    """An application: its name and applicant, what it did; an area unit's location and
    members, a school's or enterprise's own USCC."""

    name = text_field(_("单位名称"), required=True, max_length=200)
    applicant = text_field(_("申报单位（如所在镇街、学校、企业）"), required=True, max_length=200)
    statement = text_field(_("创建情况"), required=True, widget=forms.Textarea, rows=5,
                           max_length=4000)  # fmt: skip
    subject_uscc = text_field(_("统一社会信用代码"), max_length=18)
    area = text_field(_("所在区域"), max_length=200)
    members = text_field(_("成员主体的统一社会信用代码（每行一个）"), widget=forms.Textarea, rows=5)

    def __init__(self, *args, area: bool, **kw):
        super().__init__(*args, **kw)
        for name in ("subject_uscc",) if area else ("area", "members"):
            del self.fields[name]


class AssessForm(Form):
    met = ValuesField(label=_("达标的创建标准"))
    award = forms.ChoiceField(
        label=_("评审结论"), choices=[("award", _("予以命名")), ("refuse", _("不予命名"))],
        error_messages={"invalid_choice": _("未知的评审结论"), "required": _("请选择评审结论")},
    )  # fmt: skip
    reason = text_field(_("评审结论的理由"), required=True, widget=forms.Textarea, rows=3,
                        max_length=2000)  # fmt: skip

    def __init__(self, *args, criteria=(), **kw):
        super().__init__(*args, **kw)
        self.fields["met"].widget.choices = [(str(i), c) for i, c in enumerate(criteria)]
        for i in range(len(criteria)):
            self.fields[f"note_{i}"] = text_field(
                _("第 %(n)s 条的评审说明") % {"n": i + 1}, max_length=500
            )
        self.criteria = list(criteria)


class ReasonForm(Form):
    """Revoke a title, or keep it after a finding: the step and its reasons."""

    step = forms.ChoiceField(
        label=_("办理"), choices=[("revoke", _("撤销命名")), ("keep", _("保留命名"))],
        error_messages={"invalid_choice": _("未知的办理方式"), "required": _("请选择办理方式")},
    )  # fmt: skip
    reason = text_field(_("理由"), required=True, widget=forms.Textarea, rows=3, max_length=2000)


class OnlineForm(Form):
    """A school's or an enterprise's own application: the campaign and what it did."""

    campaign = forms.CharField(label=_("创建活动"), required=False,
                               widget=forms.Select(attrs={"required": True}))  # fmt: skip
    statement = text_field(_("创建情况"), required=True, widget=forms.Textarea, rows=5,
                           max_length=4000)  # fmt: skip

    def __init__(self, *args, campaigns=(), **kw):
        super().__init__(*args, **kw)
        self.fields["campaign"].widget.choices = [("", "—"), *((c.pk, c.title) for c in campaigns)]
