"""A unique key of a partitioned table that does not contain the partition key: the
record's source key (provider, item, source id) among records partitioned by subject.

PostgreSQL cannot index it across partitions, and looking it up probes every partition's
index; worse, a lookup per row that then reads the row from its partition re-plans the
partitions at every row (measured: bench/RESULTS.md, "Partitioned tables"). Ingestion does
it for every row. So the key lives in a table of its own, ``<table>__unique``: the key's
columns (primary key), the row's id and partition key, and the few columns the lookup
needs (``Spec.carry``: a record's status and content hash) — one probe of one plain table
answers it. Statement triggers with transition tables keep it, set-based: on insert the
new rows' keys; on update the updated rows' keys replaced (a changed key, a row moved to
another partition, a new status or content); on delete the keys removed. A duplicate key
is refused by the key table's primary key, as the plain table's unique constraint refused
it."""

from xinyong.core.partitions import Spec, _q


def unique_table(spec: Spec) -> str:
    return f"{spec.table}__unique"


def _stored(spec: Spec) -> tuple[str, ...]:
    return (*spec.unique, "id", spec.key, *spec.carry)


def unique_create(cur, spec: Spec, table: str) -> None:
    """The key table (empty) and its triggers on ``table`` (the new partitioned table,
    before rows are copied into it: the copy fills the key table through them). The
    functions name the table they watch, so they are made for ``table``'s final name."""
    key, cols = _q(unique_table(spec)), ", ".join(map(_q, _stored(spec)))
    on = " AND ".join(f"k.{_q(c)} = o.{_q(c)}" for c in spec.unique)
    cur.execute(f"DROP TABLE IF EXISTS {key}")
    cur.execute(f"CREATE TABLE {key} AS SELECT {cols} FROM {_q(spec.table)} WITH NO DATA")
    cur.execute(f"ALTER TABLE {key} ADD PRIMARY KEY ({', '.join(map(_q, spec.unique))})")
    put = f"INSERT INTO {key} SELECT {cols} FROM xy_new;"
    drop = f"DELETE FROM {key} k USING xy_old o WHERE {on};"
    for op, body, refs in (
        ("INSERT", put, "NEW TABLE AS xy_new"),
        ("UPDATE", drop + put, "OLD TABLE AS xy_old NEW TABLE AS xy_new"),
        ("DELETE", drop, "OLD TABLE AS xy_old"),
    ):
        fn = _q(f"{spec.table}__unique_{op.lower()}")
        cur.execute(
            f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NULL; END $$"
        )
        cur.execute(
            f"CREATE TRIGGER xy_unique_{op.lower()} AFTER {op} ON {_q(table)} "
            f"REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
        )
    # TRUNCATE fires no delete trigger: the keys go with it (of the whole table; truncating
    # one partition alone would leave its keys behind — truncate the table, not a partition).
    fn = _q(f"{spec.table}__unique_truncate")
    cur.execute(
        f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN TRUNCATE {key}; RETURN NULL; END $$"
    )
    cur.execute(
        f"CREATE TRIGGER xy_unique_truncate AFTER TRUNCATE ON {_q(table)} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
    )


def unique_drop(cur, spec: Spec) -> None:
    """After the table went back to a plain one (its triggers went with the old table)."""
    cur.execute(f"DROP TABLE IF EXISTS {_q(unique_table(spec))}")
    for op in ("insert", "update", "delete", "truncate"):
        cur.execute(f"DROP FUNCTION IF EXISTS {_q(f'{spec.table}__unique_{op}')}()")
