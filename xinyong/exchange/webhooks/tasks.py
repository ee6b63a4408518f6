"""The worker's webhook pump (`xinyong db_worker`): fan out what the change log gained,
send what is due, resolve saved queries again now and then, for up to
``PUMP_SECONDS``; then queue itself again in ``POLL_SECONDS``, as the daily upkeep does
(records/tasks.py). A subscription's creation, re-enabling, replay or ping wakes it."""

import datetime
import time

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.core.tasks import schedule_once

PUMP_SECONDS = 50
POLL_SECONDS = 5


def pump(*, seconds: float = PUMP_SECONDS) -> tuple[int, int, int]:
    """Dispatch and send until caught up or ``seconds`` passed: (changes, queued, sent)."""
    from xinyong.exchange.webhooks.dispatch import dispatch_all
    from xinyong.exchange.webhooks.send import send_all
    from xinyong.exchange.webhooks.watch import saved_queries_refresh

    deadline = time.monotonic() + seconds
    saved_queries_refresh(
        older_than=timezone.now()
        - datetime.timedelta(minutes=settings.XINYONG_WEBHOOK_REFRESH_MINUTES)
    )
    changes, queued = dispatch_all(deadline=deadline)
    sent = send_all(deadline=deadline)
    return changes, queued, sent


@task()
def webhooks_pump() -> None:
    with request_context(channel="worker"):
        pump()
    webhooks_schedule(delay=POLL_SECONDS)


def webhooks_schedule(*, delay: float = 0) -> datetime.datetime | None:
    """Queue the pump unless a run is waiting; None when the backend cannot defer (then
    `xinyong webhooks_run` from cron or a service)."""
    return schedule_once(webhooks_pump, timezone.now() + datetime.timedelta(seconds=delay))
