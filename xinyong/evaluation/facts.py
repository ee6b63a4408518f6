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


def _record_facts() -> list[tuple[str, str, bool]]:
    """(fact, condition on a record row, whether its ids are kept). Dates are bound as
    %(y1)s (a year before the evaluation day), %(y3)s and %(today)s."""
    serious = f"COALESCE({_json('CF_YZCD')}, '') = '严重'"  # absent: 一般 (the item's rule)
    summary = f"COALESCE({_json('CF_CXLX')}, '') = '简易程序'"
    pen = f"r.item_code = '{PENALTY}' AND o.record_id IS NULL AND rp.record_id IS NULL"
    recent, window = "r.decision_date >= %(y1)s", "r.decision_date >= %(y3)s"
    older = "r.decision_date < %(y1)s AND r.decision_date >= %(y3)s"
    valid = "(r.valid_to IS NULL OR r.valid_to >= %(today)s)"
    honours = ", ".join(f"'{i}'" for i in HONOURS)
    return [
        ("pen_s1", f"{pen} AND {serious} AND {recent}", True),
        ("pen_s3", f"{pen} AND {serious} AND {older}", True),
        ("pen_g1", f"{pen} AND NOT {serious} AND NOT {summary} AND {recent}", True),
        ("pen_g3", f"{pen} AND NOT {serious} AND NOT {summary} AND {older}", True),
        ("pen_summary", f"{pen} AND {summary} AND NOT {serious} AND {recent}", True),
        ("doubt", f"o.record_id IS NOT NULL AND {window}", True),
        ("repaired", f"rp.record_id IS NOT NULL AND {window}", True),
        ("enf_1", f"r.item_code = '{ENFORCEMENT}' AND o.record_id IS NULL AND {recent}", True),
        ("enf_3", f"r.item_code = '{ENFORCEMENT}' AND o.record_id IS NULL AND {older}", True),
        ("court_rec", f"r.item_code = '{COURT}' AND o.record_id IS NULL AND {valid}", True),
        (
            "breach",
            f"r.item_code = '{BREACH}' AND o.record_id IS NULL AND rp.record_id IS NULL "
            f"AND {window}",
            True,
        ),
        (
            "kept",
            f"r.item_code = '{PERFORMANCE}' AND {_json('CN_LXZT')} = '已履约' AND {window}",
            True,
        ),
        ("honour", f"r.item_code IN ({honours}) AND {window}", True),
        ("licence", f"r.item_code = '{LICENCE}' AND {valid}", True),
        ("declared", f"r.item_code = '{DECLARATION}' AND {window}", True),
    ]


def _agg_count(cond: str) -> str:
    return f"count(*) FILTER (WHERE {cond})"


def _agg_ids(cond: str) -> str:
    if connection.vendor == "postgresql":
        return f"(array_agg(r.id) FILTER (WHERE {cond}))[1:{ID_CAP}]"
    return f"json_group_array(r.id) FILTER (WHERE {cond})"


def _agg_sector() -> str:
    """The sector grades in force: 'domain|grade|date|id' strings (few per subject)."""
    cond = f"r.item_code = '{SECTOR}' AND (r.valid_to IS NULL OR r.valid_to >= %(today)s)"
    if connection.vendor == "postgresql":
        text = (f"concat_ws('|', {_json('PJ_LY')}, {_json('PJ_DJ')}, r.decision_date::text, "
                "r.id::text)")  # fmt: skip
        return f"array_agg({text}) FILTER (WHERE {cond})"
    text = f"{_json('PJ_LY')} || '|' || {_json('PJ_DJ')} || '|' || r.decision_date || '|' || r.id"
    return f"json_group_array({text}) FILTER (WHERE {cond})"


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
    for name, _cond, ids in _record_facts():
        cols.append(name)
        if ids:
            cols.append(f"{name}_ids")
    cols.append("sector")
    cols += [f"l_{c}" for c in LISTS] + ["l_doubt", "entry_ids"]
    cols.append("upheld")
    return cols


def facts_sql(todo: str | None = None) -> str:
    """The query. ``todo``: a table of subject ids (column ``subject_id``) to limit it to —
    an incremental run's changed subjects; None for every organisation."""
    rec_cols = []
    for name, cond, ids in _record_facts():
        rec_cols.append(f"{_agg_count(cond)} AS {name}")
        if ids:
            rec_cols.append(f"{_agg_ids(cond)} AS {name}_ids")
    rec_cols.append(f"{_agg_sector()} AS sector")
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
        f"LEFT JOIN (SELECT r.subject_id, {', '.join(rec_cols)} FROM records_record r "
        "LEFT JOIN (SELECT DISTINCT record_id FROM remedies_objection "
        "WHERE status IN ('marked', 'forwarded') AND record_id IS NOT NULL) o "
        "ON o.record_id = r.id "
        "LEFT JOIN (SELECT DISTINCT ar.record_id FROM remedies_repairapplication_records ar "
        "JOIN remedies_repairapplication a ON a.id = ar.repairapplication_id "
        "WHERE a.status = 'approved') rp ON rp.record_id = r.id "
        f"WHERE r.status = 'active' AND (r.item_code IN ({items}) "
        "AND r.decision_date >= %(y3)s "
        f"OR r.item_code IN ('{LICENCE}', '{COURT}', '{SECTOR}')){scope('r.subject_id')} "
        "GROUP BY r.subject_id) rf ON rf.subject_id = s.id "
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
        cur.execute(facts_sql(todo), bounds(as_of))
        while rows := cur.fetchmany(chunk):
            for row in rows:
                yield row[0], _facts(row, names, as_of)


def _facts(row, names, as_of: datetime.date) -> dict:
    facts: dict = {}
    established, status = row[1], row[2]
    if isinstance(established, str):
        established = datetime.date.fromisoformat(established)
    if established is not None:
        facts["age"] = min(relativedelta(as_of, established).years, AGE_CAP)
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
            vals = orjson.loads(v) if isinstance(v, str) else v
            if vals:
                facts[name] = sorted(vals)
        else:
            facts[name] = v
    return facts
