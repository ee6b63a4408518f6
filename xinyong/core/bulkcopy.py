"""Writing many rows at once on either database: PostgreSQL ``COPY`` (text format, built here
~10x faster than through adapters), SQLite ``executemany``. Used by every bulk path."""

from django.db import connection

_COPY_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(v) -> str:
    if v.__class__ is str:
        if "\\" in v or "\t" in v or "\n" in v or "\r" in v:
            return v.translate(_COPY_ESCAPE)
        return v
    if v is None:
        return "\\N"
    if v.__class__ is list:  # int[]: integers need no quoting
        return "{" + ",".join(map(str, v)) + "}"
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def copy_line(row: tuple) -> str:
    """One row in PostgreSQL COPY text format."""
    return "\t".join(map(_copy_value, row)) + "\n"


def copy_text(rows: list[tuple]) -> str:
    """Rows in PostgreSQL COPY text format; may be built ahead, in another thread."""
    return "".join(map(copy_line, rows))


def insert_rows(
    cur, table: str, columns: tuple[str, ...], rows: list[tuple], *, text: str | None = None
) -> None:
    """Append ``rows`` to ``table`` in the caller's transaction (PostgreSQL: ``text`` is
    their :func:`copy_text` when already built)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(text if text is not None else copy_text(rows))
    else:
        marks = ", ".join(["%s"] * len(columns))
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
