"""What the rollups share: their marks (``RollupMark``: up to when each counts), the
refusal of rows counted up to a moment before a mark, and the bulk writer of rows."""

import datetime
import itertools
from collections.abc import Iterable, Iterator

from django.db import connection

from xinyong.core.bulkcopy import insert_rows
from xinyong.stats.models import RollupMark

RECORDS = "records"
PUBLICATIONS = "publications"
CHECKS = "checks"


def _mark(name: str, *, lock: bool = False) -> datetime.datetime | None:
    """Up to when the rollup ``name`` counts (None: not built yet, everything is live);
    ``lock``: its row locked until the transaction ends (a refresh, a rebuild)."""
    qs = RollupMark.objects.filter(name=name)
    return (qs.select_for_update() if lock else qs).values_list("until", flat=True).first()


def live_from(since: datetime.datetime | None, mark: datetime.datetime | None):
    """Where a figure's live part starts: at ``since``, or at the rollup's mark when that
    is later (the rollup counts what came before it); None: unbounded."""
    if mark is None or (since is not None and since > mark):
        return since
    return mark


class RollupStale(Exception):
    """Rows counted up to a moment before the rollup's watermark: written, they would take
    the rollup back in time (and the records between the two would be counted nowhere)."""

    def __init__(self, until: datetime.datetime, mark: datetime.datetime):
        super().__init__(until, mark)
        self.until, self.mark = until, mark


def _lock_fresh(name: str, until: datetime.datetime) -> None:
    """The rollup's mark locked until the transaction ends; :class:`RollupStale` when rows
    counted up to ``until`` would take it back in time."""
    current = _mark(name, lock=True)
    if current is not None and until < current:
        raise RollupStale(until, current)


def _rows_write(model, columns: tuple[str, ...], chunks: Iterable[list[tuple]]) -> int:
    """Rows appended to ``model``'s table in the caller's transaction, a chunk at a time
    (COPY; SQLite: executemany), each row's first column a day; returns how many."""
    n = 0
    with connection.cursor() as cur:
        for chunk in chunks:
            rows = [(_as_date(d).isoformat(), *rest) for d, *rest in chunk]
            insert_rows(cur, model._meta.db_table, columns, rows)
            n += len(rows)
    return n


def _chunked(rows: Iterable[tuple], size: int = 5000) -> Iterator[list[tuple]]:
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
