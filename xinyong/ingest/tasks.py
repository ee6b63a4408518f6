"""Background jobs of ingestion, run by `xinyong db_worker` (django-tasks database queue)."""

from django.db import transaction
from django_tasks import task

from xinyong.core.context import request_context


@task()
def process_batch(batch_id: int) -> None:
    from xinyong.ingest.services import batch_process

    with request_context(channel="worker"):
        batch_process(batch_id=batch_id)


def enqueue_batch(batch_id: int) -> None:
    """Queue the batch once the submitting transaction has committed."""
    transaction.on_commit(lambda: process_batch.enqueue(batch_id))
