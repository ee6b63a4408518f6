"""The competent department's handling of a tip: accept (its clerk becomes the handling
officer) or decline with reasons within the acceptance period; decide within the decision
period — substantiated or not, with reasons; record the reward decided under its rule
and its payment.

A substantiated tip enters the credit file through the same pipeline as any submission
(a one-row batch of the ``tip_substantiated`` item in the deciding department's name,
processed at once, as :mod:`xinyong.declarations.services` does): its provenance is the
department and the case number, never the tipster. Ingestion is its own transaction, so
the decision is committed first; a record that could not be written stays pending and
:func:`tips_record_pending` (the daily upkeep) writes it."""

import logging
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.subjects.choices import SubjectKind
from xinyong.tips.choices import RewardStatus, TipStatus
from xinyong.tips.models import Tip
from xinyong.tips.services.common import day, open_tip, text
from xinyong.tips.services.settings import tip_policy

log = logging.getLogger(__name__)

ITEM = "tip_substantiated"  # the catalog item substantiated tips are recorded under
REASON_MAX, SUMMARY_MAX, BASIS_MAX = 2000, 2000, 1000
REWARD_MAX = Decimal("9999999999.99")
_CATEGORY = {SubjectKind.ORGANIZATION: "法人及非法人组织",
             SubjectKind.INDIVIDUAL_BUSINESS: "个体工商户"}  # fmt: skip
_HANDLE = gettext("举报由承办部门办理")


def _user_handler(actor: Actor) -> int | None:
    """The handling officer an acceptance makes: the accepting user (a business system
    holds no case: a staff member then takes it over, :func:`tip_claim`)."""
    return actor.user_id if actor.is_department_staff and not actor.is_client else None


def _decide_due(accepted_on):
    try:
        return workdays.add_workdays(accepted_on, tip_policy().decide_workdays)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed.one("decide_due", "calendar.not_covered", str(e)) from None


def tip_acknowledge(*, actor: Actor, tip_id: int, accept, reason="") -> Tip:
    """受理 (the clerk becomes the handling officer; the decision is due within
    ``TipPolicy.decide_workdays`` working days — of the acceptance, or of the transfer for
    a transferred tip) or 不予受理 with reasons (closed)."""
    with transaction.atomic(durable=True):
        tip = open_tip(actor, tip_id, Action.TIP_HANDLE, (TipStatus.SUBMITTED,), message=_HANDLE)
        errors: list[FieldError] = []
        if accept not in (True, False):
            errors.append(FieldError("decision", "enum", gettext("请选择受理或不予受理")))
        missing = gettext("不予受理的，请写明理由") if accept is False else ""
        reason = text(errors, "reason", reason, REASON_MAX, missing)
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        tip.acknowledged_at, tip.acknowledged_by = now, actor.label
        tip.reason = reason
        if accept:
            tip.status = TipStatus.ACCEPTED
            tip.handler_id = _user_handler(actor)
            if tip.decide_due is None:  # a transferred tip keeps the deadline its transfer fixed
                tip.decide_due = _decide_due(timezone.localdate(now))
        else:
            tip.status = TipStatus.REJECTED
            tip.decided_at, tip.decided_by = now, actor.label
            tip.summary = reason
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_ACCEPT if accept else AuditAction.TIP_REJECT,
            object_type="tip", object_id=tip.pk, detail={
                "department": tip.department.code, "reason": reason,
                "late": timezone.localdate(now) > tip.ack_due,
            },
        )  # fmt: skip
    return tip


def tip_claim(*, actor: Actor, tip_id: int) -> Tip:
    """A staff member of the department takes over an accepted case that has no handling
    officer (a business system accepted it): from then on only that user reads the
    tipster's identity."""
    with transaction.atomic(durable=True):
        tip = open_tip(actor, tip_id, Action.TIP_HANDLE, (TipStatus.ACCEPTED,), message=_HANDLE)
        user_id = _user_handler(actor)
        if user_id is None:
            message = gettext("承办人须为本部门工作人员账号")
            raise ValidationFailed.one("handler", "tip.handler_user", message)
        if tip.handler_id is not None:
            message = gettext("该举报已有承办人")
            raise ValidationFailed.one("handler", "tip.handler_set", message)
        tip.handler_id = user_id
        tip.save(update_fields=["handler"])
        audit_event_append(
            actor=actor,
            action=AuditAction.TIP_CLAIM,
            object_type="tip",
            object_id=tip.pk,
            detail={"department": tip.department.code},
        )
    return tip


def tip_decide(*, actor: Actor, tip_id: int, substantiated, reason, summary="") -> Tip:
    """办结: substantiated (查证属实: the reward is then to be decided, and the record is
    written after the decision is committed) or not (查无实据), the reasons required; the
    summary is what the tipster reads with the receipt code (the reasons when left empty)."""
    with transaction.atomic(durable=True):
        tip = open_tip(actor, tip_id, Action.TIP_HANDLE, (TipStatus.ACCEPTED,), message=_HANDLE)
        errors: list[FieldError] = []
        if substantiated not in (True, False):
            errors.append(FieldError("decision", "enum", gettext("请选择查证属实或查无实据")))
        reason = text(
            errors, "reason", reason, REASON_MAX, gettext("请写明办结理由（查证的事实和依据）")
        )
        summary = text(errors, "summary", summary, SUMMARY_MAX)
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        tip.status = TipStatus.SUBSTANTIATED if substantiated else TipStatus.UNSUBSTANTIATED
        tip.decided_at, tip.decided_by = now, actor.label
        tip.reason, tip.summary = reason, summary or reason
        if substantiated:
            tip.reward_status = RewardStatus.PENDING
            tip.record_source_id = tip.number
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_DECIDE, object_type="tip", object_id=tip.pk,
            detail={
                "department": tip.department.code, "outcome": tip.status, "reason": reason,
                "late": timezone.localdate(now) > tip.decide_due,
            },
        )  # fmt: skip
    if substantiated:
        tip_record(tip_id=tip.pk)
        tip.refresh_from_db()
    return tip


def _amount(errors: list, value) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip()) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
        errors.append(FieldError("amount", "decimal", gettext("奖励金额应为数字（元）")))
        return None
    if amount is None:
        errors.append(FieldError("amount", "required", gettext("请填写奖励金额（不予奖励的填 0）")))
    elif not amount.is_finite() or amount < 0 or amount > REWARD_MAX or amount != round(amount, 2):
        message = gettext("奖励金额应为 0 至 9999999999.99 元，最多两位小数")
        errors.append(FieldError("amount", "range", message))
        return None
    return amount


def tip_reward(*, actor: Actor, tip_id: int, amount, basis) -> Tip:
    """The reward decided under the department's rule: its amount (0: no reward is due)
    and the basis (the rule and how it applies) — both required."""
    with transaction.atomic(durable=True):
        tip = open_tip(
            actor, tip_id, Action.TIP_HANDLE, (TipStatus.SUBSTANTIATED,), message=_HANDLE
        )
        if tip.reward_status != RewardStatus.PENDING:
            message = gettext("奖励已核定：%(status)s") % {
                "status": tip.get_reward_status_display()
            }
            raise ValidationFailed.one("amount", "tip.reward_decided", message)
        errors: list[FieldError] = []
        value = _amount(errors, amount)
        basis = text(
            errors, "basis", basis, BASIS_MAX, gettext("请写明奖励依据（奖励办法及适用情形）")
        )
        if errors:
            raise ValidationFailed(errors)
        tip.reward_amount, tip.reward_basis = value, basis
        tip.reward_status = RewardStatus.GRANTED if value > 0 else RewardStatus.NOT_GRANTED
        tip.reward_decided_at = timezone.now()
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_REWARD, object_type="tip", object_id=tip.pk,
            detail={"amount": str(value), "basis": basis, "status": tip.reward_status},
        )  # fmt: skip
    return tip


def tip_reward_paid(*, actor: Actor, tip_id: int, paid_on) -> Tip:
    """The reward was paid, on the day given (not after today, not before its decision)."""
    with transaction.atomic(durable=True):
        tip = open_tip(
            actor, tip_id, Action.TIP_HANDLE, (TipStatus.SUBSTANTIATED,), message=_HANDLE
        )
        if tip.reward_status != RewardStatus.GRANTED:
            message = gettext("奖励须先核定，且金额大于 0")
            raise ValidationFailed.one("paid_on", "tip.reward_not_granted", message)
        errors: list[FieldError] = []
        paid = day(errors, "paid_on", paid_on, gettext("请填写发放日期"))
        if paid is not None and paid < timezone.localdate(tip.reward_decided_at):
            errors.append(
                FieldError("paid_on", "date.order", gettext("发放日期不能早于奖励核定日期"))
            )
        if errors:
            raise ValidationFailed(errors)
        tip.reward_paid_on, tip.reward_status = paid, RewardStatus.PAID
        tip.save()
        audit_event_append(
            actor=actor, action=AuditAction.TIP_REWARD_PAID, object_type="tip",
            object_id=tip.pk, detail={"paid_on": paid.isoformat()},
        )  # fmt: skip
    return tip


def _row(tip: Tip) -> dict:
    from xinyong.catalog.rowschema import SOURCE_ID

    subject = tip.subject
    domain = tip.domain.name if tip.domain_id else gettext("其他")
    return {
        SOURCE_ID: tip.number,
        "XDR_MC": subject.name,
        "XDR_LB": _CATEGORY[subject.kind],
        "XDR_SHXYM": subject.uscc,
        "JB_BH": tip.number,
        "JB_LY": domain[:100],
        "JB_SS": tip.reason[:4000],
        "JB_FSRQ": tip.occurred_on.isoformat(),
        "JB_CZRQ": timezone.localdate(tip.decided_at).isoformat(),
        "JB_CZBM": tip.department.name[:100],
    }


def tip_record(*, tip_id: int) -> bool:
    """Write a substantiated tip's record if still pending: a one-row batch of
    ``tip_substantiated`` in the deciding department's name, submitted by the platform
    (the decision was the department's audited act), idempotent by the case number. True
    when the record is on file; otherwise the reason is kept and the sweep tries again."""
    from django.utils import translation

    from xinyong.ingest.services.single import record_file_one

    tip = Tip.objects.select_related("subject", "department", "domain").filter(pk=tip_id).first()
    if tip is None or not tip.record_pending:
        return tip is not None and tip.record_id is not None
    try:
        with translation.override(settings.LANGUAGE_CODE):
            row = _row(tip)
        record, error = record_file_one(
            item_code=ITEM, row=row, provider=tip.department, source_id=tip.number,
            file_name=f"举报查证 {tip.number}",
        )  # fmt: skip
    except Exception as e:  # ingestion failed: the tip stays substantiated, retried later
        log.exception("tip %s: record not written", tip.pk)
        record, error = None, str(e) or e.__class__.__name__
    if record is None:
        Tip.objects.filter(pk=tip.pk).update(record_error=error[:500])
        return False
    Tip.objects.filter(pk=tip.pk).update(record=record, record_error="")
    return True


def tips_record_pending(*, limit: int = 500) -> tuple[int, int]:
    """The sweep: records of substantiated tips still pending. ``(written, still pending)``."""
    pending = list(
        Tip.objects.filter(status=TipStatus.SUBSTANTIATED, record__isnull=True)
        .order_by("decided_at")
        .values_list("pk", flat=True)[:limit]
    )
    written = sum(tip_record(tip_id=pk) for pk in pending)
    return written, len(pending) - written
