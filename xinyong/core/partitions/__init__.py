"""Declarative partitioning of the tables that grow with records (PostgreSQL only).

Which tables, by which key, and why (docs/architecture.md, "Partitioned tables"):

- ``records_record`` by HASH of the subject: a subject's file, the check's probes and the
  evaluation read one subject's rows, which then sit in one partition; a province's billion
  records become 16 (or 64) tables whose indexes, vacuum and rebuilds stay small; and the
  same key is the distribution column when the nation shards by subject (docs/scale.md).
- ``records_recordversion`` by HASH of the record: history is read record by record.
- ``ingest_batchrow`` by HASH of the batch: a batch's outcomes are read batch by batch.
- ``disclosure_publication`` by HASH of the record (its primary key): the sweep upserts by
  record; the columns read by item and date merge the partitions' indexes.
- ``sanctions_creditcheck`` by RANGE of month on ``at``: the log only grows in time order,
  statistics read periods, and retention drops (or archives, then drops) whole months.
- ``audit_auditevent`` by RANGE of month on ``occurred_at``: append-only in time order; its
  guard holds on every month, and retention never drops it.

A primary key or unique constraint must contain the partition key: the key is appended to
those that lack it, under the same names (so later migrations still find them). Ids come
from one sequence; a record's source key (provider, item, source id) stays unique across
partitions through a table of its own (unique.py). No foreign key may point at a
partitioned table (its key is now composite): the models say ``db_constraint=False`` for
each, and conversion refuses if one remains.

Conversion works on a live database (:func:`partition_table` with ``online=True``): a
trigger logs the key of every row changed from then on, the rows are copied in slices while
the old table stays in use, the indexes are built on the copy, the logged rows are copied
again, and only the last of them and the swap of names run under an exclusive lock — a lock
as long as the changes of the last moments, not as the table. The migration that introduces
partitioning runs the same steps in its own transaction (a new or small database), and
skips a table already converted by ``xinyong partitions apply --online``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Spec:
    """How one table is partitioned."""

    table: str
    method: str  # "hash": a fixed number of partitions; "range": one partition a month
    key: str
    # Hash only: the modulus; 0 takes XINYONG_HASH_PARTITIONS (16: a city; a province 64).
    partitions: int = 0
    months_ahead: int = 3  # range only: partitions kept ready beyond this month
    # Columns unique across the whole table without the partition key: kept unique by a
    # table of their own (``<table>__unique``), maintained by triggers (see unique.py), which
    # also carries ``carry`` so that a lookup by the key reads that table only.
    unique: tuple[str, ...] = ()
    carry: tuple[str, ...] = ()
    # Range only: rows of other tables that go when a month is dropped, as (table, column
    # holding this table's id) — a check's feedback with its check.
    dependents: tuple[tuple[str, str], ...] = ()
    kept_whole: bool = False  # never dropped by retention (the audit trail: backups keep it)


SPECS: tuple[Spec, ...] = (
    Spec(
        "records_record",
        "hash",
        "subject_id",
        unique=("provider_id", "item_code", "source_id"),
        carry=("status", "content_hash"),
    ),
    Spec("records_recordversion", "hash", "record_id"),
    Spec("ingest_batchrow", "hash", "batch_id"),
    Spec("disclosure_publication", "hash", "record_id"),
    Spec(
        "sanctions_creditcheck",
        "range",
        "at",
        dependents=(("sanctions_checkfeedback", "credit_check_id"),),
    ),
    Spec("audit_auditevent", "range", "occurred_at", kept_whole=True),
)


# The settings of partitioning, with the values each may take (checked as xinyong.E014).
SETTINGS = {"XINYONG_HASH_PARTITIONS": (1, 1024), "XINYONG_CHECK_LOG_RETENTION_MONTHS": (0, 1200)}


def setting(name: str) -> int:
    """A partitioning setting as a number; a wrong value is refused naming the setting and
    the rule (``ValueError``), never taken as a default."""
    from django.conf import settings

    low, high = SETTINGS[name]
    raw = str(getattr(settings, name)).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{name}: “{raw}” is not a whole number from {low} to {high}")
    return int(raw)


def modulus(spec: Spec) -> int:
    """How many hash partitions ``spec``'s table gets when it is converted."""
    return spec.partitions or setting("XINYONG_HASH_PARTITIONS")


def spec_for(table: str) -> Spec:
    for spec in SPECS:
        if spec.table == table:
            return spec
    names = "、".join(s.table for s in SPECS)
    raise ValueError(f"table: {table} is not one of the partitioned tables ({names})")


class PartitionError(Exception):
    """A conversion that cannot go ahead safely; the message names the obstacle."""


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


# ---------------------------------------------------------------------------------------
# Introspection


def is_partitioned(cur, table: str) -> bool:
    cur.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
    row = cur.fetchone()
    return bool(row) and row[0] == "p"


def _constraints(cur, table: str, kinds: str) -> list[tuple[str, str, str]]:
    """(name, kind, definition) of the table's constraints of the given kinds."""
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = ANY(%s) ORDER BY conname",
        [table, list(kinds)],
    )
    return cur.fetchall()


def _plain_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes that back no constraint."""
    cur.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
        "AND k.conrelid = i.indrelid) ORDER BY c.relname",
        [table],
    )
    return cur.fetchall()


def _triggers(cur, table: str) -> list[tuple[str, str]]:
    """The table's own triggers (the audit guard), not those of partitioning (``xy_``)."""
    cur.execute(
        "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal AND tgname NOT LIKE 'xy\\_%%' AND tgparentid = 0 "
        "ORDER BY tgname",
        [table],
    )
    return cur.fetchall()


def statement_triggers_to(cur, parent: str, partition: str) -> None:
    """The parent's statement-level triggers on a partition too: PostgreSQL clones row
    triggers to partitions, not statement ones — the audit trail's guard against TRUNCATE
    must hold on each month as on the whole."""
    cur.execute(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass "
        "AND NOT tgisinternal AND tgtype & 1 = 0 AND tgname NOT LIKE 'xy\\_%%'",
        [parent],
    )
    for (definition,) in cur.fetchall():
        head, tail = definition.split(" ON ", 1)
        tail = tail.split(" FOR EACH ", 1)[1]
        cur.execute(f"{head} ON {_q(partition)} FOR EACH {tail}")


def name_partition_indexes(cur, parent: str, partition: str | None = None) -> None:
    """A partition's copy of an index named after the index (``record_negative_idx_p3``,
    ``check_at_idx_y2026m12``), not PostgreSQL's column-list names: a plan, a bloat report
    or a slow-query log then says which index it is."""
    cur.execute(
        "SELECT pi.relname, ci.relname, c.relname FROM pg_inherits h "
        "JOIN pg_class pi ON pi.oid = h.inhparent AND pi.relkind = 'I' "
        "JOIN pg_index px ON px.indexrelid = pi.oid AND px.indrelid = %s::regclass "
        "JOIN pg_class ci ON ci.oid = h.inhrelid JOIN pg_index x ON x.indexrelid = ci.oid "
        "JOIN pg_class c ON c.oid = x.indrelid WHERE (%s::text IS NULL OR c.relname = %s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = pi.oid)",
        [parent, partition, partition],
    )
    for index, child, table in cur.fetchall():
        wanted = f"{index}_{table.removeprefix(parent + '_')}"[:63]
        if child != wanted:
            cur.execute(f"ALTER INDEX {_q(child)} RENAME TO {_q(wanted)}")


def _obstacles(cur, table: str) -> list[str]:
    """Foreign keys pointing at the table and views reading it: both would keep pointing
    at the old table after the swap."""
    cur.execute(
        "SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint "
        "WHERE confrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    found = [f"外键 {name}" for (name,) in cur.fetchall()]
    cur.execute(
        "SELECT DISTINCT v.oid::regclass::text FROM pg_depend d "
        "JOIN pg_rewrite w ON w.oid = d.objid JOIN pg_class v ON v.oid = w.ev_class "
        "WHERE d.refobjid = %s::regclass AND v.oid <> %s::regclass",
        [table, table],
    )
    found += [f"视图 {name}" for (name,) in cur.fetchall()]
    return found


def _identity_sequence(cur, table: str) -> str | None:
    cur.execute(
        "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = %s::regclass "
        "AND a.attidentity <> '' AND NOT a.attisdropped",
        [table],
    )
    row = cur.fetchone()
    if not row:
        return None
    cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, row[0]])
    return cur.fetchone()[0]


def _order_column(cur, table: str) -> str:
    """The first column of the primary key: the copy walks the table in its order."""
    cur.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = i.indkey[0] WHERE i.indrelid = %s::regclass AND i.indisprimary",
        [table],
    )
    return cur.fetchone()[0]


def partitions_status() -> list[dict]:
    """Each partitioned table: how, its partitions and their rows (estimated after ANALYZE)."""
    out = []
    if connection.vendor != "postgresql":
        return out
    with connection.cursor() as cur:
        for spec in SPECS:
            cur.execute(
                "SELECT c.relname, greatest(c.reltuples, 0)::bigint FROM pg_inherits h "
                "JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = to_regclass(%s) "
                "ORDER BY c.relname",
                [spec.table],
            )
            parts = cur.fetchall()
            out.append(
                {
                    "table": spec.table,
                    "method": spec.method,
                    "key": spec.key,
                    "partitioned": is_partitioned(cur, spec.table),
                    "partitions": parts,
                }
            )
    return out
