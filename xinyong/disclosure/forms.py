"""The form of a publicity rule (one class of penalties: whether and how long published), its
errors shown on the rule's row beside the fields."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import RowForm
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
