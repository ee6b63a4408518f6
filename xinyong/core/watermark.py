"""Up to when a reader of "what changed since" may count: the watermark of incremental
work (the evaluation's incremental runs, the statistics' rollups)."""

import datetime

from django.db import connection


def data_time(now: datetime.datetime) -> datetime.datetime:
    """Now, or the start of the oldest transaction still open in this database: a writer
    that stamped its rows before ``now`` but commits later is then taken by the next
    incremental step, not lost between two. SQLite has one writer at a time: now."""
    if connection.vendor != "postgresql":
        return now
    with connection.cursor() as cur:
        cur.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE xact_start IS NOT NULL "
                    "AND pid <> pg_backend_pid() AND datname = current_database()")  # fmt: skip
        oldest = cur.fetchone()[0]
    return min(now, oldest) if oldest is not None else now
