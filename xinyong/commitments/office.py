"""Reads of the back office's commitment pages: the credit office's settings (each matter's
rule, its templates and their text versions), a department's review queue (复核: what is
open, late ones first), one commitment as the department sees it, its uploaded files, and
the dashboard's to-do lists. Plain dicts with names, never codes, for the templates.

Who reads what: the operator and the auditor every department's commitments; a
department's staff those its department accepted (the access layer's :func:`acting_q`) —
a published commitment of another department is on the portal, not in this office."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.commitments import selectors
from xinyong.commitments.choices import (
    BreachKind,
    CheckMethod,
    CommitmentKind,
    CommitmentStatus,
    HearingOutcome,
)
from xinyong.commitments.models import Commitment, CommitmentTemplate, MatterRule
from xinyong.core import workdays
from xinyong.core.errors import NotFound
from xinyong.core.labels import choice_label
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.lists.models import ListEntry
from xinyong.sanctions.models import Matter

S = CommitmentStatus
# The queue's statuses: what a department still has to act on.
QUEUE_STATUSES = (S.IN_FORCE, S.BREACH_PROPOSED)

# The steps of a commitment's story (CommitmentEvent.action), named.
EVENT_LABELS = {
    "sign": gettext_lazy("签署"),
    "keep": gettext_lazy("核查确认履约"),
    "propose_breach": gettext_lazy("告知拟认定违诺"),
    "statement": gettext_lazy("陈述申辩"),
    "decide": gettext_lazy("违诺认定决定"),
    "end": gettext_lazy("逾期未补正，终止办理"),
    "lapse": gettext_lazy("有效期届满"),
    "lift": gettext_lazy("解除告知承诺限制"),
}


def office_q(actor: Actor) -> Q:
    """The commitments a back-office reader follows: every department's for who reads
    them all (the operator, the auditor), else its own department's (:func:`acting_q`)."""
    if actor.reads_all_departments:
        return Q()
    return access.acting_q(actor, Action.COMMITMENT_HANDLE)


def _office(actor: Actor):
    return Commitment.objects.visible_to(actor).filter(office_q(actor))


# -- the credit office's settings ----------------------------------------------------------


def settings_matters() -> list[dict]:
    """Every matter with its rule and how many templates (active ones) it has."""
    rules = {r.matter_id: r for r in MatterRule.objects.all()}
    counts: dict[int, list[int]] = {}
    for matter_id, active in CommitmentTemplate.objects.values_list("matter_id", "active"):
        counts.setdefault(matter_id, [0, 0])
        counts[matter_id][0] += 1
        counts[matter_id][1] += int(active)
    default = MatterRule()
    out = []
    for m in Matter.objects.order_by("code"):
        r = rules.get(m.pk, default)
        total, active = counts.get(m.pk, [0, 0])
        out.append(
            {
                "code": m.code,
                "name": m.name,
                "time_limit_workdays": r.time_limit_workdays,
                "high_risk": r.high_risk,
                "block_months": r.block_months,
                "templates": total,
                "active": active,
            }
        )
    return out


def matter_settings(code: str) -> dict:
    """One matter's rule and its templates, each with the text of its latest version and
    every version written (newest first)."""
    matter = Matter.objects.filter(code=code).first()
    if matter is None:
        raise NotFound(_("未知办理事项“%(matter)s”") % {"matter": code})
    rule = MatterRule.objects.filter(matter=matter).first() or MatterRule(matter=matter)
    templates = []
    qs = CommitmentTemplate.objects.filter(matter=matter).prefetch_related("versions")
    for t in qs.order_by("kind"):
        versions = sorted(t.versions.all(), key=lambda v: -v.version)
        templates.append(
            {
                "id": t.pk,
                "kind": t.kind,
                "kind_label": choice_label(CommitmentKind, t.kind),
                "name": t.name,
                "check_method": t.check_method,
                "check_method_label": choice_label(CheckMethod, t.check_method),
                "check_workdays": t.check_workdays,
                "exempt_reason": t.exempt_reason,
                "validity_months": t.validity_months,
                "legal_basis": t.legal_basis,
                "active": t.active,
                "text": versions[0].text if versions else "",
                "versions": [
                    {
                        "version": v.version,
                        "text": v.text,
                        "created_by": v.created_by,
                        "created_at": v.created_at,
                    }
                    for v in versions
                ],
            }
        )
    return {"code": matter.code, "name": matter.name, "rule": rule, "templates": templates}


# -- recording a paper commitment ----------------------------------------------------------


def record_terms(today: datetime.date) -> list[dict]:
    """The matters that take commitments, the kinds each takes (from the rules) and, for
    deficiency-tolerant acceptance, the latest date the missing documents may be due."""
    out = []
    for view in sorted(selectors.rules().matters.values(), key=lambda v: v.code):
        kinds = [k for k in sorted(view.templates) if k != CommitmentKind.REPAIR]
        if not kinds:
            continue
        try:
            latest = workdays.add_workdays(today, view.time_limit_workdays)
        except workdays.CalendarNotCovered:
            latest = None
        out.append(
            {
                "code": view.code,
                "name": view.name,
                "kinds": [choice_label(CommitmentKind, k) for k in kinds],
                "kind_codes": kinds,
                "time_limit_workdays": view.time_limit_workdays,
                "latest_supply_due": latest,
                "high_risk": view.high_risk,
            }
        )
    return out


# -- the review queue ----------------------------------------------------------------------


def unchecked_q() -> Q:
    """Still waiting for its check: in force and not checked (a kept, breached, ended or
    lapsed commitment was dealt with). Late once its ``check_due`` has passed; the
    effectiveness scorecards (``stats.scorecards``) count the others as checked."""
    return Q(status=S.IN_FORCE, checked_at__isnull=True)


def _late_q(today: datetime.date) -> Q:
    return (
        unchecked_q() & Q(check_due__lt=today)
        | Q(status=S.IN_FORCE, kind=CommitmentKind.DEFICIENCY, supply_due__lt=today)
        | Q(status=S.BREACH_PROPOSED, statement_due__lt=today)
    )


def _open_q() -> Q:
    """Open and waiting for the department: a check due, missing documents, a proposed
    breach (an exempt commitment in force waits for nothing)."""
    return (
        Q(status=S.IN_FORCE, check_due__isnull=False)
        | Q(status=S.IN_FORCE, kind=CommitmentKind.DEFICIENCY)
        | Q(status=S.BREACH_PROPOSED)
    )


def _due(c: Commitment) -> datetime.date | None:
    if c.status == S.BREACH_PROPOSED:
        return c.statement_due
    if c.kind == CommitmentKind.DEFICIENCY and c.supply_due:
        return c.supply_due
    return c.check_due


def _row(c: Commitment, today: datetime.date) -> dict:
    due = _due(c)
    return {
        "id": c.pk,
        "number": c.number,
        "subject": c.subject.name,
        "matter": c.matter.name,
        "kind": choice_label(CommitmentKind, c.kind),
        "department": c.department.name,
        "status": c.status,
        "status_label": choice_label(CommitmentStatus, c.status),
        "signed_at": c.signed_at,
        "due": due,
        "due_label": _due_label(c),
        "late": bool(due and due < today),
    }


def _due_label(c: Commitment) -> str:
    if c.status == S.BREACH_PROPOSED:
        return _("陈述申辩期至")
    if c.kind == CommitmentKind.DEFICIENCY and c.supply_due:
        return _("补正材料期限")
    return _("核查期限")


def queue(
    *, actor: Actor, today: datetime.date, status: str = "", department: int | None = None
) -> list[dict]:
    """The department's open commitments (the operator's and the auditor's: every
    department's, or one), late ones first, then by their due date. ``status``: one of
    the open statuses, or every status when ``all``."""
    qs = _office(actor)
    if status == "all":
        pass
    elif status in QUEUE_STATUSES:
        qs = qs.filter(_open_q(), status=status)
    else:
        qs = qs.filter(_open_q())
    if department is not None:
        qs = qs.filter(department_id=department)
    late = Case(When(_late_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    qs = qs.annotate(late_rank=late).select_related("subject", "matter", "department")
    rows = [_row(c, today) for c in qs.order_by("late_rank", "check_due", "signed_at", "pk")[:500]]
    far = datetime.date.max
    return sorted(rows, key=lambda r: (not r["late"], r["due"] or far))


def filter_departments(actor: Actor):
    """The departments the queue's filter offers: every one to a reader of every
    department; None (no filter) to a department's staff, whose queue is their own."""
    if not access.reads_every_department(actor):
        return None
    return Department.objects.order_by("code")


# -- one commitment ------------------------------------------------------------------------


def commitment_get(*, actor: Actor, commitment_id: int) -> Commitment:
    c = (
        _office(actor)
        .select_related("subject", "matter", "department", "template", "template_version")
        .filter(pk=commitment_id)
        .first()
    )
    if c is None:
        raise NotFound(_("没有信用承诺 %(id)s") % {"id": commitment_id})
    return c


def commitment_detail(*, actor: Actor, commitment_id: int, today: datetime.date) -> dict:
    """Everything about the commitment as the department sees it, and the steps the
    reader may take now (``may``: keep, propose, decide; ``wait``: why the decision must
    wait for the statement period)."""
    c = commitment_get(actor=actor, commitment_id=commitment_id)
    case = ListEntry.objects.filter(pk=c.case_id).select_related("list_type").first()
    handle = access.allowed(actor, Action.COMMITMENT_HANDLE, c)
    decide = c.status == S.BREACH_PROPOSED and access.allowed(actor, Action.COMMITMENT_DECIDE, c)
    wait = ""
    if decide and c.statement_at is None and c.statement_due and today <= c.statement_due:
        wait = _("主体的陈述申辩期至 %(due)s：期满或收到陈述申辩后方可认定") % {
            "due": c.statement_due
        }
    return {
        "c": c,
        "subject": c.subject,
        "matter": c.matter.name,
        "kind": choice_label(CommitmentKind, c.kind),
        "status_label": choice_label(CommitmentStatus, c.status),
        "channel": c.get_channel_display(),
        "check_method": choice_label(CheckMethod, c.check_method),
        "template_name": c.template.name,
        "version": c.template_version.version,
        "text": c.template_version.text,
        "department": c.department.name,
        "missing": list(c.missing.all()),
        "events": [
            {
                "label": str(EVENT_LABELS.get(e.action, e.action)),
                "status": choice_label(CommitmentStatus, e.status),
                "by": e.by,
                "at": e.at,
                "note": e.note,
            }
            for e in c.events.all()
        ],
        "breach_kind": choice_label(BreachKind, c.breach_kind),
        "hearing": choice_label(HearingOutcome, c.hearing_outcome),
        "case": case,
        "case_status": case.get_status_display() if case else "",
        "may_keep": handle and c.status == S.IN_FORCE,
        "may_propose": handle and c.status in (S.IN_FORCE, S.KEPT),
        "may_decide": decide,
        "wait": wait,
        "clerk_only": c.status == S.BREACH_PROPOSED and handle and not decide,
    }


def commitment_file(*, actor: Actor, commitment_id: int, which: str):
    """The paper commitment's scan or a breach's evidence, for staff who may see the
    commitment (the read audited): its path and the name it was uploaded under."""
    c = commitment_get(actor=actor, commitment_id=commitment_id)
    path, name = (
        (c.scan_path, c.scan_name) if which == "scan" else (c.evidence_path, c.evidence_name)
    )
    if not path or not actor.is_staff:
        raise NotFound(_("没有该文件"))
    with transaction.atomic():
        audit_event_append(
            actor=actor,
            action=AuditAction.CREDIT_FILE_READ,
            object_type="commitment",
            object_id=c.number,
            detail={"file": which},
        )
    return settings.XINYONG_REMEDY_DIR / path, name


# -- the dashboard's to-do lists -----------------------------------------------------------


def _todo(c: Commitment, step: str, today: datetime.date, *, deadline: bool = True) -> Todo:
    """A to-do item; a decision has no deadline of its own (``deadline=False``): it waits
    since the statement period ended or the answer came."""
    due = _due(c)
    if not deadline:
        since = timezone.localdate(c.statement_at) if c.statement_at else due
        return Todo(step=step, subject=c.subject.name, about=f"{c.number} {c.matter.name}",
                    url=reverse("backoffice:commitment", args=[c.pk]), since=since)  # fmt: skip
    return Todo(
        step=step,
        subject=c.subject.name,
        about=f"{c.number} {c.matter.name}",
        url=reverse("backoffice:commitment", args=[c.pk]),
        due=due,
        late=bool(due and due < today),
    )


def checks_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Commitments the reader's department has to check (or whose missing documents it
    waits for), by their due date — for staff the access layer lets handle them."""
    qs = Commitment.objects.filter(
        access.acting_q(actor, Action.COMMITMENT_HANDLE),
        Q(check_due__isnull=False) | Q(kind=CommitmentKind.DEFICIENCY),
        status=S.IN_FORCE,
    )
    rows = qs.select_related("subject", "matter").order_by("check_due", "supply_due", "pk")
    items = [_todo(c, _("核查信用承诺"), today) for c in rows[:SHOWN]]
    url = reverse("backoffice:commitments")
    return TodoList("commitment_checks", _("信用承诺待核查"), url, qs.count(), late_first(items))


def decisions_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Proposed breaches the reviewer may decide now: the subject answered or its period
    ran out."""
    qs = Commitment.objects.filter(
        Q(statement_at__isnull=False) | Q(statement_due__lt=today),
        access.acting_q(actor, Action.COMMITMENT_DECIDE),
        status=S.BREACH_PROPOSED,
    )
    rows = qs.select_related("subject", "matter").order_by("statement_due", "pk")
    items = [_todo(c, _("认定违诺"), today, deadline=False) for c in rows[:SHOWN]]
    url = reverse("backoffice:commitments") + "?status=breach_proposed"
    return TodoList("commitment_decisions", _("违诺待认定"), url, qs.count(), late_first(items))
