"""Back-office pages of credit lists: the department's cases, opening a case, and one case
with the steps the reader may take next. Thin: services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import refused, staff_actor, take_step
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.forms import submit
from xinyong.core.params import offset_param, whole_number
from xinyong.lists import selectors, services
from xinyong.lists.choices import EntryAction, EntryStatus
from xinyong.lists.document_views import case_documents
from xinyong.lists.forms import CaseOpenForm, RollPublishForm
from xinyong.lists.procedure import marks_objections, may_open_case, next_actions
from xinyong.lists.schemas import EntryOut
from xinyong.lists.services.roll import last_period
from xinyong.lists.step_forms import STEP_FORMS, ObjectionForm, sent_step
from xinyong.records.selectors import credit_file
from xinyong.sanctions.follow_up_forms import (
    InterviewDoneForm,
    InterviewForm,
    JointActionForm,
    RectificationDoneForm,
    RectificationForm,
)
from xinyong.sanctions.selectors import entry_actions
from xinyong.subjects import selectors as subjects

PAGE = 50


@login_required
def case_list(request: HttpRequest):
    actor = staff_actor(request)
    status = request.GET.get("status") or None
    if status not in (None, *EntryStatus.values):
        status = None
    offset = offset_param(request.GET)
    rows = list(selectors.cases(actor=actor, status=status)[offset : offset + PAGE + 1])
    return render(
        request,
        "lists/case_list.html",
        {
            "entries": [EntryOut.full(e) for e in rows[:PAGE]],
            "statuses": EntryStatus.choices,
            "status": status,
            "offset": offset,
            "next_offset": offset + PAGE if len(rows) > PAGE else None,
            "can_open": may_open_case(actor),
        },
    )


def _subject(value: str):
    value = (value or "").strip()
    if value.isdigit():
        try:
            return subjects.subject_get(pk=whole_number(value) or 0, public=False)
        except NotFound:
            return None
    return subjects.subject_by_uscc(value) if value else None


@login_required
def case_new(request: HttpRequest):
    """Open a case: choose the subject, the list, the grounds and the basis (the subject's
    records this department may cite, or a document number)."""
    actor = staff_actor(request)
    list_types = list(selectors.list_types())
    post = request.method == "POST"
    form = CaseOpenForm(request.POST if post else None, list_types=list_types)
    subject = _subject(form["subject"].value() or request.GET.get("subject", ""))
    ctx = {"subject": subject, "query": request.GET.get("subject", ""), "form": form,
           "records": []}  # fmt: skip
    if subject is not None:
        ctx["records"] = credit_file(actor=actor, subject=subject, limit=100).records
    elif post:
        form.add_error(None, _("请先选择信用主体"))

    def open_case(d):
        try:
            return services.entry_open(
                actor=actor, list_code=d["list"], subject_id=subject.pk, grounds=d["grounds"],
                legal_basis=d["legal_basis"], basis_kind=d["basis_kind"],
                basis_document=d["basis_document"], basis_record_ids=d["basis_records"],
                national_category=d["national_category"],
            )  # fmt: skip
        except NotFound as e:  # the list chosen is not one that may be chosen
            raise ValidationFailed.one("list", "not_found", str(e)) from None

    return submit(
        request, form, open_case,
        page=lambda status: render(request, "lists/case_new.html", ctx, status=status),
        done=lambda entry: _("已立案：%(list)s") % {"list": entry.list_type.name},
        then=lambda entry: reverse("backoffice:list_case", args=[entry.pk]),
        refused=403,
    )  # fmt: skip


@login_required
def case_detail(request: HttpRequest, pk: int):
    """One case with the steps the reader may take next: a step taken, back to the case
    with its outcome; its input refused, the case again with each error beside its field."""
    actor = staff_actor(request)
    entry = selectors.entry_get(actor=actor, entry_id=pk)
    if request.method != "POST":
        return case_page(request, actor, entry)
    form = sent_step(request.POST)
    if form is None:
        messages.error(request, _("未知的办理环节"))
        return redirect("backoffice:list_case", pk=pk)
    service = STEP_SERVICES[form.step]
    done = lambda e: _("已办理：%(step)s，当前状态：%(status)s") % {  # noqa: E731
        "step": EntryAction(form.step).label, "status": EntryStatus(e.status).label,
    }  # fmt: skip
    call = lambda _d: service(actor=actor, entry_id=entry.pk, **form.args())  # noqa: E731
    if take_step(request, form, call, done):
        return redirect("backoffice:list_case", pk=pk)
    return case_page(request, actor, entry, sent=form, status=400)


STEP_SERVICES = {
    EntryAction.NOTIFY: services.entry_notify,
    EntryAction.HEAR: services.entry_hear,
    EntryAction.DECIDE: services.entry_decide,
    EntryAction.PUBLISH: services.entry_publish,
    EntryAction.REMOVE: services.entry_remove,
    EntryAction.DROP: services.entry_drop,
    EntryAction.OBJECTION: services.entry_objection_set,
}
NEW_FOLLOW_UP = (JointActionForm, RectificationForm, InterviewForm)


def case_page(request: HttpRequest, actor, entry, *, sent=None, status: int = 200):
    """The case page; ``sent``: the form of a step (or of a follow-up) whose input was
    refused, shown again in its place with its errors — or above the steps when the page
    no longer offers it."""
    own = access.allowed(actor, Action.DEPARTMENT_ACT, entry)
    in_force = entry.is_in_force()
    shown = []

    def form(cls, row=None):
        if type(sent) is cls and (row is None or sent.row_id == row):
            shown.append(sent)
            return sent
        return cls(row=row) if row is not None else cls()

    steps = [(a, form(STEP_FORMS[a])) for a in (next_actions(entry, actor) if own else [])]
    objection = None
    if marks_objections(actor, entry) and in_force:
        objection = form(ObjectionForm)
        objection.initial["under"] = "0" if entry.under_objection else "1"
    follow_up = entry_actions(actor=actor, entry_id=entry.pk)
    ctx = {
        "entry": EntryOut.full(entry, details=True),
        "follow_up": follow_up,
        "steps": steps,
        "actions": [a for a, _f in steps],
        "objection": objection,
        **case_documents(actor, entry),
    }
    if follow_up:
        ctx["orders"] = [(o, form(RectificationDoneForm, o.pk) if own else None)
                         for o in follow_up["orders"]]  # fmt: skip
        ctx["interviews"] = [(i, form(InterviewDoneForm, i.pk) if own else None)
                             for i in follow_up["interviews"]]  # fmt: skip
        if own and in_force:
            ctx["new_follow_up"] = [form(cls) for cls in NEW_FOLLOW_UP]
    ctx["sent"], ctx["sent_elsewhere"] = sent, sent is not None and sent not in shown
    return render(request, "lists/case_detail.html", ctx, status=status)


@login_required
def roll_admin(request: HttpRequest):
    """The honor and dishonor roll: the published months, and for the credit office a
    month's preview — the entries that would be published, each of which may be left out
    with a reason — then the publication of what the preview showed."""
    actor = staff_actor(request)
    may = access.allowed(actor, Action.ADMINISTER)
    post = request.method == "POST"
    form = RollPublishForm(request.POST if post else None)
    period = form["period"].value() if post else request.GET.get("period", "")
    ctx = {"suggested": last_period(timezone.localdate()), "can_publish": may,
           "period": period, "form": form}  # fmt: skip
    status = 200
    if post and form.is_valid():
        excluded = form.excluded()
        try:
            roll = services.roll_publish(
                actor=actor, period=period, excluded=excluded, shown=form.cleaned_data["shown"]
            )
        except PermissionDenied as e:
            refused(request, e)
            return redirect("backoffice:roll")
        except ValidationFailed as e:
            form.fail(e)
            status = 400
        else:
            messages.success(
                request,
                _("已发布 %(period)s 红黑榜：%(n)d 条，不予发布 %(m)d 条")
                % {"period": roll.period, "n": roll.entries.count(), "m": len(excluded)},
            )
            return redirect("backoffice:roll")
    elif post:
        status = 400
    if may and period:
        try:
            red, black = selectors.roll_preview(period=period, today=timezone.localdate())
        except ValidationFailed as e:  # said once: beside the period when the form said it
            ctx["errors"] = [] if form["period"].errors else e.errors
            status = 400
        else:
            ctx["preview"] = True
            ctx["not_ended"] = not selectors.period_ended(period, timezone.localdate())
            ctx["sections"] = [
                (heading, [(e, *form.row(e.pk)) for e in entries])
                for heading, entries in ((_("红榜（诚信典型）"), red), (_("黑榜"), black))
            ]
    periods = selectors.rolls()
    ctx |= {"periods": periods, "exclusions": selectors.roll_exclusions(periods)}
    return render(request, "lists/roll_admin.html", ctx, status=status)
