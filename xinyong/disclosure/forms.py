"""The form of a publicity rule (one class of penalties: whether and how long published), its
errors shown on the rule's row beside the fields."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, RowForm, limited_text_field
from xinyong.disclosure.choices import PenaltyClass

MONTHS = {"invalid": _("应为整数（月）"), "max_value": _("最长为 %(limit_value)s 个月"),
          "min_value": _("应为正整数（月）")}  # fmt: skip


class PublicityRuleForm(RowForm):
    row_field = "penalty_class"
    penalty_class = forms.ChoiceField(label=_("处罚类型"), choices=PenaltyClass.choices)
    publish = forms.BooleanField(label=_("是否公示"), required=False)
    min_months = forms.IntegerField(label=_("最短公示期（月）"), required=False, min_value=0,
                                    max_value=1200, error_messages=MONTHS)  # fmt: skip
    max_months = forms.IntegerField(label=_("最长公示期（月）"), required=False, min_value=0,
                                    max_value=1200, error_messages=MONTHS)  # fmt: skip
    kinds = forms.CharField(label=_("归入本类的处罚类别"), required=False, max_length=2000)
    basis = forms.CharField(label=_("依据"), required=False, max_length=4000)

    @property
    def row_id(self) -> str:  # the class's value, not a number
        return self.data.get(self.row_field, "")

    def clean_kinds(self) -> list[str]:
        return [k for k in re.split(r"[;；,，、\s]+", self.cleaned_data["kinds"]) if k]


class WorkdayOverrideForm(Form):
    """One day of the calendar declared a holiday or a make-up working day (``action``
    unset: the declaration taken back)."""

    action = forms.CharField(required=False, widget=forms.HiddenInput)
    day = forms.DateField(
        label=_("日期"), widget=forms.DateInput(attrs={"type": "date", "required": True}),
        error_messages={"required": _("日期必填"), "invalid": _("日期应为 YYYY-MM-DD")},
    )  # fmt: skip
    is_workday = forms.BooleanField(label=_("调休上班日（不勾选为放假）"), required=False)
    name = limited_text_field(_("名称"), 64, required=True)
    basis = limited_text_field(_("依据"), 200, required=True)

    def __init__(self, data=None):
        super().__init__(data, auto_id="id_day_%s")


class YearConfirmForm(Form):
    """A year's calendar confirmed complete."""

    year = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"invalid": _("年份应在2000至2100之间")}
    )
    basis = limited_text_field(_("依据"), 200, required=True)

    def __init__(self, data=None, *, year=None):
        super().__init__(data, auto_id="id_year_%s", initial={"year": year})


class _Which(forms.Form):
    form = forms.ChoiceField(choices=[("rule", "rule"), ("day", "day"), ("year", "year")])


def sent_form(data) -> str | None:
    """Which of the page's forms was sent (None: none it has)."""
    which = _Which(data)
    return which.cleaned_data["form"] if which.is_valid() else None
