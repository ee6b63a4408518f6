"""Appending to the change log (see ``exchange.models``): a step run in the caller's
transaction, never a service of its own.

Rule for callers: append the changes after the other writes of the act and before its
audit event. The head row stays locked from here to the commit, so the shorter that span,
the less another writer waits; and taking the head before the audit chain's head, as every
act does, keeps two acts from waiting on each other."""

import datetime

from django.db import connection

from xinyong.exchange.models import Change, FeedHead

_TABLE = Change._meta.db_table
_HEAD = FeedHead._meta.db_table


def _reserve(n: int) -> int:
    """Take ``n`` numbers; the first of them. Locks the head until the caller commits."""
    sql = f"UPDATE {_HEAD} SET last_seq = last_seq + %s WHERE id = 1 RETURNING last_seq"  # noqa: S608
    with connection.cursor() as cur:
        cur.execute(sql, [n])
        row = cur.fetchone()
        if row is None:  # the head row is made by the migration; a flushed database lacks it
            cur.execute(
                f"INSERT INTO {_HEAD} (id, last_seq) SELECT 1, COALESCE(MAX(seq), 0) "  # noqa: S608
                f"FROM {_TABLE} WHERE 1 = 1 ON CONFLICT (id) DO NOTHING"
            )
            cur.execute(sql, [n])
            row = cur.fetchone()
        return row[0] - n + 1


def changes_append(
    feed: str, rows: list[tuple[str, int, int | None]], at: datetime.datetime
) -> int:
    """Append one change per (action, object id, subject id), in the order given; how
    many."""
    if not rows:
        return 0
    first = _reserve(len(rows))
    Change.objects.bulk_create(
        [
            Change(seq=first + i, feed=feed, action=a, object_id=o, subject_id=s, at=at)
            for i, (a, o, s) in enumerate(rows)
        ],
        batch_size=5000,
    )
    return len(rows)


def changes_append_select(
    feed: str, action: str, select_sql: str, params: list, at: datetime.datetime
) -> int:
    """Set-based: append one change per row of ``select_sql`` — whose columns are named
    ``o`` (object id), ``s`` (subject id) and ``k`` (ordering key) — numbered in ``k``'s
    order; how many. For a million changes at once (an evaluation run's grades)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM ({select_sql}) q", params)  # noqa: S608
        n = cur.fetchone()[0]
        if not n:
            return 0
        first = _reserve(n)
        cur.execute(
            f"INSERT INTO {_TABLE} (seq, feed, action, object_id, subject_id, at) "  # noqa: S608
            f"SELECT %s + row_number() OVER (ORDER BY q.k) - 1, %s, %s, q.o, q.s, %s "
            f"FROM ({select_sql}) q",
            [first, feed, action, at, *params],
        )
        return n


def changes_append_query(feed: str, action: str, qs, at: datetime.datetime) -> int:
    """:func:`changes_append_select` over a queryset annotated with ``o``, ``s`` and ``k``."""
    sql, params = qs.values_list("o", "s", "k").query.sql_with_params()
    return changes_append_select(feed, action, sql, list(params), at)


def horizon() -> int:
    """The highest number below which every change is committed and visible (0: none)."""
    return FeedHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
