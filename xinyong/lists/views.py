"""Back-office pages of credit lists: the department's cases, opening a case, and one case
with the steps the reader may take next. Thin: services write, selectors read."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import act, refused, staff_actor
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.params import id_param, ids_param, offset_param, whole_number
from xinyong.lists import selectors, services
from xinyong.lists.choices import (
    BasisKind,
    EntryAction,
    EntryStatus,
    NationalCategory,
    RemovalReason,
)
from xinyong.lists.document_views import case_documents
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
    subject = _subject(request.POST.get("subject") or request.GET.get("subject", ""))
    ctx = {
        "subject": subject,
        "query": request.GET.get("subject", ""),
        "list_types": [lt for lt in selectors.list_types()],
        "categories": NationalCategory.choices,
        "basis_kinds": BasisKind.choices,
        "form": request.POST,
        "records": [],
    }
    if subject is not None:
        ctx["records"] = credit_file(actor=actor, subject=subject, limit=100).records
    if request.method != "POST":
        return render(request, "lists/case_new.html", ctx)
    try:
        if subject is None:
            raise ValidationFailed([FieldError("subject", "required", _("请先选择信用主体"))])
        entry = services.entry_open(
            actor=actor,
            list_code=request.POST.get("list", ""),
            subject_id=subject.pk,
            grounds=request.POST.get("grounds", ""),
            legal_basis=request.POST.get("legal_basis", ""),
            basis_kind=request.POST.get("basis_kind", ""),
            basis_document=request.POST.get("basis_document", ""),
            basis_record_ids=ids_param(request.POST, "basis_records"),
            national_category=request.POST.get("national_category", ""),
        )
    except (ValidationFailed, NotFound) as e:
        ctx["errors"] = e.errors if isinstance(e, ValidationFailed) else [
            FieldError("list", "not_found", str(e))
        ]  # fmt: skip
        return render(request, "lists/case_new.html", ctx, status=400)
    except PermissionDenied as e:
        ctx["errors"] = [FieldError("department", "permission", str(e))]
        return render(request, "lists/case_new.html", ctx, status=403)
    messages.success(request, _("已立案：%(list)s") % {"list": entry.list_type.name})
    return redirect("backoffice:list_case", pk=entry.pk)


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
    period = (request.POST if request.method == "POST" else request.GET).get("period", "")
    ctx = {"suggested": last_period(timezone.localdate()), "can_publish": may,
           "period": period, "excluded": {}, "reasons": {}}  # fmt: skip
    status = 200
    if request.method == "POST":
        shown = ids_param(request.POST, "shown")
        excluded = {
            pk: request.POST.get(f"reason_{pk}", "")
            for pk in shown
            if request.POST.get(f"exclude_{pk}")
        }
        try:
            roll = services.roll_publish(actor=actor, period=period, excluded=excluded, shown=shown)
        except PermissionDenied as e:
            refused(request, e)
            return redirect("backoffice:roll")
        except ValidationFailed as e:
            ctx |= {"errors": e.errors, "excluded": excluded}
            status = 400
        else:
            messages.success(
                request,
                _("已发布 %(period)s 红黑榜：%(n)d 条，不予发布 %(m)d 条")
                % {"period": roll.period, "n": roll.entries.count(), "m": len(excluded)},
            )
            return redirect("backoffice:roll")
    if may and period:
        try:
            ctx["red"], ctx["black"] = selectors.roll_preview(
                period=period, today=timezone.localdate()
            )
            ctx["preview"] = True
            ctx["not_ended"] = not selectors.period_ended(period, timezone.localdate())
            ctx["sections"] = [(_("红榜（诚信典型）"), ctx["red"]), (_("黑榜"), ctx["black"])]
        except ValidationFailed as e:
            ctx["errors"] = e.errors
            status = 400
    ctx["entry_errors"] = {
        whole_number(e.field.removeprefix("reason_")): e.message
        for e in ctx.get("errors", [])
        if e.field.startswith("reason_")
    }
    periods = selectors.rolls()
    ctx |= {"periods": periods, "exclusions": selectors.roll_exclusions(periods)}
    return render(request, "lists/roll_admin.html", ctx, status=status)
