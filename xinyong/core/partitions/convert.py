"""Conversion of a table to a partitioned one and back, online or in one transaction."""

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
from xinyong.core.partitions.unique import unique_create, unique_drop


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
        try:
            return _converted(spec, partitioned=partitioned, online=True, slice_rows=slice_rows)
        except BaseException:
            _abandon(spec, partitioned)  # the table as it was, no trigger logging for nobody
            raise
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
    with _step(online), connection.cursor() as cur:
        if online:  # from here on, every change to a row is noted (its key) in the log
            _capture_start(cur, table)
        else:
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
            if spec.unique:  # filled by the copy itself, through its triggers
                unique_create(cur, spec, new)
    copied = _copy(table, new, order, online=online, slice_rows=slice_rows)
    with _step(online), connection.cursor() as cur:
        names = _build_keys(cur, table, new, spec.key, partitioned)
    caught_up = 0
    if online:  # most of what changed meanwhile, before the lock: the lock's share is small
        with transaction.atomic(), connection.cursor() as cur:
            caught_up += _catch_up(cur, table, new)
    with _step(online), connection.cursor() as cur:
        t0 = time.monotonic()
        cur.execute(f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
        if online:
            caught_up += _catch_up(cur, table, new)
            _capture_stop(cur, table)
        _swap(cur, table, new, names)
        if spec.unique and not partitioned:
            unique_drop(cur, spec)
        held = time.monotonic() - t0
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {_q(table)}")  # a new table has no statistics yet
    return {"table": table, "rows": copied, "caught_up": caught_up, "lock_seconds": held}


def _abandon(spec: Spec, partitioned: bool) -> None:
    """After a failed online conversion (an error, an interrupt): the change log, its
    trigger and the half-built table go; the table in use was never touched otherwise."""
    table = spec.table
    with transaction.atomic(), connection.cursor() as cur:
        if is_partitioned(cur, table) != partitioned:  # not swapped: still the old table
            cur.execute(f"DROP TRIGGER IF EXISTS xy_capture ON {_q(table)}")
            cur.execute(f"DROP TABLE IF EXISTS {_q(table + '__log')}")
            cur.execute(f"DROP FUNCTION IF EXISTS {_q(table + '__capture')}()")
            cur.execute(f"DROP TABLE IF EXISTS {_q(table + '__new')} CASCADE")
            if spec.unique and partitioned:  # the new table's key table, not the live one's
                unique_drop(cur, spec)


def _copy(table: str, new: str, order: str, *, online: bool, slice_rows: int) -> int:
    """Every row; online, in slices of the primary key's first column, each its own
    transaction (the old table stays writable; what changes meanwhile is in the log)."""
    with connection.cursor() as cur:
        if not online:
            cur.execute(f"INSERT INTO {_q(new)} SELECT * FROM {_q(table)}")
            return cur.rowcount
        cur.execute(f"SELECT min({_q(order)}), max({_q(order)}) FROM {_q(table)}")
        low, top = cur.fetchone()
    copied = 0
    while low is not None and low <= top:
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


def _key_columns(cur, table: str) -> list[str]:
    cur.execute(
        "SELECT a.attname FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY "
        "AS k(attnum, n) ON true JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = k.attnum WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY k.n",
        [table],
    )
    return [name for (name,) in cur.fetchall()]


def _capture_start(cur, table: str) -> None:
    """A log of the primary keys of rows inserted, updated or deleted in ``table`` from now
    on, kept by a trigger (as pg_repack does): the catch-up then touches those rows only,
    however large the table. Creating the trigger waits for the writes in flight."""
    log, fn = _q(f"{table}__log"), _q(f"{table}__capture")
    columns = _key_columns(cur, table)
    cols = ", ".join(map(_q, columns))
    cur.execute(f"DROP TRIGGER IF EXISTS xy_capture ON {_q(table)}")  # an earlier attempt's
    cur.execute(f"DROP TABLE IF EXISTS {log}")
    cur.execute(f"CREATE TABLE {log} AS SELECT {cols} FROM {_q(table)} WITH NO DATA")
    old = ", ".join(f"OLD.{_q(c)}" for c in columns)
    new = ", ".join(f"NEW.{_q(c)}" for c in columns)
    cur.execute(
        f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'INSERT' THEN INSERT INTO {log} VALUES ({old}); END IF; "
        f"IF TG_OP <> 'DELETE' THEN INSERT INTO {log} VALUES ({new}); END IF; "
        "RETURN NULL; END $$"
    )
    cur.execute(
        f"CREATE TRIGGER xy_capture AFTER INSERT OR UPDATE OR DELETE ON {_q(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {fn}()"
    )


def _capture_stop(cur, table: str) -> None:
    cur.execute(f"DROP TRIGGER xy_capture ON {_q(table)}")
    cur.execute(f"DROP TABLE {_q(table + '__log')}")
    cur.execute(f"DROP FUNCTION {_q(table + '__capture')}()")


def _catch_up(cur, table: str, new: str) -> int:
    """The rows whose keys the log holds are taken from the log, removed from the new
    table and copied again as they now stand (or not at all: deleted meanwhile). Returns
    how many keys were applied."""
    columns = _key_columns(cur, table)
    cols = ", ".join(map(_q, columns))
    on = lambda a, b: " AND ".join(f"{a}.{_q(c)} = {b}.{_q(c)}" for c in columns)  # noqa: E731
    cur.execute("DROP TABLE IF EXISTS xy_caught")
    cur.execute(
        f"CREATE TEMP TABLE xy_caught ON COMMIT DROP AS WITH taken AS (DELETE FROM "
        f"{_q(table + '__log')} RETURNING {cols}) SELECT DISTINCT {cols} FROM taken"
    )
    applied = cur.rowcount
    cur.execute(f"DELETE FROM {_q(new)} n USING xy_caught k WHERE {on('n', 'k')}")
    cur.execute(
        f"INSERT INTO {_q(new)} SELECT t.* FROM {_q(table)} t JOIN xy_caught k ON {on('t', 'k')}"
    )
    cur.execute("DROP TABLE xy_caught")
    return applied


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
