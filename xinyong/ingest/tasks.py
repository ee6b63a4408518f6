"""Background jobs of ingestion, run by `xinyong db_worker` (django-tasks database queue)."""

from django.db import OperationalError, transaction
from django_tasks import task

from xinyong.core.context import request_context

ATTEMPTS = 3


@task()
def process_batch(batch_id: int) -> None:
    """Process a batch; a deadlock or serialization failure with a concurrent batch (the
    database aborted this one, nothing of it was applied) is retried at once."""
    from xinyong.ingest.services import batch_process

    with request_context(channel="worker"):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                batch_process(batch_id=batch_id)
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
    from django.conf import settings

    from xinyong.ingest.services import batch_process

    if rows <= settings.XINYONG_SYNC_MAX_ROWS:
        return batch_process(batch_id=batch_id)
    enqueue_batch(batch_id)
    return None


def enqueue_batch(batch_id: int) -> None:
    """Queue the batch once the submitting transaction has committed."""
    transaction.on_commit(lambda: process_batch.enqueue(batch_id))
