"""Writes of the honor and dishonor roll (红黑榜): the credit office publishes each month's
roll; the daily upkeep publishes last month's if nobody has."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.lists.models import ListEntry, Roll


def _bounds(period: str) -> tuple[datetime.date, datetime.date]:
    try:
        first = datetime.date.fromisoformat(f"{period}-01")
    except ValueError:
        raise ValidationFailed(
            [FieldError("period", "period.format", "期次应为 YYYY-MM，如 2026-10")]
        ) from None
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following


def roll_publish(*, actor: Actor, period: str, now: datetime.datetime | None = None) -> Roll:
    """Publish a month's roll: entries of the roll lists (ListType.on_roll) decided in that
    month and in effect now. A month is published once and only after it has ended."""
    access.require(actor, Action.ADMINISTER, message="红黑榜由平台运营人员（信用办）发布")
    now = now or timezone.now()
    today = timezone.localdate(now)
    first, following = _bounds(period)
    if following > today:
        raise ValidationFailed(
            [FieldError("period", "period.not_ended", f"{period} 尚未结束，月末后发布")]
        )
    entries = ListEntry.objects.in_force(today).filter(
        list_type__on_roll=True,
        list_type__public=True,
        decided_on__gte=first,
        decided_on__lt=following,
    )
    try:
        with transaction.atomic(durable=True):
            roll = Roll.objects.create(period=period, published_at=now, published_by=actor.label)
            roll.entries.set(entries)
            audit_event_append(
                actor=actor, action=AuditAction.ROLL_PUBLISH, object_type="roll",
                object_id=period, detail={"entries": roll.entries.count()},
            )  # fmt: skip
    except IntegrityError:
        raise ValidationFailed(
            [FieldError("period", "period.published", f"{period} 的红黑榜已经发布")]
        ) from None
    return roll


def last_period(today: datetime.date) -> str:
    """The latest finished month, the one whose roll is due."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


def roll_publish_due(*, actor: Actor, now: datetime.datetime | None = None) -> Roll | None:
    """Last month's roll, if not yet published (the daily upkeep)."""
    now = now or timezone.now()
    period = last_period(timezone.localdate(now))
    if Roll.objects.filter(period=period).exists():
        return None
    return roll_publish(actor=actor, period=period, now=now)
