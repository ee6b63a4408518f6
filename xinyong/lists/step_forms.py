"""Forms of the steps on a case page (notify, hear, decide, publish, remove, drop, mark an
objection): one form per step, each error shown beside its field. Several steps share a
field's name (``note``), so each step's controls have ids of their own
(``id_<action>_<field>``). The rules are the services' (:meth:`Form.fail`); the forms read
what was sent and check what the database could not hold."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, limited_text_field
from xinyong.lists.choices import EntryAction, RemovalReason, StatementAdoption

TERM_MONTHS_MAX = 1200  # a hundred years: beyond any list's term


class StepForm(Form):
    """One step: ``action`` (hidden) names it; ``args()`` is what its service is given."""

    step = ""
    action = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, initial=None):
        initial = {"action": self.step, **(initial or {})}
        super().__init__(data, auto_id=f"id_{self.step}_%s", initial=initial)

    def args(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "action"}


class NotifyForm(StepForm):
    step = EntryAction.NOTIFY
    notice_no = limited_text_field(_("事先告知书文号"), 100, required=True)


class HearForm(StepForm):
    step = EntryAction.HEAR
    statement = limited_text_field(_("陈述申辩意见（期满未陈述申辩的留空）"), 5000, rows=3)


class DecideForm(StepForm):
    step = EntryAction.DECIDE
    decision_no = limited_text_field(_("认定决定书文号"), 100, required=True)
    statement_adoption = forms.CharField(
        label=_("陈述申辩采纳情况"), required=False,
        widget=forms.Select(choices=[("", "—"), *StatementAdoption.choices]),
    )  # fmt: skip
    statement_reply = limited_text_field(_("采纳或不予采纳的理由（载入认定决定书）"), 2000, rows=3)
    decided_on = forms.DateField(
        label=_("认定日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("认定日期无效，格式应为 YYYY-MM-DD")},
    )  # fmt: skip
    term_months = forms.IntegerField(
        label=_("期限（月，留空按名单默认期限）"), required=False, min_value=1,
        max_value=TERM_MONTHS_MAX,
        widget=forms.TextInput(attrs={"size": 4, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("期限应为整数（月）"),
            "min_value": _("期限至少为 1 个月"),
            "max_value": _("期限不得超过 %(limit_value)s 个月"),
        },
    )  # fmt: skip
    permanent = forms.BooleanField(label=_("终身（仅限可终身的名单）"), required=False)


class PublishForm(StepForm):
    step = EntryAction.PUBLISH


class RemoveForm(StepForm):
    step = EntryAction.REMOVE
    reason = forms.CharField(label=_("移出原因"), required=False,
                             widget=forms.Select(choices=RemovalReason.choices))  # fmt: skip
    note = limited_text_field(_("说明"), 500)


class DropForm(StepForm):
    step = EntryAction.DROP
    note = limited_text_field(_("不予认定理由"), 500, required=True)


class ObjectionForm(StepForm):
    """Mark an objection (``under`` 1: the measures suspended) or clear it (0)."""

    step = EntryAction.OBJECTION
    under = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", required=False,
        empty_value=False, widget=forms.HiddenInput,
    )  # fmt: skip
    note = limited_text_field(_("说明"), 500)


STEP_FORMS = {f.step: f for f in (NotifyForm, HearForm, DecideForm, PublishForm, RemoveForm,
                                  DropForm, ObjectionForm)}  # fmt: skip


class _Which(forms.Form):
    action = forms.ChoiceField(choices=[(k, k) for k in STEP_FORMS])


def sent_step(data) -> StepForm | None:
    """The form of the step sent (None: no step the page has)."""
    which = _Which(data)
    return STEP_FORMS[which.cleaned_data["action"]](data) if which.is_valid() else None
