"""Chinese name search on SQLite and PostgreSQL behind one interface.

Both databases index the *character bigrams* of each name: a 2-character query such as
科技 is one index lookup, a longer query the intersection of its bigrams, and candidates
are confirmed by an exact substring test. Bigrams of legal-form boilerplate (有限, 公司,
股份…) are left out of the index: almost every name has them, so they would make the index
large and slow to maintain while selecting nothing; a query made only of them matches so
many names that a scan in id order fills a page at once.

- PostgreSQL: an ``int[]`` column ``name_bigrams`` (each bigram folded into one integer:
  GIN compares integers far faster than collated text) with a GIN index. Bulk loads compute
  it in Python (:func:`bigram_keys`); a trigger computes it for every other insert or
  rename with the same formula (``POSTGRES_SETUP``), and a test holds the two equal.
- SQLite: an FTS5 table whose tokens are the space-separated bigrams (``unicode61``),
  maintained by triggers calling :func:`_sqlite_bigrams`, registered on each connection.
"""

import re
import time

from django.db import connection
from django.db.backends.signals import connection_created

from xinyong.core import cache as page_cache
from xinyong.core import replicas

MIN_QUERY_LENGTH = 2
STOP_BIGRAMS = ("有限", "限公", "公司", "责任", "任公", "股份", "份有", "集团", "团有")
_FOLD = 2147483647  # keys fit a PostgreSQL int; rare collisions only add candidates
# Characters that never belong to an indexed bigram (spaces, brackets, punctuation). An
# explicit set, not "is alphanumeric", so that Python and SQL agree whatever the locale.
SEPARATORS = " \t\r\n\u3000()（）[]【】{}<>《》〈〉,，.。、;；:：'\"“”‘’!！?？·•-—_/\\|&+*#@^~`="


_SEP_SPLIT = re.compile("[" + re.escape(SEPARATORS) + "]+")


def bigrams(text: str) -> list[str]:
    """Distinct indexable bigrams, in order of first appearance."""
    pairs: dict[str, None] = {}
    for seg in _SEP_SPLIT.split(text) if _SEP_SPLIT.search(text) else (text,):
        pairs.update(dict.fromkeys(map(str.__add__, seg, seg[1:])))
    for stop in STOP_BIGRAMS:
        pairs.pop(stop, None)
    return list(pairs)


class _KeyCache(dict):
    """bigram → integer key; the vocabulary of names is small, so keys are computed once."""

    def __missing__(self, pair: str) -> int:
        key = self[pair] = (ord(pair[0]) * 1114112 + ord(pair[1])) % _FOLD
        return key


_KEYS = _KeyCache()


def bigram_keys(text: str) -> list[int]:
    """The PostgreSQL index keys of a name (same formula as the trigger)."""
    return list(map(_KEYS.__getitem__, bigrams(text)))


def _sqlite_bigrams(text: str | None) -> str:
    return " ".join(bigrams(text or ""))


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
    "CREATE INDEX subjects_name_exact ON subjects_subject (name)",
    "CREATE INDEX subjects_kind_id ON subjects_subject (kind, id)",
    # Document frequency of each bigram token, to leave very common ones out of lookups.
    "CREATE VIRTUAL TABLE subjects_name_vocab USING fts5vocab(subjects_name_fts, row)",
]
SQLITE_TEARDOWN = [
    "DROP TABLE IF EXISTS subjects_name_vocab",
    "DROP INDEX IF EXISTS subjects_kind_id",
    "DROP INDEX IF EXISTS subjects_name_exact",
    "DROP TRIGGER IF EXISTS subjects_name_fts_au",
    "DROP TRIGGER IF EXISTS subjects_name_fts_ad",
    "DROP TRIGGER IF EXISTS subjects_name_fts_ai",
    "DROP TABLE IF EXISTS subjects_name_fts",
]
_PG_STOP = ",".join(f"'{b}'" for b in STOP_BIGRAMS)
POSTGRES_SETUP = [
    "ALTER TABLE subjects_subject ADD COLUMN name_bigrams int[]",
    "CREATE FUNCTION xy_bigram_keys(t text) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE "
    "AS $$ SELECT coalesce(array_agg(DISTINCT mod(ascii(substr(t, i, 1))::bigint * 1114112 "
    "+ ascii(substr(t, i + 1, 1)), 2147483647)::int), '{}') "
    "FROM generate_series(1, char_length(t) - 1) AS i "
    f"WHERE char_length(translate(substr(t, i, 2), $s${SEPARATORS}$s$, '')) = 2 "
    f"AND substr(t, i, 2) NOT IN ({_PG_STOP}) $$",
    "CREATE FUNCTION xy_subject_bigrams() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.name_bigrams := xy_bigram_keys(NEW.name); RETURN NEW; END $$",
    # The WHEN conditions are evaluated without calling the function: rows of a bulk load
    # arrive with their keys and cost nothing here.
    "CREATE TRIGGER subjects_subject_bigrams BEFORE INSERT ON subjects_subject FOR EACH ROW "
    "WHEN (NEW.name_bigrams IS NULL) EXECUTE FUNCTION xy_subject_bigrams()",
    "CREATE TRIGGER subjects_subject_bigrams_rename BEFORE UPDATE OF name ON subjects_subject "
    "FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name) EXECUTE FUNCTION xy_subject_bigrams()",
    "CREATE INDEX subjects_name_bigrams ON subjects_subject USING gin (name_bigrams) "
    "WITH (fastupdate = on, gin_pending_list_limit = 16384)",
    "ALTER TABLE subjects_subject ALTER COLUMN name_bigrams SET STATISTICS 1000",
    "CREATE INDEX subjects_name_exact ON subjects_subject USING hash (name)",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS subjects_name_exact",
    "DROP INDEX IF EXISTS subjects_name_bigrams",
    "DROP TRIGGER IF EXISTS subjects_subject_bigrams_rename ON subjects_subject",
    "DROP TRIGGER IF EXISTS subjects_subject_bigrams ON subjects_subject",
    "DROP FUNCTION IF EXISTS xy_subject_bigrams()",
    "DROP FUNCTION IF EXISTS xy_bigram_keys(text)",
    "ALTER TABLE subjects_subject DROP COLUMN IF EXISTS name_bigrams",
]


CANDIDATE_WINDOW = 2000  # names examined per query: 100 pages of 20, then "refine your query"
COMMON_SHARE = 0.05  # a bigram in more than 5% of names narrows little: skip its posting list
_common_cache: dict[str, tuple[float, dict]] = {}


def _common(cur) -> dict:
    """Bigrams found in more than ``COMMON_SHARE`` of names, as PostgreSQL keys or SQLite
    tokens, cached for ten minutes. Leaving them out of the index lookup keeps it from
    reading huge posting lists; the substring check still applies them. Maps each to its
    share of names. PostgreSQL: from the planner's statistics (kept by ANALYZE); SQLite:
    from the FTS vocabulary."""
    vendor = connection.vendor
    cached = _common_cache.get(vendor)
    if cached and time.monotonic() - cached[0] < 600:
        return cached[1]
    if vendor == "postgresql":
        cur.execute(
            "SELECT most_common_elems::text::int[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = 'subjects_subject' AND attname = 'name_bigrams'"
        )
        row = cur.fetchone()
        pairs = zip(row[0], row[1], strict=False) if row and row[0] else []
        found = {k: share for k, share in pairs if share > COMMON_SHARE}
    else:
        cur.execute("SELECT max(id) FROM subjects_subject")
        total = cur.fetchone()[0] or 0
        cur.execute(
            "SELECT term, doc FROM subjects_name_vocab WHERE doc > %s", [total * COMMON_SHARE]
        )
        found = {t: doc / total for t, doc in cur.fetchall()} if total >= 2000 else {}
    _common_cache[vendor] = (time.monotonic(), found)
    return found


def _scanned(query: str) -> bool:
    """Whether ``query`` is found by a scan (every bigram common: 公司, 信安市…): such
    queries are few, asked by many, and cost a scan of a kind's names — their answers are
    cached until a subject changes (:mod:`xinyong.core.cache`)."""
    if connection.vendor != "postgresql":
        return False
    terms = bigrams(query)
    if not terms:  # only boilerplate (公司, 有限公司…)
        return True
    with replicas.cursor() as cur:  # a replica's in a read-only scope
        common = _common(cur)
    return all(common.get(_KEYS[t], 0.0) for t in terms)


def _window(query: str, kinds: list[str]) -> tuple[list[tuple[int, str, bool]], bool]:
    """For a :func:`_scanned` query, the confirmed matches among the candidate window —
    ``(id, kind, named exactly query)`` by id — and whether the window was full: one scan,
    cached until a subject changes, from which every page and the counts per kind are
    cut (a scan costs ~0.3 s at a million names; two per search page before)."""

    def scan():
        kind_marks = ",".join(["%s"] * len(kinds))
        with replicas.cursor() as cur:  # a replica's in a read-only scope
            candidates, params = _candidates(cur, query, kinds)
            cur.execute(
                f"WITH c AS MATERIALIZED ({candidates} LIMIT {CANDIDATE_WINDOW}) "
                "SELECT id, kind, name = %s, (SELECT count(*) FROM c) FROM c "
                f"WHERE strpos(name, %s) > 0 AND kind IN ({kind_marks}) ORDER BY id",
                [*params, query, query, *kinds],
            )
            rows = cur.fetchall()
        return [(i, k, exact) for i, k, exact, _n in rows], bool(rows) and (
            rows[0][3] >= CANDIDATE_WINDOW
        )

    return page_cache.cached(f"search:window:{query}:{','.join(kinds)}", "subjects", scan)


def name_search_ids(query: str, *, kinds: list[str], limit: int, offset: int = 0) -> list[int]:
    """Ids of subjects of the given kinds whose name contains ``query``: on the first page
    subjects named exactly ``query`` first, then the others by id (:func:`_scanned` ones
    cut from their cached :func:`_window`)."""
    if len(query) < MIN_QUERY_LENGTH:
        raise ValueError("query too short")
    if not _scanned(query):
        return _name_search_ids(query, kinds, limit, offset)
    window, _full = _window(query, kinds)
    with replicas.cursor() as cur:  # a replica's in a read-only scope
        exact = _exact_ids(cur, query, kinds)
    others = [i for i, _k, named in window if not named]
    if offset == 0:
        return (exact + others)[:limit]
    start = max(offset - len(exact), 0)
    return others[start : start + limit]


def _exact_ids(cur, query: str, kinds: list[str]) -> list[int]:
    """Subjects named exactly ``query`` (its own hash index; a handful at most), by id:
    every search's first results, wherever its other matches come from."""
    kind_marks = ",".join(["%s"] * len(kinds))
    cur.execute(
        f"SELECT id FROM subjects_subject WHERE name = %s AND kind IN ({kind_marks}) ORDER BY id",
        [query, *kinds],
    )
    return [row[0] for row in cur.fetchall()]


def _name_search_ids(query: str, kinds: list[str], limit: int, offset: int) -> list[int]:
    """:func:`name_search_ids` from the database.

    The index yields at most ``CANDIDATE_WINDOW`` candidates (in storage order, no sort of
    all matches), which are then confirmed and sorted: a common 2-character query costs the
    same as a rare one, and the database planner picks the index or a scan by how common the
    bigrams are.
    """
    kind_marks = ",".join(["%s"] * len(kinds))
    pg = connection.vendor == "postgresql"
    contains = "strpos(name, %s) > 0" if pg else "instr(name, %s) > 0"
    ids: list[int] = []
    with replicas.cursor() as cur:  # a replica's in a read-only scope
        exact = _exact_ids(cur, query, kinds)
        if offset == 0:
            ids = exact[:limit]
        else:
            offset = max(offset - len(exact), 0)
        candidates, params = _candidates(cur, query, kinds)
        materialized = "MATERIALIZED " if pg else ""
        cur.execute(
            f"WITH c AS {materialized}({candidates} LIMIT {CANDIDATE_WINDOW}) "
            f"SELECT id FROM c WHERE {contains} AND kind IN ({kind_marks}) AND name <> %s "
            "ORDER BY id LIMIT %s OFFSET %s",
            [*params, query, *kinds, query, limit - len(ids), offset],
        )
        return ids + [row[0] for row in cur.fetchall()]


def _candidates(cur, query: str, kinds: list[str]) -> tuple[str, list]:
    """The SQL (and its parameters) yielding candidate ``id, name, kind`` rows for
    ``query``: the index lookup of its rare bigrams, or a scan when all are common."""
    pg = connection.vendor == "postgresql"
    contains = "strpos(name, %s) > 0" if pg else "instr(name, %s) > 0"
    terms = bigrams(query)
    if terms:
        common = _common(cur)
        share = {t: common.get(_KEYS[t] if pg else t, 0.0) for t in terms}
        rare = [t for t in terms if not share[t]]
        # All common: PostgreSQL scans (fast, and the window fills at once); SQLite reads
        # the least common token's list, which skips rows of other kinds a scan would read.
        terms = rare or ([] if pg else [min(terms, key=share.__getitem__)])
    if not terms:  # only boilerplate or very common bigrams: a scan fills the window fast
        # One kind after another, through the (kind, id) index on SQLite: such words are
        # legal-form words, found at once among organisations, so they come first.
        order = sorted(kinds, key=lambda k: k != "organization")
        # The outer LIMIT (added below) stops the later kinds' scans once the window is full.
        union = " UNION ALL ".join(
            "SELECT id, name, kind FROM subjects_subject WHERE kind = %s AND " + contains
            for _ in order
        )
        candidates = f"SELECT * FROM ({union}) AS part"
        params = [x for k in order for x in (k, query)]
    elif pg:
        candidates = "SELECT id, name, kind FROM subjects_subject WHERE name_bigrams @> %s::int[]"
        params = [[_KEYS[t] for t in terms]]
    else:
        candidates = (
            "SELECT s.id, s.name, s.kind FROM subjects_name_fts f "
            "JOIN subjects_subject s ON s.id = f.rowid WHERE subjects_name_fts MATCH %s"
        )
        params = [" AND ".join(f'"{t}"' for t in terms)]
    return candidates, params


def name_match_counts(query: str, *, kinds: list[str]) -> tuple[dict[str, int], bool]:
    """How many subjects of each kind the name search finds for ``query``, among the
    ``CANDIDATE_WINDOW`` candidates it examines: one query over the same window as a page
    (never a count over all names); ``capped`` says the window was full, so there may be
    more ("2000+"). ``query`` must have at least 2 characters (:func:`_scanned` ones
    cached)."""
    if len(query) < MIN_QUERY_LENGTH:
        raise ValueError("query too short")
    if _scanned(query):
        window, full = _window(query, kinds)
        counts = {k: 0 for k in kinds}
        for _i, kind, _named in window:
            counts[kind] += 1
        return counts, full
    return _name_match_counts(query, kinds)


def _name_match_counts(query: str, kinds: list[str]) -> tuple[dict[str, int], bool]:
    pg = connection.vendor == "postgresql"
    contains = "strpos(name, %s) > 0" if pg else "instr(name, %s) > 0"
    kind_marks = ",".join(["%s"] * len(kinds))
    with replicas.cursor() as cur:  # a replica's in a read-only scope
        candidates, params = _candidates(cur, query, kinds)
        materialized = "MATERIALIZED " if pg else ""
        cur.execute(
            f"WITH c AS {materialized}({candidates} LIMIT {CANDIDATE_WINDOW}) "
            f"SELECT kind, count(*), (SELECT count(*) FROM c) FROM c WHERE {contains} "
            f"AND kind IN ({kind_marks}) GROUP BY kind",
            [*params, query, *kinds],
        )
        rows = cur.fetchall()
    counts = {k: 0 for k in kinds} | {kind: n for kind, n, _ in rows}
    # The exact-name lookup is not in the window; a name equal to the query always
    # contains it, so it is among the candidates unless the window was full.
    return counts, bool(rows) and rows[0][2] >= CANDIDATE_WINDOW
