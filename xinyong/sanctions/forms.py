"""Forms of the back office's joint-action pages: the answer to a task, its errors shown on
the task's row beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import RowForm, RowIdField


class TaskResponseForm(RowForm):
    row_field = "task"
    task = RowIdField()
    applied = forms.ChoiceField(
        label=_("实施结果"), choices=[("1", _("已实施")), ("0", _("未实施"))],
        error_messages={"required": _("请选择已实施或未实施")},
    )  # fmt: skip
    reason = forms.CharField(label=_("未实施原因"), required=False, max_length=1000)
