"""The database itself refuses to change or remove an audit event, even on the application's
own connection: a SQL injection, a careless admin action or a script on the app's role cannot
quietly rewrite the trail. Only the table's owner can lift the guard (PostgreSQL: disable
the trigger; that needs ownership, which production keeps from the application's role —
docs/architecture.md); truncation by someone who can is what the signed checkpoints catch.

SQLite: the triggers ask ``xy_audit_guarded()``, a function this process registers on each
connection. It answers "guarded" unless :func:`guard_lifted` is active in the same thread
(Django's ``flush``, which empties SQLite tables with DELETE, and the tests that tamper on
purpose). Any other client of the file (the ``sqlite3`` shell) has no such function, so its
UPDATE or DELETE fails too."""

import threading
from contextlib import contextmanager

from django.db import DatabaseError
from django.db.backends.signals import connection_created

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_event_immutable() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable()""",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_immutable()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_immutable ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_immutable()",
]
SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_event_no_{op.lower()} BEFORE {op} ON {TABLE}
    WHEN xy_audit_guarded()
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS audit_event_no_{op}" for op in ("update", "delete")]

_lifted = threading.local()


def _guarded() -> int:
    return 0 if getattr(_lifted, "depth", 0) else 1


def _on_connect(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("xy_audit_guarded", 0, _guarded)


def register_sqlite_function() -> None:
    connection_created.connect(_on_connect, dispatch_uid="xinyong_audit_guard")


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_INSTALL if vendor == "postgresql" else SQLITE_INSTALL:
        schema_editor.execute(sql, params=None)


def remove(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_REMOVE if vendor == "postgresql" else SQLITE_REMOVE:
        schema_editor.execute(sql, params=None)


def _tables(cur) -> list[str]:
    """The trail's table and, partitioned by month (core.partitions), each month's: the
    guard against TRUNCATE is on each of them (a statement trigger is not inherited)."""
    cur.execute(
        "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = %s::regclass",
        [TABLE],
    )
    return [TABLE, *(name for (name,) in cur.fetchall())]


@contextmanager
def guard_lifted(connection):
    """UPDATE and DELETE of audit events allowed on ``connection`` for the block: for
    ``flush`` (emptying a test database) and tests that tamper with the trail on purpose;
    the application never calls it. PostgreSQL: needs the table's owner."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            tables = _tables(cur)
            for table in tables:
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            try:
                with connection.cursor() as cur:
                    for table in tables:
                        cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            except DatabaseError:
                # A failed statement aborted the enclosing transaction, whose rollback
                # undoes the DISABLE as well.
                if not connection.in_atomic_block:
                    raise
        return
    _lifted.depth = getattr(_lifted, "depth", 0) + 1
    try:
        yield
    finally:
        _lifted.depth -= 1
