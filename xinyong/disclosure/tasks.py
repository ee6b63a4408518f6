"""Background jobs of dual publicity, run by `xinyong db_worker`."""

from django.dispatch import receiver
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.ingest.signals import batch_applied
from xinyong.records.signals import records_withdrawn


@task()
def sweep_publications() -> None:
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep

    with request_context(channel="worker"):
        publication_sweep(actor=SYSTEM)


@receiver(records_withdrawn)
def take_down_withdrawn(sender, *, record_ids, now, **kwargs) -> None:
    """A withdrawn decision leaves public view in the transaction that withdrew it."""
    from xinyong.disclosure.sweep import publications_withdraw

    publications_withdraw(record_ids, now=now)


@receiver(batch_applied)
def publish_after_batch(sender, *, item_code: str, **kwargs) -> None:
    """New or withdrawn decisions go public (or leave) as soon as their batch is in."""
    from xinyong.disclosure.rules import dual_publicity_items

    if item_code in dual_publicity_items():
        sweep_publications.enqueue()
