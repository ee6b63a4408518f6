"""A query of the hot path, compiled once per process from its ORM definition and then run
as SQL with new values: the rule stays written once, as a queryset, while each call skips
the ORM's compilation and model instances (together about half a millisecond a query on
the benchmark machine). Rows come back as the queryset's ``values_list`` would give them,
through the same converters.

Values that change per call are given as sentinels when compiling; every other value is
part of the rule and kept — a plain word or number written into the SQL itself, so that
PostgreSQL's cached plan of the statement sees it: a partial index (``WHERE status =
'breached'``) serves a query only if the planner can read its condition in the query, and
a prepared statement's generic plan cannot read a parameter."""

import re

from django.db import connections
from django.db.models import QuerySet

from xinyong.core import replicas


class Prepared:
    def __init__(self, queryset: QuerySet, *, using: str = "default", **sentinels):
        self.queryset = queryset
        self.using = using
        self.sentinels = sentinels
        self._compiled = None

    def _compile(self):
        compiler = self.queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        expressions = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(expressions)
        slots = []  # (sentinel name or None, kept value, passed as text?)
        for p in params:
            found = None
            for name, v in self.sentinels.items():
                if type(p) is type(v) and p == v:
                    found = (name, None, False)
                elif isinstance(p, str) and not isinstance(v, str) and p == str(v):
                    found = (name, None, True)  # the backend adapted it to text (SQLite dates)
            slots.append(found or (None, p, False))
        if sorted(n for n, _, _ in slots if n) != sorted(self.sentinels):
            raise ValueError("every sentinel must appear once among the query's parameters")
        sql, slots = _inline(sql, slots)
        return sql, slots, compiler, converters

    def __call__(self, **values) -> list[tuple]:
        """The rows the query finds with these values."""
        if self._compiled is None:
            self._compiled = self._compile()
        sql, slots, compiler, converters = self._compiled
        params = [
            (str(values[name]) if text else values[name]) if name else kept
            for name, kept, text in slots
        ]
        # Inside a read-only scope, a replica's connection of the same kind (replica_1_hot).
        rows = fetch(replicas.read_alias(self.using) or self.using, sql, params)
        if converters:
            return [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows


_WORD = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def _literal(value) -> str | None:
    """A kept value as SQL text, for a plain word or an integer; None for anything else."""
    if isinstance(value, str) and _WORD.match(value):
        return f"'{value}'"
    if type(value) is int:
        return str(value)
    return None


def _inline(sql: str, slots: list) -> tuple[str, list]:
    """Write the kept plain values into the SQL; the sentinels and other values stay
    parameters."""
    out, kept, it = [], [], iter(slots)
    for piece in re.split(r"(%%|%s)", sql):
        if piece != "%s":
            out.append(piece)
            continue
        slot = next(it)
        literal = None if slot[0] else _literal(slot[1])
        if literal is None:
            out.append(piece)
            kept.append(slot)
        else:
            out.append(literal)
    return "".join(out), kept


def fetch(using: str, sql: str, params: list) -> list[tuple]:
    """Run one statement and fetch its rows. On PostgreSQL straight on the driver's
    connection (Django's cursor wrappers cost about a tenth of a check), still inside
    Django's error wrapping, so a failure marks the connection for replacement."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    conn.ensure_connection()
    with conn.wrap_database_errors, conn.connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()
