"""Records collected per day of storage, department and item (``RecordDaily``), kept up
to a watermark; rebuilt whole in the database or from a batch engine's rows."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinyong.core.watermark import data_time
from xinyong.records.models import Record
from xinyong.stats.models import RecordDaily, RollupMark
from xinyong.stats.rollups.common import RECORDS, _lock_fresh, _mark, _rows_write


def records_mark() -> datetime.datetime | None:
    """Up to when ``RecordDaily`` counts (None: no rollup yet, everything is live)."""
    return _mark(RECORDS)


def daily_counts(qs):
    """Records per (day, provider, item) of ``qs``: the one GROUP BY of records collected,
    used for the rollup and for the live part after its watermark."""
    tz = timezone.get_current_timezone()
    return (
        qs.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "provider_id", "item_code")
        .annotate(n=Count("pk"))
        .order_by()
    )


def after_mark(qs, mark: datetime.datetime | None):
    """The records of ``qs`` stored at or after ``mark`` (found on the ``updated_at``
    index: a record is changed no earlier than it was stored)."""
    if mark is None:
        return qs
    return qs.filter(updated_at__gte=mark, created_at__gte=mark)


def records_rollup_refresh(*, now: datetime.datetime | None = None, rebuild: bool = False) -> int:
    """Add the records stored since the watermark to the rollup (``rebuild``: count every
    record again); returns the number of rollup rows written."""
    now = now or timezone.now()
    until = data_time(now)
    with transaction.atomic():
        # the mark's row locked: two refreshes at once would add the same records twice
        current = _mark(RECORDS, lock=True)  # locked even for a rebuild
        mark = None if rebuild else current
        if rebuild:
            RecordDaily.objects.all().delete()
        if mark is not None and until <= mark:
            return 0
        rows = list(daily_counts(after_mark(Record.objects.filter(created_at__lt=until), mark)))
        days = {r["day"] for r in rows}
        had = {
            (d.day, d.provider_id, d.item_code): d.n
            for d in RecordDaily.objects.filter(day__in=days)
        }
        RecordDaily.objects.bulk_create(
            [
                RecordDaily(
                    day=r["day"],
                    provider_id=r["provider_id"],
                    item_code=r["item_code"],
                    n=r["n"] + had.get((r["day"], r["provider_id"], r["item_code"]), 0),
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["day", "provider_id", "item_code"],
            update_fields=["n"],
            batch_size=2000,
        )
        RollupMark.objects.update_or_create(
            name=RECORDS, defaults={"until": until, "built_at": now}
        )
    return len(rows)


def records_rollup_replace(
    chunks: Iterable[list[tuple]],
    *,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> int:
    """The rollup's full rebuild with rows counted elsewhere — a batch engine's, from an
    export whose data time is ``until``: (day, provider_id, item_code, n) of every record
    first stored before ``until``, in chunks. In one transaction, the mark's row locked:
    the old rows deleted, the new ones written in bulk (COPY; SQLite: executemany), the
    watermark set to ``until``, so the records stored after it are counted live as after
    any refresh. Refused (:class:`RollupStale`, nothing written) when ``until`` is before
    the watermark; returns the number of rows written."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_fresh(RECORDS, until)
        RecordDaily.objects.all().delete()
        n = _rows_write(RecordDaily, ("day", "provider_id", "item_code", "n"), chunks)
        RollupMark.objects.update_or_create(
            name=RECORDS, defaults={"until": until, "built_at": now}
        )
    return n
