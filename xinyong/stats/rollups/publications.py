"""Dual publicity per decision day, department and item (``PublicationDaily``) and per day
published and department (``PublishedDaily``): rebuilt whole (publications change state
after they are stored), in the database or from a batch engine's rows."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinyong.core.watermark import data_time
from xinyong.disclosure.choices import PublicationStatus
from xinyong.disclosure.models import Publication
from xinyong.stats.models import PublicationDaily, PublishedDaily, RollupMark
from xinyong.stats.rollups.common import PUBLICATIONS, _chunked, _lock_fresh, _mark, _rows_write


def publications_mark() -> datetime.datetime | None:
    """When ``PublicationDaily`` was last rebuilt (None: never, the chart counts live)."""
    return _mark(PUBLICATIONS)


def publications_rollup_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Count every publication again per decision day, department and item: decided,
    published on time, late (the sweep's ``on_time``, as the timeliness report counts it)
    and pending — one GROUP BY, the old rows replaced in one transaction; and per day it
    went public and department, published and on time (``PublishedDaily``, the
    scorecards'), up to the same mark: the data time, as the records' (a sweep that stamped
    its publications before it but commits after is counted live, not lost)."""
    now = now or timezone.now()
    until = data_time(now)
    rows = (
        Publication.objects.filter(decision_date__isnull=False)
        .values_list("decision_date", "provider_id", "item_code")
        .annotate(
            total=Count("pk"),
            on_time_n=Count("pk", filter=Q(on_time=True)),
            late_n=Count("pk", filter=Q(on_time=False)),
            pending_n=Count("pk", filter=Q(status=PublicationStatus.PENDING)),
        )
        .order_by()
    )
    tz = timezone.get_current_timezone()
    published = (
        Publication.objects.filter(on_time__isnull=False, published_at__lt=until)
        .annotate(day=TruncDate("published_at", tzinfo=tz))
        .values_list("day", "provider_id")
        .annotate(n=Count("pk"), on_time_n=Count("pk", filter=Q(on_time=True)))
        .order_by()
    )
    with transaction.atomic():
        _mark(PUBLICATIONS, lock=True)
        return _publications_write(
            _chunked(rows.iterator(chunk_size=5000)), _chunked(published.iterator(chunk_size=5000)),
            until=until, now=now,
        )  # fmt: skip


def publications_rollup_replace(
    daily: Iterable[list[tuple]],
    published: Iterable[list[tuple]],
    *,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> int:
    """The dual publicity rollups' full rebuild with rows counted elsewhere — a batch
    engine's, from an export whose data time is ``until``: ``daily`` the rows of
    ``PublicationDaily`` (day, provider_id, item_code, total, on_time, late, pending),
    ``published`` those of ``PublishedDaily`` (day, provider_id, published, on_time), in
    chunks. In one transaction, the mark's row locked, as ``records_rollup_replace``:
    refused (:class:`RollupStale`, nothing written) when ``until`` is before the mark;
    returns the number of ``PublicationDaily`` rows written."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_fresh(PUBLICATIONS, until)
        return _publications_write(daily, published, until=until, now=now)


def _publications_write(daily, published, *, until, now) -> int:
    """Both dual publicity rollups replaced by the rows given (in chunks, written by COPY;
    SQLite: executemany) and the mark set to ``until``; inside the caller's transaction."""
    PublishedDaily.objects.all().delete()
    _rows_write(PublishedDaily, ("day", "provider_id", "published", "on_time"), published)
    PublicationDaily.objects.all().delete()
    n = _rows_write(PublicationDaily, ("day", "provider_id", "item_code", "total", "on_time",
                                       "late", "pending"), daily)  # fmt: skip
    RollupMark.objects.update_or_create(
        name=PUBLICATIONS, defaults={"until": until, "built_at": now}
    )
    return n
