"""Writes of the honor and dishonor roll (红黑榜): the credit office previews a month's roll
(:func:`xinyong.lists.selectors.roll_preview`), leaves entries out only with a reason, and
publishes what the preview showed; the daily upkeep publishes last month's if nobody has."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.lists.models import Roll, RollExclusion
from xinyong.lists.selectors import period_bounds, period_ended, roll_candidates

REASON_MAX = 500


def roll_publish(
    *,
    actor: Actor,
    period: str,
    excluded: dict[int, str] | None = None,
    shown: list[int] | None = None,
    now: datetime.datetime | None = None,
) -> Roll:
    """Publish a month's roll: entries of the roll lists (ListType.on_roll) decided in that
    month and in effect now, less those ``excluded`` (entry id → reason; a reason is
    required and kept with the roll). ``shown``: the entries the preview showed — if the
    candidates changed since (an entry decided, removed), nothing is published and the
    credit office previews again. A month is published once and only after it has ended."""
    access.require(actor, Action.ADMINISTER, message=gettext("红黑榜由平台运营人员（信用办）发布"))
    now = now or timezone.now()
    today = timezone.localdate(now)
    first, following = period_bounds(period)
    if not period_ended(period, today):
        message = gettext("%(period)s 尚未结束，月末后发布") % {"period": period}
        raise ValidationFailed([FieldError("period", "period.not_ended", message)])
    if Roll.objects.filter(period=period).exists():
        message = gettext("%(period)s 的红黑榜已经发布") % {"period": period}
        raise ValidationFailed([FieldError("period", "period.published", message)])
    candidates = {e.pk: e for e in roll_candidates(first=first, following=following, today=today)}
    excluded = excluded or {}
    errors = []
    if shown is not None and set(shown) != set(candidates):
        message = gettext("预览之后待发布的条目有变化：请重新预览后再发布")
        errors.append(FieldError("entries", "roll.changed", message))
    reasons: dict[int, str] = {}
    for entry_id, reason in excluded.items():
        entry = candidates.get(entry_id)
        if entry is None:
            message = gettext("不予发布的条目不在本期红黑榜中")
            errors.append(FieldError("entries", "roll.not_candidate", message))
            continue
        reason = (reason or "").strip()
        if not reason or len(reason) > REASON_MAX:
            message = gettext("“%(name)s”不予发布须写明理由（不超过%(n)d字）") % {
                "name": entry.subject.name,
                "n": REASON_MAX,
            }
            errors.append(FieldError(f"reason_{entry_id}", "roll.reason", message))
        reasons[entry_id] = reason
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic(durable=True):
            roll = Roll.objects.create(period=period, published_at=now, published_by=actor.label)
            roll.entries.set([pk for pk in candidates if pk not in reasons])
            RollExclusion.objects.bulk_create(
                RollExclusion(roll=roll, entry_id=pk, reason=r) for pk, r in reasons.items()
            )
            audit_event_append(
                actor=actor, action=AuditAction.ROLL_PUBLISH, object_type="roll",
                object_id=period,
                detail={"entries": len(candidates) - len(reasons),
                        "excluded": [{"entry": pk, "reason": r} for pk, r in reasons.items()]},
            )  # fmt: skip
    except IntegrityError:
        message = gettext("%(period)s 的红黑榜已经发布") % {"period": period}
        raise ValidationFailed([FieldError("period", "period.published", message)]) from None
    return roll


def last_period(today: datetime.date) -> str:
    """The latest finished month, the one whose roll is due."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


def roll_publish_due(*, actor: Actor, now: datetime.datetime | None = None) -> Roll | None:
    """Last month's roll, if not yet published (the daily upkeep: nobody left anything out)."""
    now = now or timezone.now()
    period = last_period(timezone.localdate(now))
    if Roll.objects.filter(period=period).exists():
        return None
    return roll_publish(actor=actor, period=period, now=now)
