"""Forms of what the designating department does after publication, on the case page:
initiate the joint action, order rectification, schedule an interview, and record their
outcome (one form per open order or interview) — each error shown beside its field. The
controls' ids are each form's own (``id_<kind>_<field>``, ``id_<kind>_<row>_<field>``):
the page holds several of them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.core.forms import Form, RowForm, RowIdField, limited_text_field
from xinyong.core.params import whole_number
from xinyong.sanctions.choices import InterviewKind


class _FollowUp(Form):
    """``kind`` (hidden) names the form; ``args()`` is what its service is given."""

    step = ""
    row_field = ""
    kind = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, row: int | None = None):
        if data is not None and self.row_field:  # the row the form was sent for
            row = whole_number(data.get(self.row_field))
        initial = {"kind": self.step} | ({self.row_field: row} if self.row_field else {})
        auto_id = f"id_{self.step}_{row}_%s" if self.row_field else f"id_{self.step}_%s"
        super().__init__(data, auto_id=auto_id, initial=initial)

    def args(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "kind"}


class JointActionForm(_FollowUp):
    step = "joint_action"
    note = limited_text_field(_("说明"), 500)


class RectificationForm(_FollowUp):
    step = "rectification"
    error_fields = {"workdays_given": "workdays"}
    content = limited_text_field(_("整改要求"), 2000, required=True, rows=2)
    legal_basis = limited_text_field(_("依据"), 500, required=True)
    workdays = forms.IntegerField(
        label=_("整改期限（工作日）"), required=False,
        widget=forms.TextInput(attrs={"size": 4, "inputmode": "numeric", "required": True}),
        error_messages={"invalid": _("整改期限应为 1 至 180 个工作日")},
    )  # fmt: skip

    def args(self) -> dict:
        d = self.cleaned_data
        return {"content": d["content"], "legal_basis": d["legal_basis"],
                "workdays_given": d["workdays"] or 0}  # fmt: skip


class InterviewForm(_FollowUp):
    step = "interview"
    error_fields = {"kind": "interview_kind"}
    interview_kind = forms.CharField(
        label=_("约谈类型"), required=False, widget=forms.Select(choices=InterviewKind.choices)
    )
    scheduled_at = forms.DateTimeField(
        label=_("约谈时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("请填写约谈时间"),
                        "invalid": _("约谈时间无效，格式应为 YYYY-MM-DD HH:MM")},
    )  # fmt: skip
    participants = limited_text_field(_("约谈对象"), 300, required=True)

    def args(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["interview_kind"], "scheduled_at": d["scheduled_at"],
                "participants": d["participants"]}  # fmt: skip


class RectificationDoneForm(_FollowUp, RowForm):
    step = "rectification_done"
    row_field = "order"
    order = RowIdField()
    result = limited_text_field(_("整改结果"), 2000, required=True)

    def args(self) -> dict:
        return {"order_id": self.cleaned_data["order"], "result": self.cleaned_data["result"]}


class InterviewDoneForm(_FollowUp, RowForm):
    step = "interview_done"
    row_field = "interview"
    interview = RowIdField()
    minutes = limited_text_field(_("约谈记录"), 5000, required=True)

    def args(self) -> dict:
        d = self.cleaned_data
        return {"interview_id": d["interview"], "minutes": d["minutes"]}


FOLLOW_UP_FORMS = {f.step: f for f in (JointActionForm, RectificationForm, InterviewForm,
                                       RectificationDoneForm, InterviewDoneForm)}  # fmt: skip


class _Which(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in FOLLOW_UP_FORMS])


def sent_follow_up(data) -> _FollowUp | None:
    """The form sent (None: no form the page has)."""
    which = _Which(data)
    return FOLLOW_UP_FORMS[which.cleaned_data["kind"]](data) if which.is_valid() else None
