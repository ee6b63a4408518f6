"""The worker signs a checkpoint of the audit chain every ``XINYONG_AUDIT_CHECKPOINT_MINUTES``
when it grew (the daily upkeep does too, for platforms that run it from cron). Each run
queues the next; ``xinyong daily_upkeep --schedule`` queues the first."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.core.tasks import schedule_once

log = logging.getLogger(__name__)


def checkpoint_now():
    """A checkpoint if the chain grew; a broken chain is logged as an error, not signed."""
    from xinyong.audit.selectors import ChainBroken, audit_checkpoint_write

    try:
        return audit_checkpoint_write(only_if_grown=True)
    except ChainBroken as e:
        for b in e.breaks:
            log.error("audit chain broken, no checkpoint signed: #%s [%s] %s", b.seq, b.rule,
                      b.message)  # fmt: skip
        return None


@task()
def audit_checkpoint() -> None:
    with request_context(channel="worker"):
        checkpoint_now()
    checkpoint_schedule()


def checkpoint_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the next checkpoint unless one is waiting; None when the backend cannot defer."""
    minutes = datetime.timedelta(minutes=settings.XINYONG_AUDIT_CHECKPOINT_MINUTES)
    return schedule_once(audit_checkpoint, (now or timezone.now()) + minutes)
