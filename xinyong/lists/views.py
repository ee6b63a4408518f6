"""Back-office pages of credit lists: the department's cases, opening a case, and one case
with the steps the reader may take next. Thin: services write, selectors read."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import act, refused, staff_actor
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.forms import submit
from xinyong.core.params import id_param, offset_param, whole_number
from xinyong.lists import selectors, services
from xinyong.lists.choices import (
    EntryAction,
    EntryStatus,
    RemovalReason,
)
from xinyong.lists.document_views import case_documents
from xinyong.lists.forms import CaseOpenForm, RollPublishForm
from xinyong.lists.procedure import marks_objections, may_open_case, next_actions
from xinyong.lists.schemas import EntryOut
from xinyong.lists.services.roll import last_period
from xinyong.records.selectors import credit_file
from xinyong.sanctions.choices import InterviewKind
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
    actor = staff_actor(request)
    entry = selectors.entry_get(actor=actor, entry_id=pk)
    if request.method == "POST":
        _step(request, actor, entry)
        return redirect("backoffice:list_case", pk=pk)
    own = access.allowed(actor, Action.DEPARTMENT_ACT, entry)
    return render(
        request,
        "lists/case_detail.html",
        {
            "entry": EntryOut.full(entry, details=True),
            "follow_up": entry_actions(actor=actor, entry_id=entry.pk),
            "can_follow_up": own,
            "in_force": entry.is_in_force(),
            "interview_kinds": InterviewKind.choices,
            "actions": next_actions(entry, actor.role) if own else [],
            "can_mark_objection": marks_objections(actor, entry) and entry.is_in_force(),
            "removal_reasons": RemovalReason.choices,
            **case_documents(actor, entry),
        },
    )


def _step(request: HttpRequest, actor, entry) -> None:
    """One step from the case page; the outcome (or the refusal) as a message."""
    p = request.POST
    action = p.get("action", "")
    calls = {
        EntryAction.NOTIFY: lambda: services.entry_notify(
            actor=actor, entry_id=entry.pk, notice_no=p.get("notice_no", "")
        ),
        EntryAction.HEAR: lambda: services.entry_hear(
            actor=actor, entry_id=entry.pk, statement=p.get("statement", "")
        ),
        EntryAction.DECIDE: lambda: services.entry_decide(
            actor=actor,
            entry_id=entry.pk,
            decision_no=p.get("decision_no", ""),
            decided_on=_date(p.get("decided_on")),
            term_months=id_param(p, "term_months", None),
            permanent=bool(p.get("permanent")),
            statement_adoption=p.get("statement_adoption", ""),
            statement_reply=p.get("statement_reply", ""),
        ),
        EntryAction.PUBLISH: lambda: services.entry_publish(actor=actor, entry_id=entry.pk),
        EntryAction.REMOVE: lambda: services.entry_remove(
            actor=actor, entry_id=entry.pk, reason=p.get("reason", ""), note=p.get("note", "")
        ),
        EntryAction.DROP: lambda: services.entry_drop(
            actor=actor, entry_id=entry.pk, note=p.get("note", "")
        ),
        EntryAction.OBJECTION: lambda: services.entry_objection_set(
            actor=actor, entry_id=entry.pk, under=p.get("under") == "1", note=p.get("note", "")
        ),
    }
    call = calls.get(action)
    if call is None:
        messages.error(request, _("未知的办理环节"))
        return
    act(request, call, lambda done: _("已办理：%(step)s，当前状态：%(status)s") % {
        "step": EntryAction(action).label, "status": EntryStatus(done.status).label,
    })  # fmt: skip


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(
            [FieldError("decided_on", "date.format", _("认定日期无效，格式应为 YYYY-MM-DD"))]
        ) from None


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
