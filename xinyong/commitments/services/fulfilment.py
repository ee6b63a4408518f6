"""Writes of fulfilment: the accepting department finds a commitment kept, or proposes a
breach with evidence and reasons; the subject is heard (陈述申辩) before the department's
reviewer decides — only then is the breach recorded (a negative record), a watch-list case
opened and notify-and-commit barred. A deficiency-tolerant case whose documents are late
ends by itself in the daily sweep, both sides told. A breach's bar is lifted at once when
its record is repaired or withdrawn."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import Role
from xinyong.accounts.models import User
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.commitments import feeds
from xinyong.commitments.choices import (
    BreachKind,
    CommitmentKind,
    CommitmentStatus,
    HearingOutcome,
)
from xinyong.commitments.models import Commitment, CommitmentEvent
from xinyong.commitments.services.filing import case_open, commitments_file
from xinyong.commitments.services.signing import text_checked
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.uploads import material_check, material_discard, material_store
from xinyong.remedies.choices import BindingStatus
from xinyong.remedies.models import SubjectBinding
from xinyong.remedies.services.bindings import notify

S = CommitmentStatus
MAX_TEXT = 4000


def _locked(actor: Actor, commitment_id: int, action: Action, states) -> Commitment:
    """The commitment, locked, once the actor may take ``action`` on it in its state."""
    c = (
        Commitment.objects.select_for_update().filter(pk=commitment_id).first()
        if str(commitment_id).isdigit()
        else None
    )
    if c is None or not (
        access.allowed(actor, action, c)
        or Commitment.objects.visible_to(actor).filter(pk=c.pk).exists()
    ):
        raise NotFound(gettext("没有信用承诺 %(id)s") % {"id": commitment_id})
    access.require(actor, action, c)
    if c.status not in states:
        raise ValidationFailed.one(
            "status",
            "commitment.state",
            gettext("该承诺当前为“%(status)s”，不能办理此环节")
            % {"status": c.get_status_display()},
        )
    return c


def _text(field: str, value: str, label: str) -> str:
    """A required text of at most ``MAX_TEXT`` characters, refused alone (signing's rule)."""
    errors: list = []
    value = text_checked(errors, field, value, label, MAX_TEXT)
    if errors:
        raise ValidationFailed(errors)
    return value


def _event(c: Commitment, action: str, by: str, now, note: str = "") -> None:
    e = CommitmentEvent.objects.create(
        commitment=c, action=action, status=c.status, by=by, at=now, note=note[:2000]
    )
    feeds.log([e], now)


def subject_accounts(subject_id: int) -> list[int]:
    return list(
        SubjectBinding.objects.filter(
            subject_id=subject_id, status=BindingStatus.APPROVED
        ).values_list("user_id", flat=True)
    )


def _tell_subject(c: Commitment, text: str) -> None:
    for user_id in subject_accounts(c.subject_id):
        notify(user_id, text, f"/account/commitments/{c.pk}/")


def _tell_department(c: Commitment, text: str) -> None:
    users = User.objects.filter(
        is_active=True,
        department_id=c.department_id,
        role__in=(Role.DEPARTMENT_OPERATOR, Role.DEPARTMENT_REVIEWER),
    ).values_list("pk", flat=True)
    for user_id in users:
        notify(user_id, text, f"/backoffice/commitments/{c.pk}/")


def commitment_keep(*, actor: Actor, commitment_id: int, note: str) -> Commitment:
    """The check found the commitment true and kept (or, for a deficiency-tolerant
    acceptance, the missing documents arrived in time): with what was checked."""
    note = _text("note", note, gettext("核查情况"))
    now = timezone.now()
    with transaction.atomic():
        c = _locked(actor, commitment_id, Action.COMMITMENT_HANDLE, (S.IN_FORCE,))
        c.status, c.checked_at, c.checked_by, c.check_note = S.KEPT, now, actor.label, note
        if c.kind == CommitmentKind.DEFICIENCY:
            c.supplied_at = now
            c.missing.filter(supplied_at__isnull=True).update(supplied_at=now)
        c.updated_at = now
        c.save()
        _event(c, "keep", actor.label, now, note)
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_SUPPLY
            if c.kind == CommitmentKind.DEFICIENCY
            else AuditAction.COMMITMENT_KEEP,
            object_type="commitment",
            object_id=c.number,
            detail={"late": bool(c.check_due and timezone.localdate(now) > c.check_due)},
        )
        commitments_file(actor=actor, ids=[c.pk])
        _tell_subject(c, gettext("信用承诺 %(number)s 经核查已履约") % {"number": c.number})
    return c


def commitment_breach_propose(
    *, actor: Actor, commitment_id: int, breach_kind: str, reasons: str, evidence
) -> Commitment:
    """The department tells the subject it intends to find the commitment false or broken,
    with the facts, reasons and evidence, and the period to answer. Nothing is recorded yet."""
    errors = []
    if breach_kind not in BreachKind.values:
        errors.append(
            FieldError(
                "breach_kind",
                "enum",
                gettext("违诺情形应为 %(kinds)s")
                % {"kinds": "、".join(map(str, BreachKind.labels))},
            )
        )
    try:
        reasons = _text("reasons", reasons, gettext("违诺事实和理由"))
    except ValidationFailed as e:
        errors.extend(e.errors)
    try:
        material_check(evidence, field="evidence")
    except ValidationFailed as e:
        errors.extend(e.errors)
    if errors:
        raise ValidationFailed(errors)
    now = timezone.now()
    try:
        due = workdays.add_workdays(
            timezone.localdate(now), settings.XINYONG_COMMITMENT_STATEMENT_WORKDAYS
        )
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("statement_due", "calendar.not_covered", str(e)) from None
    path, digest = "", ""
    try:
        with transaction.atomic():
            c = _locked(actor, commitment_id, Action.COMMITMENT_HANDLE, (S.IN_FORCE, S.KEPT))
            path, digest = material_store(evidence)
            c.status, c.breach_kind, c.breach_reasons = S.BREACH_PROPOSED, breach_kind, reasons
            c.evidence_path, c.evidence_name = path, evidence.name[:255]
            c.evidence_sha256, c.proposed_at, c.proposed_by = digest, now, actor.label
            c.statement_due, c.statement, c.statement_at = due, "", None
            c.hearing_outcome, c.updated_at = "", now
            c.save()
            _event(c, "propose_breach", actor.label, now, reasons)
            audit_event_append(
                actor=actor,
                action=AuditAction.COMMITMENT_PROPOSE_BREACH,
                object_type="commitment",
                object_id=c.number,
                detail={
                    "breach_kind": breach_kind,
                    "evidence_sha256": digest,
                    "statement_due": due.isoformat(),
                },
            )
            _tell_subject(
                c,
                gettext("受理部门拟认定信用承诺 %(number)s %(kind)s，请于 %(due)s 前陈述申辩")
                % {"number": c.number, "kind": BreachKind(breach_kind).label, "due": due},
            )
    except Exception:
        if path:
            material_discard(path)
        raise
    return c


def commitment_statement(*, actor: Actor, commitment_id: int, statement: str) -> Commitment:
    """The subject answers a proposed breach within its period (once; a later answer in
    the period replaces it)."""
    statement = _text("statement", statement, gettext("陈述申辩意见"))
    now = timezone.now()
    with transaction.atomic():
        c = _locked(actor, commitment_id, Action.COMMITMENT_STATEMENT, (S.BREACH_PROPOSED,))
        if timezone.localdate(now) > c.statement_due:
            raise ValidationFailed.one(
                "statement",
                "statement.late",
                gettext("陈述申辩期已于 %(due)s 届满") % {"due": c.statement_due},
            )
        c.statement, c.statement_at, c.updated_at = statement, now, now
        c.save()
        _event(c, "statement", actor.label, now, statement)
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_STATEMENT,
            object_type="commitment",
            object_id=c.number,
            detail={"chars": len(statement)},
        )
        _tell_department(
            c, gettext("信用承诺 %(number)s 的主体已提交陈述申辩") % {"number": c.number}
        )
    return c


def _bar(c: Commitment, today: datetime.date) -> tuple[datetime.date, bool]:
    """Until when, and where, a decided breach bars notify-and-commit."""
    from xinyong.commitments.selectors import rules

    if c.breach_kind == BreachKind.FALSE:
        years = settings.XINYONG_COMMITMENT_FALSE_LOOKBACK_YEARS
        return today + relativedelta(years=years), True
    view = rules().by_id.get(c.matter_id)
    return today + relativedelta(months=view.block_months if view else 12), False


def commitment_decide(*, actor: Actor, commitment_id: int, breach: bool, reason: str) -> Commitment:
    """The reviewer decides a proposed breach once the subject answered or its period ran
    out: the breach (not accepting the answer, with reasons) — a negative record, the bar,
    a watch-list case — or no breach (the answer accepted: the commitment stands)."""
    reason = _text("reason", reason, gettext("认定理由"))
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        c = _locked(actor, commitment_id, Action.COMMITMENT_DECIDE, (S.BREACH_PROPOSED,))
        if c.statement_at is None and today <= c.statement_due:
            raise ValidationFailed.one(
                "statement",
                "statement.pending",
                gettext("主体的陈述申辩期至 %(due)s：期满或收到陈述申辩后方可认定")
                % {"due": c.statement_due},
            )
        c.hearing_outcome = HearingOutcome.REJECTED if breach else HearingOutcome.ACCEPTED
        c.decision_reason, c.decided_at, c.decided_by, c.updated_at = reason, now, actor.label, now
        if breach:
            c.status = S.BREACHED
            c.bar_until, c.bars_every_matter = _bar(c, today)
        else:
            c.status = S.IN_FORCE if c.checked_at is None else S.KEPT
        c.save()
        _event(c, "decide", actor.label, now, reason)
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_DECIDE,
            object_type="commitment",
            object_id=c.number,
            detail={
                "breach": breach,
                "breach_kind": c.breach_kind,
                "reason": reason,
                "bar_until": c.bar_until.isoformat() if c.bar_until else None,
                "every_matter": c.bars_every_matter,
            },
        )
        if breach:
            commitments_file(actor=actor, ids=[c.pk], breach=True)
            _tell_subject(
                c,
                gettext("信用承诺 %(number)s 认定为%(kind)s：%(reason)s。可依法申请信用修复")
                % {"number": c.number, "kind": BreachKind(c.breach_kind).label, "reason": reason},
            )
        else:
            _tell_subject(
                c, gettext("信用承诺 %(number)s：陈述申辩已采纳，不认定违诺") % {"number": c.number}
            )
    if breach:
        case_open(c.pk, actor.label)
        c.refresh_from_db()
    return c


def commitments_sweep(*, actor: Actor, now: datetime.datetime | None = None) -> dict:
    """The daily sweep: deficiency-tolerant cases whose documents are late end (both sides
    told); commitments past their validity with no check due lapse; decided breaches whose
    watch-list case a crash left unopened get it. Set-based, one transaction, one audit
    event; the records of the changed commitments in one batch per department."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        late = list(
            Commitment.objects.select_for_update()
            .filter(kind=CommitmentKind.DEFICIENCY, status=S.IN_FORCE, supply_due__lt=today)
            .values_list("pk", flat=True)
        )
        lapsing = list(
            Commitment.objects.select_for_update()
            .filter(
                Q(check_due__isnull=True) | Q(checked_at__isnull=False),
                status=S.IN_FORCE,
                valid_to__lt=today,
            )
            .exclude(pk__in=late)
            .values_list("pk", flat=True)
        )
        Commitment.objects.filter(pk__in=late).update(status=S.ENDED, ended_at=now, updated_at=now)
        Commitment.objects.filter(pk__in=lapsing).update(status=S.LAPSED, updated_at=now)
        ended = list(Commitment.objects.filter(pk__in=late).select_related("department"))
        steps = CommitmentEvent.objects.bulk_create(
            [
                CommitmentEvent(
                    commitment_id=i,
                    action="end",
                    status=S.ENDED,
                    by=actor.label,
                    at=now,
                    note=gettext("待补材料逾期未补正，自动终止办理"),
                )
                for i in late
            ]
            + [
                CommitmentEvent(
                    commitment_id=i, action="lapse", status=S.LAPSED, by=actor.label, at=now
                )
                for i in lapsing
            ]
        )
        feeds.log(steps, now)
        for c in ended:
            text = gettext(
                "容缺受理（承诺编号 %(number)s）待补材料逾期未补正，已自动终止办理：%(consequence)s"
            ) % {"number": c.number, "consequence": c.late_consequence}
            _tell_subject(c, text)
            _tell_department(c, text)
        if late or lapsing:
            commitments_file(actor=actor, ids=late + lapsing)
        audit_event_append(
            actor=actor,
            action=AuditAction.COMMITMENT_SWEEP,
            object_type="commitment",
            object_id=today.isoformat(),
            detail={"ended": [c.number for c in ended], "lapsed": len(lapsing)},
        )
    unopened = Commitment.objects.filter(
        status=S.BREACHED,
        case__isnull=True,
        lifted_at__isnull=True,
        breach_record_id__isnull=False,
    ).values_list("pk", "decided_by")
    for pk, by in unopened:
        case_open(pk, by)
    return {"ended": len(late), "lapsed": len(lapsing)}


def bars_lift(*, record_ids: list[int], now, by: str, why: str) -> list[str]:
    """A step (no audit event of its own: the repair or the withdrawal is the act): the
    bars resting on these breach records end at once. The numbers lifted."""
    qs = Commitment.objects.filter(
        breach_record_id__in=record_ids, status=S.BREACHED, lifted_at__isnull=True
    )
    numbers = list(qs.values_list("number", flat=True))
    if numbers:
        qs.update(lifted_at=now, lifted_reason=why[:300], updated_at=now)
        steps = CommitmentEvent.objects.bulk_create(
            [
                CommitmentEvent(
                    commitment_id=pk,
                    action="lift",
                    status=S.BREACHED,
                    by=by,
                    at=now,
                    note=why[:2000],
                )
                for pk in Commitment.objects.filter(number__in=numbers).values_list("pk", flat=True)
            ]
        )
        feeds.log(steps, now)
    return numbers
