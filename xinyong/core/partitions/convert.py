"""Conversion of a table to a partitioned one and back, online or in one transaction."""

import datetime
import time
from contextlib import nullcontext

from django.db import connection, transaction

from xinyong.core.partitions import (
    PartitionError,
    Spec,
    _constraints,
    _identity_sequence,
    _obstacles,
    _order_column,
    _plain_indexes,
    _q,
    _triggers,
    is_partitioned,
    name_partition_indexes,
    statement_triggers_to,
)
from xinyong.core.partitions.months import create_partitions


def _columns(definition: str) -> tuple[str, list[str], str]:
    """``UNIQUE (a, b) DEFERRABLE`` → (``UNIQUE ``, [a, b], `` DEFERRABLE``)."""
    head, rest = definition.split("(", 1)
    cols, tail = rest.split(")", 1)
    return head, [c.strip() for c in cols.split(",")], tail


def _with_key(definition: str, key: str) -> str:
    """``PRIMARY KEY (id)`` → ``PRIMARY KEY (id, subject_id)``; unchanged if it has it."""
    head, columns, tail = _columns(definition)
    if key in columns:
        return definition
    return f"{head}({', '.join([*columns, key])}){tail}"


def _without_key(definition: str, key: str) -> str:
    """The reverse: the key appended last comes off again."""
    head, columns, tail = _columns(definition)
    if len(columns) > 1 and columns[-1] == key:
        columns = columns[:-1]
    return f"{head}({', '.join(columns)}){tail}"


def partition_table(spec: Spec, *, online: bool = False, slice_rows: int = 100_000) -> dict:
    """Convert ``spec.table`` into a partitioned table of the same name, with the same
    columns, defaults, checks, keys and indexes (named as before), triggers, grants and id
    sequence. ``online``: copy in committed slices while the table stays in use, then catch
    up and swap under a short exclusive lock (not inside a transaction); otherwise all in
    the caller's transaction, under the lock throughout. Returns the rows copied, the rows
    caught up and the seconds the exclusive lock was held."""
    return _convert(spec, partitioned=True, online=online, slice_rows=slice_rows)


def unpartition_table(spec: Spec, *, online: bool = False, slice_rows: int = 100_000) -> dict:
    """The reverse of :func:`partition_table` (the migration's way back)."""
    return _convert(spec, partitioned=False, online=online, slice_rows=slice_rows)


def _step(online: bool):
    """A transaction of its own when online; the caller's otherwise."""
    return transaction.atomic() if online else nullcontext()


def _convert(spec: Spec, *, partitioned: bool, online: bool, slice_rows: int) -> dict:
    if online and connection.in_atomic_block:
        raise PartitionError("online: a conversion in slices cannot run inside a transaction")
    if online:
        return _converted(spec, partitioned=partitioned, online=True, slice_rows=slice_rows)
    with transaction.atomic():
        return _converted(spec, partitioned=partitioned, online=False, slice_rows=slice_rows)


def _converted(spec: Spec, *, partitioned: bool, online: bool, slice_rows: int) -> dict:
    table, new = spec.table, f"{spec.table}__new"
    with connection.cursor() as cur:
        if is_partitioned(cur, table) == partitioned:
            return {"table": table, "skipped": True}
        found = _obstacles(cur, table)
        if found:
            raise PartitionError(f"{table}: 仍被引用，不能转换：{'；'.join(found)}")
    started = datetime.datetime.now(tz=datetime.UTC)
    with _step(online), connection.cursor() as cur:
        if not online:
            cur.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        order = _order_column(cur, table)
        cur.execute(f"DROP TABLE IF EXISTS {_q(new)} CASCADE")  # a failed earlier attempt
        like = "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE"
        by = f" PARTITION BY {spec.method.upper()} ({_q(spec.key)})" if partitioned else ""
        cur.execute(f"CREATE TABLE {_q(new)} (LIKE {_q(table)} {like}){by}")
        if partitioned:
            first = None
            if spec.method == "range":
                cur.execute(f"SELECT min({_q(spec.key)})::date FROM {_q(table)}")
                first = cur.fetchone()[0]
            create_partitions(cur, spec, new, first)
        cur.execute(f"SELECT max({_q(order)}) FROM {_q(table)}")
        top = cur.fetchone()[0]
    copied = _copy(table, new, order, top, online=online, slice_rows=slice_rows)
    with _step(online), connection.cursor() as cur:
        names = _build_keys(cur, table, new, spec.key, partitioned)
    with _step(online), connection.cursor() as cur:
        t0 = time.monotonic()
        cur.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        caught_up = _catch_up(cur, spec, table, new, order, top, started) if online else 0
        _swap(cur, table, new, names)
        held = time.monotonic() - t0
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {_q(table)}")  # a new table has no statistics yet
    return {"table": table, "rows": copied, "caught_up": caught_up, "lock_seconds": held}


def _copy(table: str, new: str, order: str, top, *, online: bool, slice_rows: int) -> int:
    """The rows up to ``top`` (in the primary key's first column); online, in slices of
    that column's values, each its own transaction (the old table stays writable)."""
    if top is None:
        return 0
    with connection.cursor() as cur:
        if not online:
            cur.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")
            return cur.rowcount
        cur.execute(f"SELECT min({_q(order)}) FROM {_q(table)}")
        low = cur.fetchone()[0]
    copied = 0
    while low <= top:
        high = min(low + slice_rows - 1, top)
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)} "
                f"WHERE {_q(order)} BETWEEN %s AND %s",
                [low, high],
            )
            copied += cur.rowcount
        low = high + 1
    return copied


def _catch_up(cur, spec: Spec, table: str, new: str, order: str, top, started) -> int:
    """Under the lock: what changed while the copy ran. Rows beyond ``top`` are new; rows
    whose ``changed`` column moved since the start are copied again; rows gone from the old
    table go from the new one."""
    o, t, n = _q(order), _q(table), _q(new)
    if top is None:
        cur.execute(f"INSERT INTO {n} SELECT * FROM {t}")
        return cur.rowcount
    moved = 0
    if spec.changed == "*":  # whole rows compared: what differs is replaced
        differ = f"SELECT {o} FROM (SELECT * FROM {n} EXCEPT SELECT * FROM {t}) d"
        cur.execute(f"DELETE FROM {n} WHERE {o} IN ({differ})")
        moved += cur.rowcount
        cur.execute(f"INSERT INTO {n} SELECT * FROM {t} EXCEPT SELECT * FROM {n}")
        return moved + cur.rowcount
    if spec.changed:
        c = _q(spec.changed)
        again = f"FROM {t} WHERE {o} <= %s AND {c} >= %s"
        cur.execute(f"DELETE FROM {n} WHERE {o} IN (SELECT {o} {again})", [top, started])
        cur.execute(f"INSERT INTO {n} SELECT * {again}", [top, started])
        moved += cur.rowcount
    cur.execute(f"DELETE FROM {n} x WHERE NOT EXISTS (SELECT 1 FROM {t} y WHERE y.{o} = x.{o})")
    moved += cur.rowcount
    cur.execute(f"INSERT INTO {n} SELECT * FROM {t} WHERE {o} > %s", [top])
    return moved + cur.rowcount


def _build_keys(cur, table: str, new: str, key: str, partitioned: bool) -> list:
    """The old table's keys, unique constraints, indexes and foreign keys on the new one,
    under temporary names; returns [(temporary, old name, is a constraint)] for the swap.
    Built after the copy: one sort each, not one insert at a time."""
    adjust = _with_key if partitioned else _without_key
    names = []
    for i, (name, kind, definition) in enumerate(_constraints(cur, table, "puf")):
        temp = f"xy_new_{i}"
        if kind != "f":
            definition = adjust(definition, key)
        cur.execute(f"ALTER TABLE {_q(new)} ADD CONSTRAINT {temp} {definition}")
        names.append((temp, name, True))
    for i, (name, definition) in enumerate(_plain_indexes(cur, table)):
        head, tail = definition.split(" ON ", 1)
        using = tail.split(" USING ", 1)[1]
        if head.startswith("CREATE UNIQUE") and partitioned:
            raise PartitionError(f"{table}: 唯一索引 {name} 不含分区键 {key}，不能分区")
        unique = "UNIQUE " if head.startswith("CREATE UNIQUE") else ""
        temp = f"xy_new_index_{i}"
        cur.execute(f"CREATE {unique}INDEX {temp} ON {_q(new)} USING {using}")
        names.append((temp, name, False))
    return names


def _swap(cur, table: str, new: str, names: list) -> None:
    """Under the lock: the new table takes the old one's name, the names of its
    constraints and indexes, its triggers and grants and its sequence's position; the
    old table is dropped."""
    sequence = _identity_sequence(cur, table)
    triggers = _triggers(cur, table)
    cur.execute(
        "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
        "WHERE table_schema = current_schema() AND table_name = %s AND grantee <> "
        "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = %s)",
        [table, table],
    )
    grants = cur.fetchall()
    position = None
    if sequence:
        cur.execute(f"SELECT last_value, is_called FROM {sequence}")
        position = cur.fetchone()
    cur.execute(f"DROP TABLE {_q(table)}")  # its indexes, constraints, triggers, sequence
    cur.execute(f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}")
    for temp, name, is_constraint in names:
        if is_constraint:
            cur.execute(f"ALTER TABLE {_q(table)} RENAME CONSTRAINT {temp} TO {_q(name)}")
        else:
            cur.execute(f"ALTER INDEX {temp} RENAME TO {_q(name)}")
    for _name, definition in triggers:  # they name the table, which is now the new one
        cur.execute(definition)
    cur.execute("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
                [table])  # fmt: skip
    for (partition,) in cur.fetchall():
        statement_triggers_to(cur, table, partition)
    name_partition_indexes(cur, table)
    for grantee, privilege in grants:
        cur.execute(f"GRANT {privilege} ON {_q(table)} TO {_q(grantee)}")
    new_sequence = _identity_sequence(cur, table)
    if new_sequence and sequence:
        cur.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {_q(sequence.split('.')[-1])}")
        cur.execute("SELECT setval(%s, %s, %s)", [sequence, *position])
