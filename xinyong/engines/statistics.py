"""Statistics on a batch engine, from the same export and layer as the evaluation: records
collected per day of storage (the local day, as the database counts it), department and
catalog item — the figures of ``stats.rollups.daily_counts`` over the whole file up to the
export's data time, which a province rebuilds on Spark instead of in its database; the rows
go back through the stats app's own writer (``rollups.records_rollup_replace``)."""

from collections.abc import Iterator

import ibis
import pyarrow as pa

from xinyong.engines.connect import Tables

CHUNK = 10_000  # rows handed to the database's writer at a time


def records_daily_expr(t: Tables) -> ibis.Table:
    """(day, provider_id, item_code, n) of every record exported, any status, first stored
    before the export's data time (the rollup's watermark: later ones are counted live)."""
    r = t.records.filter(t.records.stored_before)
    return r.group_by(day=r.created_day, provider_id=r.provider_id, item_code=r.item_code
                      ).aggregate(n=r.id.count())  # fmt: skip


def records_daily_table(t: Tables) -> pa.Table:
    """The figures computed on the engine and brought back whole (a few rows a day,
    department and item: small beside the records), in (day, provider, item) order."""
    expr = records_daily_expr(t).order_by(["day", "provider_id", "item_code"])
    return t.backend.to_pyarrow(expr)


def records_daily(t: Tables) -> list[dict]:
    """The figures, one dict a (day, provider, item), in that order."""
    return records_daily_table(t).to_pylist()


def chunks(table: pa.Table) -> Iterator[list[tuple]]:
    """``table``'s rows as tuples, ``CHUNK`` at a time (the writer's input)."""
    for batch in table.to_batches(max_chunksize=CHUNK):
        yield list(zip(*(c.to_pylist() for c in batch.columns), strict=True))
