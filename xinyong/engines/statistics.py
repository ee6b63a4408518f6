"""Statistics on a batch engine, from the same export and layer as the evaluation, each
rollup's rows computed whole and written back through the stats app's own writers
(``stats.rollups``) — what a province rebuilds on Spark instead of in its database:

- records collected per day of storage (the local day, as the database counts it),
  department and catalog item — ``stats.rollups.daily_counts`` over the whole file up to
  the export's data time;
- dual publicity: per decision day, department and item, the publications decided, on
  time, late and pending (``PublicationDaily``), and per local day published and department,
  those published and on time (``PublishedDaily``) — ``publications_rollup_rebuild``'s two
  GROUP BYs, up to the export's data time."""

from collections.abc import Iterator

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from xinyong.disclosure.choices import PublicationStatus
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


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    """How many rows meet ``condition`` (NULL counts as not met, as SQL's FILTER does)."""
    return condition.fill_null(False).cast("int64").sum()


def publications_daily_table(t: Tables) -> pa.Table:
    """(day, provider_id, item_code, total, on_time, late, pending) of the publications
    with a decision date, in that key's order: what ``PublicationDaily`` holds."""
    p = t.publications.filter(t.publications.decision_date.notnull())
    pending = p.status == str(PublicationStatus.PENDING)
    expr = p.group_by(day=p.decision_date, provider_id=p.provider_id, item_code=p.item_code
                      ).aggregate(total=p.record_id.count(), on_time=_count(p.on_time),
                                  late=_count(~p.on_time), pending=_count(pending))  # fmt: skip
    return t.backend.to_pyarrow(expr.order_by(["day", "provider_id", "item_code"]))


def published_daily_table(t: Tables) -> pa.Table:
    """(day, provider_id, published, on_time) per local day published and department, of
    the publications the sweep judged (on time or late) published before the export's data
    time: what ``PublishedDaily`` holds."""
    p = t.publications
    p = p.filter(p.on_time.notnull() & p.published_before.fill_null(False))
    expr = p.group_by(day=p.published_day, provider_id=p.provider_id).aggregate(
        published=p.record_id.count(), on_time=_count(p.on_time)
    )
    return t.backend.to_pyarrow(expr.order_by(["day", "provider_id"]))


def records_daily(t: Tables) -> list[dict]:
    """The figures, one dict a (day, provider, item), in that order."""
    return records_daily_table(t).to_pylist()


def chunks(table: pa.Table) -> Iterator[list[tuple]]:
    """``table``'s rows as tuples, ``CHUNK`` at a time (the writer's input)."""
    for batch in table.to_batches(max_chunksize=CHUNK):
        yield list(zip(*(c.to_pylist() for c in batch.columns), strict=True))
