"""Chinese name search on SQLite and PostgreSQL behind one interface.

Both databases index the *character bigrams* of each name: a 2-character query such as
科技 is one index lookup, a longer query is the intersection of its bigrams, and the
candidates are confirmed by an exact substring test. PostgreSQL keeps them in a GIN
expression index over ``xy_bigrams(name)``; SQLite in an FTS5 table (``unicode61`` treats
each space-separated bigram as a token), maintained by triggers that call the same Python
function registered on every connection.
"""

from django.db import connection
from django.db.backends.signals import connection_created

MIN_QUERY_LENGTH = 2


def bigrams(text: str) -> list[str]:
    """Distinct character bigrams, in order of first appearance."""
    seen: dict[str, None] = {}
    for i in range(len(text) - 1):
        pair = text[i : i + 2]
        if not pair.isspace():
            seen.setdefault(pair, None)
    return list(seen)


def _sqlite_bigrams(text: str | None) -> str:
    # Bigrams with a quote or whitespace would split or break FTS tokens; the
    # substring check still confirms every hit, so dropping them loses nothing.
    return " ".join(b for b in bigrams(text or "") if b.isalnum())


def _on_connect(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("xy_bigrams", 1, _sqlite_bigrams, deterministic=True)


def register_sqlite_functions() -> None:
    connection_created.connect(_on_connect, dispatch_uid="xinyong_sqlite_bigrams")


SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE subjects_name_fts USING fts5(bigrams, content='', "
    "tokenize='unicode61 remove_diacritics 0', detail='none')",
    "CREATE TRIGGER subjects_name_fts_ai AFTER INSERT ON subjects_subject BEGIN "
    "INSERT INTO subjects_name_fts(rowid, bigrams) VALUES (new.id, xy_bigrams(new.name)); END",
    "CREATE TRIGGER subjects_name_fts_ad AFTER DELETE ON subjects_subject BEGIN "
    "INSERT INTO subjects_name_fts(subjects_name_fts, rowid, bigrams) "
    "VALUES ('delete', old.id, xy_bigrams(old.name)); END",
    "CREATE TRIGGER subjects_name_fts_au AFTER UPDATE OF name ON subjects_subject BEGIN "
    "INSERT INTO subjects_name_fts(subjects_name_fts, rowid, bigrams) "
    "VALUES ('delete', old.id, xy_bigrams(old.name)); "
    "INSERT INTO subjects_name_fts(rowid, bigrams) VALUES (new.id, xy_bigrams(new.name)); END",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS subjects_name_fts_au",
    "DROP TRIGGER IF EXISTS subjects_name_fts_ad",
    "DROP TRIGGER IF EXISTS subjects_name_fts_ai",
    "DROP TABLE IF EXISTS subjects_name_fts",
]
POSTGRES_SETUP = [
    "CREATE OR REPLACE FUNCTION xy_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE "
    "PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') "
    "FROM generate_series(1, char_length(t) - 1) AS i $$",
    "CREATE INDEX subjects_name_bigrams ON subjects_subject USING gin (xy_bigrams(name))",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS subjects_name_bigrams",
    "DROP FUNCTION IF EXISTS xy_bigrams(text)",
]


def name_search_ids(query: str, *, kinds: list[str], limit: int, offset: int = 0) -> list[int]:
    """Ids of subjects of the given kinds whose name contains ``query``: on the first page
    subjects named exactly ``query`` first, then the others by id (stable pages).
    ``query`` must have at least 2 characters."""
    if len(query) < MIN_QUERY_LENGTH:
        raise ValueError("query too short")
    kind_marks = ",".join(["%s"] * len(kinds))
    ids: list[int] = []
    with connection.cursor() as cur:
        if offset == 0:
            cur.execute(
                f"SELECT id FROM subjects_subject WHERE name = %s AND kind IN ({kind_marks}) "
                "ORDER BY id LIMIT %s",
                [query, *kinds, limit],
            )
            ids = [row[0] for row in cur.fetchall()]
        else:
            offset -= _exact_count(cur, query, kinds, kind_marks)
        params = [query, *kinds, query, limit - len(ids), max(offset, 0)]
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT id FROM subjects_subject WHERE xy_bigrams(name) @> xy_bigrams(%s) "
                f"AND strpos(name, %s) > 0 AND kind IN ({kind_marks}) AND name <> %s "
                "ORDER BY id LIMIT %s OFFSET %s",
                [query, *params],
            )
        else:
            terms = [b for b in bigrams(query) if b.isalnum()]
            if terms:
                match = " AND ".join(f'"{t}"' for t in terms)
                cur.execute(
                    "SELECT s.id FROM subjects_name_fts f JOIN subjects_subject s "
                    "ON s.id = f.rowid WHERE subjects_name_fts MATCH %s "
                    f"AND instr(s.name, %s) > 0 AND s.kind IN ({kind_marks}) AND s.name <> %s "
                    "ORDER BY s.id LIMIT %s OFFSET %s",
                    [match, *params],
                )
            else:  # punctuation-only query: no index can help, scan
                cur.execute(
                    "SELECT id FROM subjects_subject WHERE instr(name, %s) > 0 "
                    f"AND kind IN ({kind_marks}) AND name <> %s ORDER BY id LIMIT %s OFFSET %s",
                    params,
                )
        return ids + [row[0] for row in cur.fetchall()]


def _exact_count(cur, query: str, kinds: list[str], kind_marks: str) -> int:
    cur.execute(
        f"SELECT count(*) FROM subjects_subject WHERE name = %s AND kind IN ({kind_marks})",
        [query, *kinds],
    )
    return cur.fetchone()[0]
