"""Reconciliation on the layer: the records an export holds, counted per department and
catalog item by a batch engine, against the database's own count of the records stored
before the export's data time — a report of the differences (none when the export, and
the engine's reading of it, hold every record the database had at that moment, no more).

Not the exchange's daily count-and-digest: that SHA-256 is over what each feed publishes,
built when read by each app's own public rules in Python (a list's public flag, the
grades the credit office lets systems see, a commitment as the public sees it), hashed in
sequence order — a second copy of those rules would have to be kept in step, and one
ordered hash of a day is one string in one task on any engine (no scale-out)."""

import datetime
from dataclasses import dataclass, field

import ibis

from xinyong.engines.connect import Tables


def records_counts_expr(t: Tables) -> ibis.Table:
    """(provider_id, item_code, n) of the records exported, any status, first stored
    before the export's data time."""
    r = t.records.filter(t.records.stored_before)
    return r.group_by("provider_id", "item_code").aggregate(n=r.id.count())


def engine_counts(t: Tables) -> dict[tuple[int, str], int]:
    rows = t.backend.to_pyarrow(records_counts_expr(t)).to_pylist()
    return {(r["provider_id"], r["item_code"]): r["n"] for r in rows}


@dataclass(frozen=True)
class Difference:
    provider_id: int
    item_code: str
    engine: int  # counted by the engine from the export
    database: int  # counted by the database

    @property
    def delta(self) -> int:
        return self.engine - self.database


@dataclass
class Reconciliation:
    data_time: datetime.datetime
    engine: str
    compared: int = 0  # (department, item) pairs counted on either side
    total_engine: int = 0
    total_database: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def compare(engine: str, data_time: datetime.datetime, got: dict, expected: dict
            ) -> Reconciliation:  # fmt: skip
    """Every (department, item) counted on either side; the differences in key order."""
    keys = sorted(got.keys() | expected.keys())
    return Reconciliation(
        data_time=data_time, engine=engine, compared=len(keys),
        total_engine=sum(got.values()), total_database=sum(expected.values()),
        differences=[Difference(p, i, got.get((p, i), 0), expected.get((p, i), 0))
                     for p, i in keys if got.get((p, i), 0) != expected.get((p, i), 0)],
    )  # fmt: skip
