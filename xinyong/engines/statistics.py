"""Statistics on a batch engine, from the same export and layer as the evaluation: records
collected per day of storage (the local day, as the database counts it), department and
catalog item — the figures of ``stats.rollups.daily_counts`` over the whole file, which a
province rebuilds on Spark instead of in its database."""

import ibis

from xinyong.engines.connect import Tables


def records_daily_expr(t: Tables) -> ibis.Table:
    """(day, provider_id, item_code, n) of every record exported, any status."""
    r = t.records
    return r.group_by(day=r.created_day, provider_id=r.provider_id, item_code=r.item_code
                      ).aggregate(n=r.id.count())  # fmt: skip


def records_daily(t: Tables) -> list[dict]:
    """The figures, one dict a (day, provider, item), in that order."""
    expr = records_daily_expr(t).order_by(["day", "provider_id", "item_code"])
    return t.backend.to_pyarrow(expr).to_pylist()
