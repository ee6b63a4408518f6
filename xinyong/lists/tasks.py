"""Background jobs of credit lists, run by `xinyong db_worker`."""

from django.dispatch import receiver
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.ingest.signals import batch_applied
from xinyong.records.signals import records_withdrawn


@task()
def import_entries(item_code: str) -> None:
    from xinyong.accounts.actors import SYSTEM
    from xinyong.lists.imports import entries_import

    with request_context(channel="worker"):
        entries_import(actor=SYSTEM, item_code=item_code)


@receiver(records_withdrawn)
def take_off_withdrawn(sender, *, record_ids, now, by, **kwargs) -> None:
    """Entries imported from withdrawn records leave their lists in the same transaction."""
    from xinyong.lists.imports import entries_of_withdrawn

    entries_of_withdrawn(record_ids, now=now, by=by)


@receiver(batch_applied)
def import_after_batch(sender, *, item_code: str, **kwargs) -> None:
    """A batch of an external list (e.g. the courts') updates the list's entries at once."""
    from xinyong.lists.imports import SOURCES

    if item_code in SOURCES:
        import_entries.enqueue(item_code)
