"""Background jobs of dual publicity, run by `xinyong db_worker`."""

from django.dispatch import receiver
from django_tasks import task

from xinyong.core.context import request_context
from xinyong.ingest.signals import batch_applied


@task()
def sweep_publications() -> None:
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep

    with request_context(channel="worker"):
        publication_sweep(actor=SYSTEM)


@receiver(batch_applied)
def publish_after_batch(sender, *, item_code: str, **kwargs) -> None:
    """New or withdrawn decisions go public (or leave) as soon as their batch is in."""
    from xinyong.disclosure.rules import dual_publicity_items

    if item_code in dual_publicity_items():
        sweep_publications.enqueue()
