"""转办: a tip routed to the wrong department moves, before its decision, to the competent
one — sent on by the department it reached (reasons required), or reassigned by the credit
office (reasons required too: the new department and the trail read them).

The deadlines follow one rule, so that a transfer never buys time:

- the new department accepts afresh: its acceptance deadline is ``TipPolicy.ack_workdays``
  working days from the day of the transfer (it has only just received the tip);
- the decision deadline is fixed at the transfer: ``TipPolicy.decide_workdays`` working
  days from the day of the transfer, and the new department's acceptance does not move it
  (a slow acceptance eats into the decision period, as it would have at the old
  department); a later transfer fixes it again from its own day;
- a department may not send a tip back to a department that already sent it away (no
  ping-pong): a dispute over competence goes to the credit office, which may reassign it
  anywhere;
- a transfer made after the step the old department owed was due is marked ``late`` (on
  the transfer and in its audit event): sending a tip on does not erase a missed deadline.

The tipster's identity stays with the case, never with a department: the old department no
longer sees the tip at all (its handling officer is no longer one), and whoever accepts it
at the new department becomes the handling officer, the only reader (each read audited)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.tips.choices import TRANSFERABLE, TipStatus, TransferKind
from xinyong.tips.models import Tip, TipTransfer
from xinyong.tips.services.common import open_tip, text
from xinyong.tips.services.settings import tip_policy

REASON_MAX = 2000


def _after(start, n: int, field: str):
    try:
        return workdays.add_workdays(start, n)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one(field, "calendar.not_covered", str(e)) from None


def _target(errors: list, tip: Tip, code, kind: TransferKind) -> Department | None:
    code = (code if isinstance(code, str) else "").strip()
    department = Department.objects.filter(code=code, is_active=True).first() if code else None
    if department is None:
        message = gettext("请选择承办部门（本平台在用的部门）")
        errors.append(FieldError("department", "tip.department_unknown", message))
        return None
    if department.pk == tip.department_id:
        message = gettext("该举报已由%(name)s承办，请选择其他部门") % {"name": department.name}
        errors.append(FieldError("department", "tip.transfer_same", message))
        return None
    if (
        kind == TransferKind.DEPARTMENT
        and TipTransfer.objects.filter(tip=tip, from_department=department).exists()
    ):
        message = gettext(
            "%(name)s已将该举报移出，不能再移回；对管辖有争议的，请报信用主管部门改派"
        ) % {"name": department.name}
        errors.append(FieldError("department", "tip.transfer_back", message))
        return None
    return department


def tip_transfer(*, actor: Actor, tip_id: int, department_code, reason) -> TipTransfer:
    """Transfer a tip not yet decided to another department, with reasons: by the
    department it is routed to (移送), or by the credit office (改派). The deadlines restart
    as the module says; the tip waits for the new department's acceptance."""
    with transaction.atomic(durable=True):
        tip = open_tip(actor, tip_id, Action.TIP_TRANSFER, TRANSFERABLE,
                       message=gettext("举报由承办部门移送，或由信用主管部门改派"))  # fmt: skip
        # The credit office reassigns; a department sends on what it holds (the operator's
        # own department holding the tip still counts as the office).
        kind = TransferKind.OFFICE if actor.is_operator else TransferKind.DEPARTMENT
        errors: list[FieldError] = []
        department = _target(errors, tip, department_code, kind)
        reason = text(errors, "reason", reason, REASON_MAX,
                      gettext("请写明转办理由（为何不属本部门、为何由该部门承办）"))  # fmt: skip
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        today = timezone.localdate(now)
        policy = tip_policy()
        ack_due = _after(today, policy.ack_workdays, "ack_due")
        decide_due = _after(today, policy.decide_workdays, "decide_due")
        late = tip.due is not None and today > tip.due
        transfer = TipTransfer.objects.create(
            tip=tip, kind=kind, from_department=tip.department, to_department=department,
            status_before=tip.status, reason=reason, at=now, by=actor.label, late=late,
        )  # fmt: skip
        before, had_handler = tip.department, tip.handler_id is not None
        tip.department, tip.routed_at, tip.status = department, now, TipStatus.SUBMITTED
        tip.ack_due, tip.decide_due = ack_due, decide_due
        tip.acknowledged_at, tip.acknowledged_by, tip.handler = None, "", None
        tip.reason = ""
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_TRANSFER, object_type="tip", object_id=tip.pk,
            detail={
                "kind": kind.value, "from": before.code, "to": department.code,
                "status_before": transfer.status_before, "reason": reason,
                "ack_due": ack_due.isoformat(), "decide_due": decide_due.isoformat(),
                "handler_released": had_handler, "late": late,
            },
        )  # fmt: skip
    return transfer
