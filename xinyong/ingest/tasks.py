"""Background jobs of ingestion, run by `xinyong db_worker` (django-tasks database queue):
processing a batch, and the watch that takes again batches whose worker died."""

import datetime

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.core.tasks import schedule_once

ATTEMPTS = 3


@task(takes_context=True)
def process_batch(context, batch_id: int) -> None:
    """Process a batch; a deadlock or serialization failure with a concurrent batch (the
    database aborted this one, nothing of it was applied) is retried at once. The task's id
    is part of the batch's lease owner, so the watch can mark this task failed if its
    worker dies."""
    from xinyong.ingest.services import batch_process

    task_id = str(context.task_result.id)
    with request_context(channel="worker"):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                batch_process(batch_id=batch_id, task_id=task_id)
                return
            except OperationalError as e:
                if attempt == ATTEMPTS or not _retryable(e):
                    raise


def _retryable(e: OperationalError) -> bool:
    # PostgreSQL SQLSTATE 40P01 deadlock_detected, 40001 serialization_failure.
    return getattr(getattr(e, "__cause__", None), "sqlstate", None) in ("40P01", "40001")


def process_now_or_later(batch_id: int, rows: int):
    """Small pushes (up to ``XINYONG_SYNC_MAX_ROWS`` rows) are processed in the request, so
    the caller gets its outcomes at once: the processed batch. Larger ones go to the worker:
    None."""
    from xinyong.ingest.services import batch_process

    if rows <= settings.XINYONG_SYNC_MAX_ROWS:
        return batch_process(batch_id=batch_id)
    enqueue_batch(batch_id)
    return None


def enqueue_batch(batch_id: int) -> None:
    """Queue the batch once the submitting transaction has committed; and make sure the
    watch runs, which takes the batch again should its worker die."""

    def enqueue():
        process_batch.enqueue(batch_id)
        watch_schedule()

    transaction.on_commit(enqueue)


@task()
def batches_watch() -> None:
    """Every ``XINYONG_BATCH_WATCH_SECONDS``: batches whose worker died are queued again
    (:func:`xinyong.ingest.recovery.batches_recover`); then the next watch is queued."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.ingest.recovery import batches_recover

    with request_context(channel="worker"):
        batches_recover(actor=SYSTEM, enqueue=enqueue_batch)
    watch_schedule()
    _forget_old_watches()


def _forget_old_watches() -> None:
    """A watch a minute would leave 1,440 finished task rows a day: keep the last hour's."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        task_path=batches_watch.module_path,
        status="SUCCESSFUL",
        finished_at__lt=timezone.now() - datetime.timedelta(hours=1),
    ).delete()


def watch_schedule(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queue the next watch unless one is already waiting; when it will run, or None when
    the task backend cannot defer (then run `xinyong batch recover` from cron)."""
    seconds = datetime.timedelta(seconds=settings.XINYONG_BATCH_WATCH_SECONDS)
    return schedule_once(batches_watch, (now or timezone.now()) + seconds)
