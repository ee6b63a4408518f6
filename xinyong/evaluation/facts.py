"""The facts an evaluation rests on, read set-based: one query over the subjects with their
records and list entries aggregated per subject (counts by recency, the ids behind them),
streamed in subject order. Indicators never touch the database; they read these facts.

What does not count against a subject is decided here, once, for every indicator:
records withdrawn or past retention (only active ones are read), records and entries under
objection (suspended until decided: counted apart, as ``doubt``), and records whose credit
repair was approved (counted apart, as ``repaired``)."""

import datetime
from collections.abc import Iterator

import orjson
from dateutil.relativedelta import relativedelta
from django.db import connection

WORK_MEM = "256MB"  # for the facts query only (reset after it)
ID_CAP = 20  # evidence ids kept per fact: the most a reader needs to follow a reason

# Recency windows every indicator counts in (years before the evaluation day).
RECENT, WINDOW = 1, 3
AGE_CAP = 10  # years of existence beyond which age no longer matters

PENALTY, ENFORCEMENT = "administrative_penalty", "administrative_enforcement"
COURT, BREACH = "court_dishonest_debtor", "commitment_breach"
PERFORMANCE = "commitment_performance"
HONOURS = ("honor", "administrative_reward")
LICENCE, DECLARATION, SECTOR = (
    "administrative_licence",
    "self_declaration",
    "credit_evaluation_result",
)
ITEMS = (PENALTY, ENFORCEMENT, COURT, BREACH, PERFORMANCE, *HONOURS, LICENCE, DECLARATION, SECTOR)
LISTS = ("serious_dishonesty", "market_ban", "watch", "abnormal_operations",
         "court_dishonest_debtor", "honor")  # fmt: skip


def _json(field: str) -> str:
    if connection.vendor == "postgresql":
        return f"r.data->>'{field}'"
    return f"json_extract(r.data, '$.{field}')"


def _buckets() -> list[tuple[str, str]]:
    """(fact, condition) in order: a record falls in the first bucket whose condition it
    meets (under objection before everything, repaired before its item), or in none.
    Dates are bound as %(y1)s (a year before the evaluation day), %(y3)s and %(today)s."""
    serious = f"COALESCE({_json('CF_YZCD')}, '') = '严重'"  # absent: 一般 (the item's rule)
    summary = f"COALESCE({_json('CF_CXLX')}, '') = '简易程序'"
    pen = f"r.item_code = '{PENALTY}'"
    recent, window = "r.decision_date >= %(y1)s", "r.decision_date >= %(y3)s"
    valid = "(r.valid_to IS NULL OR r.valid_to >= %(today)s)"
    honours = ", ".join(f"'{i}'" for i in HONOURS)
    return [
        ("doubt", "o.record_id IS NOT NULL"),
        ("repaired", "rp.record_id IS NOT NULL"),
        ("pen_s1", f"{pen} AND {serious} AND {recent}"),
        ("pen_s3", f"{pen} AND {serious} AND {window}"),
        ("pen_summary", f"{pen} AND {summary} AND {recent}"),
        ("pen_g1", f"{pen} AND NOT {summary} AND {recent}"),
        ("pen_g3", f"{pen} AND NOT {summary} AND {window}"),
        ("enf_1", f"r.item_code = '{ENFORCEMENT}' AND {recent}"),
        ("enf_3", f"r.item_code = '{ENFORCEMENT}' AND {window}"),
        ("court_rec", f"r.item_code = '{COURT}' AND {valid}"),
        ("breach", f"r.item_code = '{BREACH}' AND {window}"),
        ("kept", f"r.item_code = '{PERFORMANCE}' AND {_json('CN_LXZT')} = '已履约' AND {window}"),
        ("honour", f"r.item_code IN ({honours}) AND {window}"),
        ("licence", f"r.item_code = '{LICENCE}' AND {valid}"),
        ("declared", f"r.item_code = '{DECLARATION}' AND {window}"),
        ("sector", f"r.item_code = '{SECTOR}' AND {valid}"),
    ]


def _bucket_case() -> str:
    whens = " ".join(f"WHEN {cond} THEN '{name}'" for name, cond in _buckets())
    return f"CASE {whens} END"


def _sector_text() -> str:
    """A sector grade in force as 'domain|grade|date|id' (few per subject)."""
    if connection.vendor == "postgresql":
        return (f"concat_ws('|', {_json('PJ_LY')}, {_json('PJ_DJ')}, r.decision_date::text, "
                "r.id::text)")  # fmt: skip
    return f"{_json('PJ_LY')} || '|' || {_json('PJ_DJ')} || '|' || r.decision_date || '|' || r.id"


# Keeps PostgreSQL from pulling the bucketing subquery up into the aggregate: then the
# sort before grouping carries (id, subject, bucket, sector text), not whole records with
# their JSON (measured: 5.9 million rows of ~530 bytes spilled to disk; 35 → 79 s).
def _fence() -> str:
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


def _agg_count(bucket: str) -> str:
    return f"count(*) FILTER (WHERE b.b = '{bucket}')"


def _agg(bucket: str, column: str = "b.id", cap: bool = True) -> str:
    if connection.vendor == "postgresql":
        arr = f"array_agg({column}) FILTER (WHERE b.b = '{bucket}')"
        return f"({arr})[1:{ID_CAP}]" if cap else arr
    return f"json_group_array({column}) FILTER (WHERE b.b = '{bucket}')"


def _entry_aggs() -> list[str]:
    out = []
    for code in LISTS:
        cond = f"lt.code = '{code}' AND NOT e.under_objection"
        out.append(f"count(*) FILTER (WHERE {cond}) AS l_{code}")
    out.append("count(*) FILTER (WHERE e.under_objection) AS l_doubt")
    if connection.vendor == "postgresql":
        out.append(f"(array_agg(e.id ORDER BY e.id))[1:{ID_CAP}] AS entry_ids")
    else:
        out.append("json_group_array(e.id) AS entry_ids")
    return out


def _columns() -> list[str]:
    """The fact names, in the order the query returns them after (id, established_on,
    status)."""
    cols = []
    for name, _cond in _buckets():
        cols += [name, f"{name}_ids"] if name != "sector" else ["sector"]
    cols += [f"l_{c}" for c in LISTS] + ["l_doubt", "entry_ids"]
    cols.append("upheld")
    return cols


def facts_sql(todo: str | None = None) -> str:
    """The query. ``todo``: a table of subject ids (column ``subject_id``) to limit it to —
    an incremental run's changed subjects; None for every organisation."""
    rec_cols = []
    for name, _cond in _buckets():
        if name == "sector":
            rec_cols.append(f"{_agg('sector', 'b.t', cap=False)} AS sector")
        else:
            rec_cols += [f"{_agg_count(name)} AS {name}", f"{_agg(name)} AS {name}_ids"]
    items = ", ".join(f"'{i}'" for i in ITEMS)
    lists = ", ".join(f"'{c}'" for c in LISTS)

    def scope(col: str) -> str:
        return f" AND {col} IN (SELECT subject_id FROM {todo})" if todo else ""  # noqa: S608

    names = _columns()
    rec_names = names[: names.index("sector") + 1]
    ent_names = names[names.index("sector") + 1 : names.index("upheld")]
    return (
        f"SELECT s.id, s.established_on, s.status, {', '.join('rf.' + n for n in rec_names)}, "  # noqa: S608
        f"{', '.join('ef.' + n for n in ent_names)}, ob.upheld "
        "FROM subjects_subject s "
        f"LEFT JOIN (SELECT b.subject_id, {', '.join(rec_cols)} FROM "
        f"(SELECT r.id, r.subject_id, {_bucket_case()} AS b, "
        f"CASE WHEN r.item_code = '{SECTOR}' THEN {_sector_text()} END AS t "
        "FROM records_record r "
        "LEFT JOIN (SELECT DISTINCT record_id FROM remedies_objection "
        "WHERE status IN ('marked', 'forwarded') AND record_id IS NOT NULL) o "
        "ON o.record_id = r.id "
        "LEFT JOIN (SELECT DISTINCT ar.record_id FROM remedies_repairapplication_records ar "
        "JOIN remedies_repairapplication a ON a.id = ar.repairapplication_id "
        "WHERE a.status = 'approved') rp ON rp.record_id = r.id "
        # the items read, first (a subject's records of these items are found on the
        # (subject, item) index without fetching its other records), then their window
        f"WHERE r.status = 'active' AND r.item_code IN ({items}) AND (r.decision_date >= "
        f"%(y3)s OR r.item_code IN ('{LICENCE}', '{COURT}', '{SECTOR}')){scope('r.subject_id')}"
        f"{_fence()}) b "
        "WHERE b.b IS NOT NULL GROUP BY b.subject_id) rf ON rf.subject_id = s.id "
        f"LEFT JOIN (SELECT e.subject_id, {', '.join(_entry_aggs())} FROM lists_listentry e "
        "JOIN lists_listtype lt ON lt.id = e.list_type_id "
        "WHERE e.status = 'published' AND (e.term_end IS NULL OR e.term_end >= %(today)s) "
        f"AND lt.code IN ({lists}){scope('e.subject_id')} GROUP BY e.subject_id) ef "
        "ON ef.subject_id = s.id "
        "LEFT JOIN (SELECT subject_id, count(*) AS upheld FROM remedies_objection "
        "WHERE decision IN ('corrected', 'revoked') AND decided_at >= %(y3)s "
        f"{scope('subject_id')} GROUP BY subject_id) ob ON ob.subject_id = s.id "
        f"WHERE s.kind <> 'person'{scope('s.id')} ORDER BY s.id"
    )


def _ids(v) -> list[int]:
    if v is None:
        return []
    if isinstance(v, str):  # SQLite: a JSON array, uncapped
        v = orjson.loads(v)
    return sorted(v)[:ID_CAP]


def bounds(as_of: datetime.date) -> dict:
    """The query's dates for an evaluation day."""
    return {"today": as_of, "y1": as_of - relativedelta(years=RECENT),
            "y3": as_of - relativedelta(years=WINDOW)}  # fmt: skip


def facts_rows(as_of: datetime.date, todo: str | None = None, *, chunk: int = 5000
               ) -> Iterator[tuple[int, dict]]:  # fmt: skip
    """(subject id, facts) for every subject in scope, in id order; a fact that is zero or
    empty is left out (a clean subject's facts are almost empty)."""
    names = _columns()
    with connection.chunked_cursor() as cur:
        if connection.vendor == "postgresql":  # sort and group a city's records in memory
            with connection.cursor() as setting:
                setting.execute(f"SET work_mem = '{WORK_MEM}'")
        try:
            cur.execute(facts_sql(todo), bounds(as_of))
        finally:
            if connection.vendor == "postgresql":
                with connection.cursor() as setting:
                    setting.execute("RESET work_mem")
        while rows := cur.fetchmany(chunk):
            for row in rows:
                yield row[0], facts_of(row, names, as_of)


def facts_of(row, names: list[str], as_of: datetime.date) -> dict:
    """A subject's facts from its row of the query — (id, established on, status, then the
    columns ``names``, as :func:`_columns`) — whichever engine computed it."""
    facts: dict = {}
    established, status = row[1], row[2]
    if isinstance(established, str):
        established = datetime.date.fromisoformat(established)
    if established is not None:
        before = (as_of.month, as_of.day) < (established.month, established.day)
        years = as_of.year - established.year - before
        facts["age"] = max(0, min(years, AGE_CAP))
    if status != "active":
        facts["status"] = status
    for name, v in zip(names, row[3:], strict=True):
        if not v:
            continue
        if name.endswith("_ids"):
            ids = _ids(v)
            if ids:
                facts[name] = ids
        elif name == "sector":
            _sector(facts, orjson.loads(v) if isinstance(v, str) else v)
        else:
            facts[name] = v
    return facts


def _sector(facts: dict, items: list[str]) -> None:
    """The latest grade per domain (by date, then id) as 'domain|grade', and their ids."""
    latest: dict[str, tuple] = {}
    for item in items:
        domain, grade, day, rid = item.split("|")
        if domain not in latest or (day, int(rid)) > latest[domain][1:]:
            latest[domain] = (grade, day, int(rid))
    if latest:
        facts["sector"] = [f"{d}|{latest[d][0]}" for d in sorted(latest)]
        facts["sector_ids"] = sorted(v[2] for v in latest.values())
