"""Statistics on a batch engine, from the same export and layer as the evaluation, each
rollup's rows computed whole and written back through the stats app's own writers
(``stats.rollups``) — what a province rebuilds on Spark instead of in its database:

- records collected per day of storage (the local day, as the database counts it),
  department and catalog item — ``stats.rollups.daily_counts`` over the whole file up to
  the export's data time;
- dual publicity: per decision day, department and item, the publications decided, on
  time, late and pending (``PublicationDaily``), and per local day published and department,
  those published and on time (``PublishedDaily``) — ``publications_rollup_rebuild``'s two
  GROUP BYs, up to the export's data time;
- credit checks: per local day and checking department, the checks made, those that hit a
  list and the hits answered (``CheckDaily``), and per measure the times it was returned
  (not suspended), answered, applied and not applied (``CheckMeasureDaily``) — what
  ``checks_rollup_refresh(rebuild=True)`` counts, up to the export's data time."""

from collections.abc import Iterator

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from xinyong.disclosure.choices import PublicationStatus
from xinyong.engines.connect import Tables
from xinyong.sanctions.choices import CheckStatus

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


def checks_daily_table(t: Tables) -> pa.Table:
    """(day, department_id, total, hits, answered) of the checks made before the export's
    data time: ``CheckDaily``'s rows (a hit is answered once any of its measures is)."""
    c = t.checks.filter(t.checks.checked_before)
    answered = t.check_answers.select(answered_id=t.check_answers.check_id).distinct()
    c = c.left_join(answered, c.id == answered.answered_id)
    hit = c.status == str(CheckStatus.HIT)
    expr = c.group_by(day=c.day, department_id=c.department_id).aggregate(
        total=c.id.count(), hits=_count(hit), answered=_count(hit & c.answered_id.notnull())
    )
    return t.backend.to_pyarrow(expr.order_by(["day", "department_id"]))


def check_measures_daily_table(t: Tables) -> pa.Table:
    """(day, department_id, measure_code, returned, answered, applied, not_applied) of the
    checks made before the export's data time: ``CheckMeasureDaily``'s rows — a measure
    returned and not suspended, answered for it; every answer applied or not, suspended or
    not (as ``stats.rollups.measure_counts``)."""
    c = t.checks.filter(t.checks.checked_before).select("id", "day", "department_id")
    m, a = t.check_measures, t.check_answers
    kept = m.filter(~m.suspended).join(c, m.check_id == c.id)
    ans = a.select(a_check=a.check_id, a_code=a.code)
    kept = kept.left_join(ans, (kept.check_id == ans.a_check) & (kept.code == ans.a_code))
    returned = kept.group_by(day=kept.day, department_id=kept.department_id,
                             measure_code=kept.code).aggregate(
        returned=kept.check_id.count(), answered=kept.a_check.count())  # fmt: skip
    given = a.join(c, a.check_id == c.id)
    answers = given.group_by(day=given.day, department_id=given.department_id,
                             measure_code=given.code).aggregate(
        applied=_count(given.applied), not_applied=_count(~given.applied))  # fmt: skip
    keys = ["day", "department_id", "measure_code"]
    both = returned.outer_join(answers, keys)
    expr = both.select(
        day=ibis.coalesce(both.day, both.day_right),
        department_id=ibis.coalesce(both.department_id, both.department_id_right),
        measure_code=ibis.coalesce(both.measure_code, both.measure_code_right),
        returned=both.returned.fill_null(0),
        answered=both.answered.fill_null(0),
        applied=both.applied.fill_null(0),
        not_applied=both.not_applied.fill_null(0),
    )
    return t.backend.to_pyarrow(expr.order_by(keys))
