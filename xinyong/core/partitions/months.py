"""Monthly range partitions: kept ready ahead of time (the daily upkeep), and retention
by whole months — archived to gzip CSV if asked, then detached and dropped."""

import datetime
import gzip
from pathlib import Path

from django.db import connection, transaction

from xinyong.core.partitions import (
    SPECS,
    Spec,
    _q,
    is_partitioned,
    modulus,
    name_partition_indexes,
    spec_for,
    statement_triggers_to,
)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def months_back(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month ``n`` months before ``month``'s."""
    k = month.year * 12 + month.month - 1 - n
    return datetime.date(k // 12, k % 12 + 1, 1)


def _month_name(table: str, month: datetime.date) -> str:
    return f"{table}_y{month.year}m{month.month:02d}"


def create_partitions(cur, spec: Spec, parent: str, first: datetime.date | None) -> None:
    """The partitions of a new parent: all hash remainders, or every month from ``first``
    to a few months ahead and a default partition for anything outside."""
    if spec.method == "hash":
        n = modulus(spec)
        for r in range(n):
            cur.execute(
                f"CREATE TABLE {_q(f'{spec.table}_p{r}')} PARTITION OF {_q(parent)} "
                f"FOR VALUES WITH (MODULUS {n}, REMAINDER {r})"
            )
        return
    cur.execute(f"CREATE TABLE {_q(spec.table + '_default')} PARTITION OF {_q(parent)} DEFAULT")
    month = _month(first or datetime.date.today())
    last = _month(datetime.date.today())
    for _ in range(spec.months_ahead):
        last = _next_month(last)
    while month <= last:
        _new_month(cur, spec, parent, month)
        month = _next_month(month)


def _new_month(cur, spec: Spec, parent: str, month: datetime.date) -> str:
    name = _month_name(spec.table, month)
    cur.execute(
        f"CREATE TABLE {_q(name)} PARTITION OF {_q(parent)} FOR VALUES FROM (%s) TO (%s)",
        [month.isoformat(), _next_month(month).isoformat()],
    )
    statement_triggers_to(cur, parent, name)
    name_partition_indexes(cur, parent, name)
    return name


def _rehome(cur, spec: Spec, months: list[datetime.date]) -> None:
    """New months for rows that sit in the default partition: the default is detached,
    the months created, a new default made, and the rows routed again through the parent.
    No row is deleted (the audit trail refuses deletes): the old default is dropped whole."""
    table, default = spec.table, spec.table + "_default"
    cur.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(default)}")
    cur.execute(f"ALTER TABLE {_q(default)} RENAME TO {_q(default + '_old')}")
    for month in months:
        _new_month(cur, spec, table, month)
    cur.execute(f"CREATE TABLE {_q(default)} PARTITION OF {_q(table)} DEFAULT")
    cur.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(default + '_old')}")
    cur.execute(f"DROP TABLE {_q(default + '_old')}")
    statement_triggers_to(cur, table, default)
    name_partition_indexes(cur, table, default)


def partitions_ensure(*, today: datetime.date | None = None) -> list[str]:
    """The months ahead of every range-partitioned table, created before rows need them
    (the daily upkeep), and the months of rows found in the default partition, which move
    into them. Returns the partitions created."""
    if connection.vendor != "postgresql":
        return []
    created = []
    today = today or datetime.date.today()
    with transaction.atomic(), connection.cursor() as cur:
        for spec in SPECS:
            if spec.method != "range" or not is_partitioned(cur, spec.table):
                continue
            ahead, month = set(), _month(today)
            for _ in range(spec.months_ahead + 1):
                ahead.add(month)
                month = _next_month(month)
            # and any month whose rows fell into the default partition (rows dated back,
            # loaded from another system, older than the conversion)
            cur.execute(
                f"SELECT DISTINCT date_trunc('month', {_q(spec.key)})::date "
                f"FROM {_q(spec.table + '_default')}"
            )
            stray = {day for (day,) in cur.fetchall()}
            missing = []
            for month in sorted(ahead | stray):
                cur.execute("SELECT to_regclass(%s)", [_month_name(spec.table, month)])
                if cur.fetchone()[0] is None:
                    missing.append(month)
            if stray:
                _rehome(cur, spec, missing)
            else:
                for month in missing:
                    _new_month(cur, spec, spec.table, month)
            created += [_month_name(spec.table, m) for m in missing]
    return created


def partitions_drop(*, table: str, before: datetime.date, archive: Path | None = None):
    """Retention by whole partitions: the months of ``table`` that end on or before
    ``before`` are archived (one gzip CSV each, with a header, if ``archive`` is given) and
    dropped. Returns [(partition, rows)]. Dropping a month is instant, whatever its size;
    no row-by-row delete, no bloat left behind."""
    spec = spec_for(table)
    if spec.kept_whole:
        raise ValueError(f"table: {table} is never dropped by retention")
    if spec.method != "range":
        raise ValueError(f"table: {table} is partitioned by hash; retention drops months")
    if connection.vendor != "postgresql":
        return []
    dropped = []
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits h "
            "JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = %s::regclass "
            "ORDER BY c.relname",
            [table],
        )
        for name, bound in cur.fetchall():
            if bound == "DEFAULT" or not name.startswith(f"{table}_y"):
                continue
            year, month = int(name[-7:-3]), int(name[-2:])
            if _next_month(datetime.date(year, month, 1)) > before:
                continue
            rows = _archive(cur, name, archive) if archive else None
            for other, column in spec.dependents:  # the feedback on those checks goes too
                cur.execute(
                    f"DELETE FROM {_q(other)} WHERE {_q(column)} IN (SELECT id FROM {_q(name)})"
                )
            cur.execute(f"ALTER TABLE {_q(table)} DETACH PARTITION {_q(name)}")
            if rows is None:
                cur.execute(f"SELECT count(*) FROM {_q(name)}")
                rows = cur.fetchone()[0]
            cur.execute(f"DROP TABLE {_q(name)}")
            dropped.append((name, rows))
    return dropped


def _archive(cur, name: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv.gz"
    with gzip.open(path, "wb") as out:
        with cur.copy(f"COPY {_q(name)} TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for chunk in copy:
                out.write(chunk)
    cur.execute(f"SELECT count(*) FROM {_q(name)}")
    return cur.fetchone()[0]
