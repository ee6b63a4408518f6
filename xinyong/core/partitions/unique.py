"""A unique key of a partitioned table that does not contain the partition key: the
record's source key (provider, item, source id) among records partitioned by subject.

PostgreSQL cannot index it across partitions, and looking it up probes every partition's
index (measured 4.6× the plain table's cost at 16 partitions, 16× at 64: bench/RESULTS.md) —
ingestion does it for every row. So the key lives in a table of its own,
``<table>__unique`` (the key's columns, primary key; the row's id and partition key): one
probe finds the row, which is then read from its one partition. Triggers keep it: a
statement trigger on insert (set-based, from the transition table: one INSERT per
statement, whether a batch of 100,000 rows or the ORM's one), a row trigger on an update
that changes the key or the partition key (only then: its WHEN clause), a row trigger on
delete. A duplicate key is refused by the key table's primary key, as the plain table's
unique constraint refused it."""

from xinyong.core.partitions import Spec, _q


def unique_table(spec: Spec) -> str:
    return f"{spec.table}__unique"


def unique_create(cur, spec: Spec, table: str) -> None:
    """The key table (empty) and the insert trigger on ``table`` (the new partitioned table,
    before rows are copied into it: the copy fills the key table through it)."""
    key, cols = unique_table(spec), ", ".join(map(_q, spec.unique))
    cur.execute(f"DROP TABLE IF EXISTS {_q(key)}")
    cur.execute(
        f"CREATE TABLE {_q(key)} AS SELECT {cols}, id, {_q(spec.key)} FROM {_q(spec.table)} "
        "WITH NO DATA"
    )
    cur.execute(f"ALTER TABLE {_q(key)} ADD PRIMARY KEY ({cols})")
    fn = _q(f"{spec.table}__unique_put")
    cur.execute(
        f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO {_q(key)} SELECT {cols}, id, {_q(spec.key)} FROM xy_added; "
        "RETURN NULL; END $$"
    )
    cur.execute(
        f"CREATE TRIGGER xy_unique_put AFTER INSERT ON {_q(table)} REFERENCING NEW TABLE "
        f"AS xy_added FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
    )


def unique_forget(cur, spec: Spec, gone: str) -> None:
    """The keys of rows just removed from the new table by the conversion's catch-up
    (``gone``: a relation of their key columns); they are copied again after."""
    match = " AND ".join(f"k.{_q(c)} = g.{_q(c)}" for c in spec.unique)
    cur.execute(f"DELETE FROM {_q(unique_table(spec))} k USING {gone} g WHERE {match}")


def unique_triggers(cur, spec: Spec) -> None:
    """Once the partitioned table has its name: an update that changes the key or the
    partition key, and a delete, keep the key table right. A row moved to another
    partition by an update may reach the triggers as a delete (then it is found again
    under its key in the table)."""
    key, k = _q(unique_table(spec)), spec.unique
    match = " AND ".join(f"{_q(c)} = OLD.{_q(c)}" for c in k)
    changed = " OR ".join(f"OLD.{_q(c)} IS DISTINCT FROM NEW.{_q(c)}" for c in (*k, spec.key))
    cols = ", ".join(map(_q, k))
    new = ", ".join(f"NEW.{_q(c)}" for c in (*k, "id", spec.key))
    fn = _q(f"{spec.table}__unique_move")
    cur.execute(
        f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {key} WHERE {match}; "
        f"IF TG_OP = 'UPDATE' THEN INSERT INTO {key} VALUES ({new}); "
        f"ELSE INSERT INTO {key} SELECT {cols}, id, {_q(spec.key)} FROM {_q(spec.table)} "
        f"WHERE {match}; END IF; RETURN NULL; END $$"
    )
    cur.execute(
        f"CREATE TRIGGER xy_unique_move AFTER UPDATE ON {_q(spec.table)} FOR EACH ROW "
        f"WHEN ({changed}) EXECUTE FUNCTION {fn}()"
    )
    cur.execute(
        f"CREATE TRIGGER xy_unique_drop AFTER DELETE ON {_q(spec.table)} FOR EACH ROW "
        f"EXECUTE FUNCTION {fn}()"
    )


def unique_drop(cur, spec: Spec) -> None:
    """After the table went back to a plain one (its triggers went with the old table)."""
    cur.execute(f"DROP TABLE IF EXISTS {_q(unique_table(spec))}")
    for fn in ("put", "move"):
        cur.execute(f"DROP FUNCTION IF EXISTS {_q(f'{spec.table}__unique_{fn}')}()")
