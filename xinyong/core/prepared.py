"""A query of the hot path, compiled once per process from its ORM definition and then run
as SQL with new values: the rule stays written once, as a queryset, while each call skips
the ORM's compilation and model instances (together about half a millisecond a query on
the benchmark machine). Rows come back as the queryset's ``values_list`` would give them,
through the same converters.

Values that change per call are given as sentinels when compiling; every other value is
part of the rule and kept."""

from django.db import connections
from django.db.models import QuerySet


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
        rows = fetch(self.using, sql, params)
        if converters:
            return [tuple(r) for r in compiler.apply_converters(rows, converters)]
        return rows


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
