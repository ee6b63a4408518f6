"""Reads of the database a batch job is compared with (reconciliation, ``reconcile.py``)."""

import datetime

from django.db.models import Count

from xinyong.records.models import Record


def records_counts(until: datetime.datetime) -> dict[tuple[int, str], int]:
    """The records first stored before ``until``, any status, per (department, item): one
    GROUP BY, compared by the database as a rollup's watermark is."""
    qs = (Record.objects.filter(created_at__lt=until).values_list("provider_id", "item_code")
          .annotate(n=Count("pk")).order_by())  # fmt: skip
    return {(p, i): n for p, i, n in qs}
