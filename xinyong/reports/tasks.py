"""Background jobs of reports, run by `xinyong db_worker` (django-tasks database queue):
issuing a batch, and the watch that queues again a batch whose worker died."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.core.tasks import schedule_once

log = logging.getLogger(__name__)
WATCH_MINUTES = 10


@task()
def issue_batch(batch_id: int, shard: int = 0, shards: int = 1) -> None:
    """Issue the batch's reports not issued yet, of this task's share (resumable: run
    again, it continues)."""
    from xinyong.reports.services.batch import report_batch_fail, report_batch_run

    with request_context(channel="worker"):
        try:
            report_batch_run(batch_id=batch_id, shard=shard, shards=shards)
        except Exception as e:
            log.exception("report batch %s failed", batch_id)
            report_batch_fail(batch_id=batch_id, error=f"{type(e).__name__}: {e}")
            raise


def enqueue_batch(batch_id: int) -> None:
    """Queue the batch once the submitting transaction has committed (services call this
    through ``transaction.on_commit``), in ``XINYONG_REPORT_BATCH_SHARDS`` shares — one per
    worker process — and make sure the watch will look at it."""
    enqueue_shards(batch_id)
    watch_schedule()


def enqueue_shards(batch_id: int) -> None:
    shards = max(1, settings.XINYONG_REPORT_BATCH_SHARDS)
    for shard in range(shards):
        issue_batch.enqueue(batch_id, shard, shards)


@task()
def batches_watch() -> None:
    """Batches queued or running without progress for ``WATCH_MINUTES`` are queued again
    (their worker died; issuing resumes where it stopped), and so are failed ones a bounded
    number of times (``BATCH_RETRY_MAX``: an error is often transient); the watch queues itself
    again while any batch is unfinished or may still be retried."""
    from xinyong.reports.selectors import batches_retryable, batches_stalled, batches_unfinished
    from xinyong.reports.services.batch import report_batch_requeue

    with request_context(channel="worker"):
        for batch_id in batches_stalled(minutes=WATCH_MINUTES):
            log.warning("report batch %s stalled: queued again", batch_id)
            issue_batch.enqueue(batch_id)
        for batch_id in batches_retryable():
            if report_batch_requeue(batch_id=batch_id):
                log.warning("report batch %s failed: queued again", batch_id)
                enqueue_shards(batch_id)
    if batches_unfinished():
        watch_schedule()


def watch_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    at = (now or timezone.now()) + datetime.timedelta(minutes=WATCH_MINUTES)
    return schedule_once(batches_watch, at)
