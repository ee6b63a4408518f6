"""The statistics benchmark's database (issue #17 item 7; not part of the test suite): a city
of 1,000,000 subjects with two years of everything the dashboards and the scorecards count,
so that every chart is timed on tables of a city's size and not on empty ones.

What a city of a million subjects plausibly holds after two years (scaled by ``--scale``):

  ============================  ============  ==============================================
  table                          rows          shape
  ============================  ============  ==============================================
  records                        10,000,000   bench/report_data.py's items and providers,
                                              stored over 730 days, on organisations with a
                                              long tail (a few busy companies)
  publications                   ~4,140,000   the licences and penalties among them: 2 %
                                              pending, 10 % published late, 5 % not published
  list entries                     300,000    six lists, every status, opened over 2 years
  credit checks                  6,000,000    8,200 a day from 13 departments; 10 % hit a
                                              list (three measures each, 1 in 50 suspended)
  check feedback                   ~700,000   65 % of the measures a department implements
  joint actions / tasks          50,000 / 150,000   a fifth of the tasks still pending
  batches                           30,000    finished, 1 % of their rows refused
  objections / repairs         20,000 / 60,000   85 % / 90 % decided, some after the due date
  commitments                    1,000,000    every template, signed over 2 years, kept,
                                              breached, in force, due and unchecked
  inspection plans / tasks       240 / 96,000   ten plans a month, 400 tasks each
  grades                         1,000,000    the product's own full evaluation run
  ============================  ============  ==============================================

Subjects come from the demo city's loader (``bench/report_data.py``'s subjects phase, run
first when the database has none); everything else is one set-based
``INSERT … SELECT`` per table, seeded (``setseed``) so two builds hold the same figures,
except the grades, which the evaluation engine computes (``run_request`` + ``run_execute``).
These rows bypass the services on purpose: they are counted, never acted on. Rows go in in
time order, as a platform writes them (the check log, publications, entries and commitments:
their physical order follows their time, which the period queries' index scans rely on).
``VACUUM ANALYZE`` at the end (production's autovacuum does the same). Each phase records in
``bench_grown`` how far its rows go, in the transaction that inserts them: a stopped build
resumes where it stopped, and a build at a larger ``--scale`` and ``--subjects`` adds only the
difference, so that one database grows through the scales of ``bench/scale_bench.py``
(issue #19 item 5). The grades are computed once (a later full evaluation run replaces them).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/stats_data.py [--scale 1.0] [--subjects 1000000] \\
      [--only records,checks,…] [--jobs 2] [--bulk]
then ``bench/stats_bench.py`` against the same database. ``--jobs`` shares the records
phase among processes; ``--bulk`` loads the big tables with their secondary indexes set
aside and builds them once after (for the large scales of issue #19 item 5).
"""

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DAYS = 730
JOBS = 1  # processes of the records phase (--jobs)
# Departments that check before they act, weighted by how often (ids resolved by code).
CHECKERS = ["SCJG"] * 4 + ["ZJ"] * 2 + ["SW"] * 2 + ["HB", "YJ", "RS", "CZ", "GGZY", "BB", "MZ",
                                                     "NY", "RMYH", "GJJ"]  # fmt: skip
HIT_MEASURES = ["restrict_honors", "raise_inspection", "restrict_bidding"]
TASK_DEPARTMENTS = ["CZ", "GGZY", "SW"]
# The g-th row's department: the eleven administrative departments in turn.
DEPT = (
    "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM accounts_department "
    "WHERE kind = 'administrative') d ON d.k = g % 11 "
)


def _moment(alias: str, extra: str = "") -> str:
    """The g-th row's moment (``at``: any time in the last two years), with ``extra``
    columns drawn per row, as the lateral table ``alias``."""
    return (
        f"CROSS JOIN LATERAL (SELECT now() - random() * interval '{DAYS} days' + g * "
        f"interval '0 s' AS at{extra}) {alias} "
    )


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def _ids(codes: list[str]) -> str:
    """A SQL array literal of the department ids of ``codes`` (repeats kept: weights)."""
    from xinyong.accounts.models import Department

    ids = dict(Department.objects.values_list("code", "pk"))
    return "ARRAY[" + ",".join(str(ids[c]) for c in codes) + "]::bigint[]"


def _run(sql: str, part: str | None = None, upto: int = 0) -> int:
    """Run one INSERT (seeded); with ``part``, record in the same transaction that the
    rows of ``part`` now go up to ``upto`` (what the next, larger build starts after)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT setseed(0.2026)")
        cur.execute(sql)
        n = cur.rowcount
        if part:
            cur.execute(
                "INSERT INTO bench_grown (part, upto) VALUES (%s, %s) ON CONFLICT (part) "
                "DO UPDATE SET upto = EXCLUDED.upto",
                [part, upto],
            )
        return n


def _span(part: str, target: int) -> tuple[int, int]:
    """The numbers ``lo``..``hi`` of the rows of ``part`` still to insert for ``target``:
    a build at a larger ``--scale`` (or ``--subjects``) adds only the difference, so one
    database grows from 1M to 5M to 10M subjects (issue #19 item 5)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_grown (part text PRIMARY KEY, upto bigint)")
        cur.execute("SELECT upto FROM bench_grown WHERE part = %s", [part])
        row = cur.fetchone()
    return (row[0] if row else 0) + 1, target


# The tables whose secondary indexes --bulk sets aside while a phase loads them.
BULK_TABLES = {
    "records": "records_record",
    "publications": "disclosure_publication",
    "checks": "sanctions_creditcheck",
}
BULK = False  # --bulk


@contextlib.contextmanager
def _indexes_aside(phase: str):
    """With ``--bulk``: the phase's table loaded without its secondary indexes, which are
    then built again once from their definitions (as a restore builds them) and their
    partitions' copies named as the product names them. Each new row otherwise lands on a
    random leaf page of every index keyed by subject (bench/RESULTS.md, issue #19 item 5):
    at 5M records a row-by-row load ran ~7,000 rows/s. The primary key and the unique
    constraints stay, so the load still refuses a duplicate."""
    table = BULK_TABLES.get(phase)
    if not BULK or table is None:
        yield
        return
    from django.db import connection

    from xinyong.core.partitions import is_partitioned, name_partition_indexes

    with connection.cursor() as cur:
        cur.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)",
            [table],
        )
        aside = cur.fetchall()
        for name, _sql in aside:
            cur.execute(f'DROP INDEX "{name}"')
    log(f"  {table}: {len(aside)} indexes set aside")
    try:
        yield
    finally:
        t = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '2GB'")
            for _name, sql in aside:
                cur.execute(sql.replace(" ON ONLY ", " ON "))  # every partition's copy too
            if is_partitioned(cur, table):
                name_partition_indexes(cur, table)
        log(f"  {table}: {len(aside)} indexes built again in {time.perf_counter() - t:.0f} s")


def _max(sql: str) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0] or 0


def _has(table: str) -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        return cur.fetchone()[0]


def _orgs() -> None:
    """A temporary table of the organisations numbered 1…n (``rn``) for picking by rank:
    rank ``1 + floor(n·random()³)`` gives the long tail."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS orgs AS SELECT row_number() OVER (ORDER BY id) "
            "AS rn, id FROM subjects_subject WHERE kind <> 'person'"
        )
        cur.execute("CREATE UNIQUE INDEX IF NOT EXISTS orgs_rn ON orgs (rn)")
        cur.execute("ANALYZE orgs")


# -- phases ---------------------------------------------------------------------------------
def phase_records(scale: float) -> dict:
    """The records of report_data's SPEC, one INSERT per item and provider; with ``--jobs``
    above 1, the items shared among that many processes (each its own connection)."""
    from report_data import SPEC

    parts = [list(range(len(SPEC)))[j::JOBS] for j in range(JOBS)]
    if JOBS == 1:
        return {"records": _records(parts[0], scale)}
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connection

    connection.close()  # the children open their own
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(JOBS, mp_context=ctx) as pool:
        done = sum(pool.map(_records_job, parts, [scale] * JOBS))
    _orgs()  # a new connection: the next phases' temporary table made again
    return {"records": done}


def _records_job(ks: list[int], scale: float) -> int:
    """One process of the records phase: Django started, its own ``orgs`` (a temporary
    table is its connection's)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    _orgs()
    return _records(ks, scale)


def _records(ks: list[int], scale: float) -> int:
    from report_data import SPEC

    from xinyong.accounts.models import Department

    ids = dict(Department.objects.values_list("code", "pk"))
    n_orgs = "(SELECT count(*) FROM orgs)"
    total = 0
    for k in ks:
        item, provider, n, skew = SPEC[k]
        rank = {
            "tail": "1 + floor(random()^3 * o.n)::bigint",
            "flat": "1 + floor(random() * o.n)::bigint",
            "each": "1 + (g - 1) % o.n",
        }[skew]
        # what the evaluation reads of a record: the penalty's severity, a sector grade
        data = {
            "administrative_penalty": "jsonb_build_object('CF_YZCD', CASE WHEN g % 30 = 0 "
            "THEN '严重' ELSE '一般' END, 'CF_CXLX', CASE WHEN g % 7 = 0 THEN '简易程序' "
            "ELSE '普通程序' END)",
            "credit_evaluation_result": "jsonb_build_object('PJ_LY', '纳税信用', 'PJ_DJ', "
            "(ARRAY['A', 'B', 'B', 'M', 'C'])[1 + g % 5])",
            "commitment_performance": "jsonb_build_object('CN_LXZT', CASE WHEN g % 10 = 0 "
            "THEN '未履约' ELSE '已履约' END)",
        }.get(item, "'{}'::jsonb")
        lo, hi = _span(f"records:{k}", int(n * scale))
        if lo > hi:
            continue
        total += _run(
            "INSERT INTO records_record (channel, received_at, content_hash, item_code, "
            "item_version_id, category, polarity, disclosure, source_id, version, status, data,"
            " decision_date, valid_to, created_at, updated_at, provider_id, subject_id, "
            "withdraw_reason) "
            f"SELECT 'api', t.at, md5('{k}-' || g), i.code, i.current_version_id, i.category, "
            f"i.polarity, i.disclosure, 'S{k}-' || g, 1, 'active', {data}, "
            "(t.at - floor(random() * 8) * interval '1 day')::date, "
            "CASE WHEN i.polarity = 'positive' THEN (t.at + interval '3 years')::date END, "
            f"t.at, t.at, {ids[provider]}, s.id, '' "
            f"FROM generate_series({lo}, {hi}) g "
            f"CROSS JOIN (SELECT {n_orgs} AS n) o "
            f"JOIN catalog_catalogitem i ON i.code = '{item}' "
            + _moment("t", f", {rank} AS rn")
            + "JOIN orgs s ON s.rn = t.rn",
            f"records:{k}",
            hi,
        )
        log(f"  records {item} {provider}: {total:,}")
    return total


def phase_publications(_scale: float) -> dict:
    """The licences and penalties among the records, as the sweep would have left them."""
    after = _max("SELECT max(record_id) FROM disclosure_publication")
    n = _run(
        "INSERT INTO disclosure_publication (record_id, record_version, item_code, provider_id,"
        " decision_date, received_at, deadline, published_at, on_time, penalty_class, "
        "public_until, min_until, status, ended_at) "
        "SELECT r.id, 1, r.item_code, r.provider_id, r.decision_date, r.received_at, "
        "r.decision_date + 9, CASE WHEN x.u >= 0.02 THEN r.received_at + CASE WHEN x.u < 0.12 "
        "THEN interval '15 days' ELSE interval '2 hours' END END, "
        "CASE WHEN x.u >= 0.02 THEN x.u >= 0.12 END, '', r.decision_date + 1095, NULL, "
        "CASE WHEN x.u < 0.02 THEN 'pending' WHEN x.u < 0.07 THEN 'not_published' "
        "WHEN x.u < 0.25 THEN 'ended' ELSE 'public' END, "
        "CASE WHEN x.u >= 0.07 AND x.u < 0.25 THEN now() END "
        "FROM records_record r CROSS JOIN LATERAL (SELECT random() + r.id * 0 AS u) x "
        "WHERE r.item_code IN ('administrative_licence', 'administrative_penalty') "
        f"AND r.id > {after} ORDER BY r.received_at"
    )
    return {"publications": n}


def phase_entries(scale: float) -> dict:
    """List entries over the six lists in every status, opened over two years."""
    lo, hi = _span("entries", int(300_000 * scale))
    n = _run(
        "INSERT INTO lists_listentry (list_type_id, subject_id, department_id, status, "
        "external, national_category, basis_kind, basis_document, grounds, legal_basis, "
        "measures_text, removal_conditions, remedies, act_date, notice_no, statement, "
        "decision_no, decided_on, term_end, permanent, published_at, removed_at, removal_reason, "
        "removal_note, under_objection, opened_by, opened_at, updated_at, statement_adoption, "
        "statement_reply) "
        "SELECT lt.id, s.id, d.id, st.status, false, '', 'penalty', '', '基准数据', '基准数据', "
        "'', '', '', t.at::date, '', '', 'STATS-' || g, t.at::date + 30, t.at::date + 1095, "
        "false, CASE WHEN st.status IN ('published', 'removed') THEN t.at "
        "+ interval '35 days' END, CASE WHEN st.status = 'removed' THEN t.at + interval "
        "'400 days' END, CASE WHEN st.status = 'removed' THEN 'expired' ELSE '' END, '', "
        "g % 50 = 0, 'bench', t.at, t.at, '', '' "
        f"FROM generate_series({lo}, {hi}) g "
        + _moment("t")
        + "JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM lists_listtype) lt "
        "ON lt.k = g % (SELECT count(*) FROM lists_listtype) "
        f"{DEPT} "
        "JOIN (SELECT * FROM unnest(ARRAY['opened','notified','heard','decided','published',"
        "'published','published','published','removed','dropped','removed']) WITH ORDINALITY "
        "AS u(status, k)) st ON st.k = 1 + g % 11 "
        "JOIN orgs s ON s.rn = 1 + (g * 7) % (SELECT count(*) FROM orgs) ORDER BY t.at",
        "entries",
        hi,
    )
    return {"entries": n}


def phase_checks(scale: float) -> dict:
    """Credit checks: 10 % hit (three measures, 1 in 50 with one suspended), 5 % unknown."""
    lo, hi = _span("checks", int(6_000_000 * scale))
    after = _max("SELECT max(id) FROM sanctions_creditcheck")
    measures = json.dumps(HIT_MEASURES)
    n = _run(
        "INSERT INTO sanctions_creditcheck (at, client_id, actor, matter, query, subject_id, "
        "status, hits, result, department_id) "
        "SELECT x.at, NULL, 'bench', 'administrative_licensing', 'Q' || g, s.id, "
        "CASE WHEN x.u < 0.10 THEN 'hit' WHEN x.u < 0.15 THEN 'no_record' ELSE 'clear' END, "
        "CASE WHEN x.u < 0.10 THEN 1 ELSE 0 END, "
        f"CASE WHEN x.u < 0.10 THEN jsonb_build_object('entries', '[1]'::jsonb, 'measures', "
        f"'{measures}'::jsonb, 'suspended', CASE WHEN g % 50 = 0 THEN '[\"restrict_honors\"]'"
        "::jsonb ELSE '[]'::jsonb END) ELSE '{}'::jsonb END, "
        f"({_ids(CHECKERS)})[1 + g % {len(CHECKERS)}] "
        f"FROM generate_series({lo}, {hi}) g "
        + _moment("x", ", random() + g * 0 AS u")
        + "JOIN orgs s ON s.rn = 1 + (g * 13) % (SELECT count(*) FROM orgs) ORDER BY x.at",
        "checks",
        hi,
    )
    fb = _run(
        "INSERT INTO sanctions_checkfeedback (applied, reason, by, at, credit_check_id, "
        "measure_id) "
        "SELECT random() < 0.9, '', 'bench', c.at + interval '3 days', c.id, m.id "
        "FROM sanctions_creditcheck c "
        "CROSS JOIN LATERAL jsonb_array_elements_text(c.result -> 'measures') AS r(code) "
        "JOIN sanctions_measure m ON m.code = r.code "
        "JOIN accounts_department d ON d.id = c.department_id "
        "WHERE c.status = 'hit' AND (m.departments ? '*' OR m.departments ? d.code) "
        f"AND random() < 0.65 AND c.id > {after}"
    )
    return {"checks": n, "feedback": fb}


def phase_actions(scale: float) -> dict:
    """Joint actions on published entries, three tasks each (a fifth still pending)."""
    lo, hi = _span("actions", int(50_000 * scale))
    after = _max("SELECT max(id) FROM sanctions_jointaction")
    n = _run(
        "INSERT INTO sanctions_jointaction (initiated_by, initiated_at, note, department_id, "
        "entry_id) SELECT 'bench', now() - random() * interval '730 days' + g * interval '0 s',"
        f" '', e.department_id, e.id FROM generate_series({lo}, {hi}) g "
        "JOIN (SELECT id, department_id, row_number() OVER "
        "(ORDER BY id) AS rn FROM lists_listentry WHERE status = 'published') e "
        "ON e.rn = g",
        "actions",
        hi,
    )
    tasks = _run(
        "INSERT INTO sanctions_actiontask (status, reason, responded_by, responded_at, "
        "department_id, action_id, measure_id) "
        "SELECT CASE WHEN x.u < 0.2 THEN 'pending' WHEN x.u < 0.9 THEN 'applied' "
        "ELSE 'not_applied' END, '', '', CASE WHEN x.u >= 0.2 THEN a.initiated_at + "
        "interval '5 days' END, d.id, a.id, m.id FROM sanctions_jointaction a "
        f"CROSS JOIN unnest({_ids(TASK_DEPARTMENTS)}) AS d(id) "
        "CROSS JOIN LATERAL (SELECT random() + d.id * 0 AS u) x "
        f"JOIN sanctions_measure m ON m.code = 'restrict_honors' WHERE a.id > {after}"
    )
    return {"actions": n, "tasks": tasks}


def phase_batches(scale: float) -> dict:
    lo, hi = _span("batches", int(30_000 * scale))
    n = _run(
        "INSERT INTO ingest_batch (item_code, channel, status, submitted_by, file_name, "
        "file_format, file_size, file_digest, payload_path, received_at, started_at, "
        "finished_at, total, processed, created, updated, unchanged, withdrawn, rejected, "
        "subjects_created, errors, stats, item_version_id, provider_id, attempts, lease_owner)"
        " SELECT i.code, 'upload', 'done', 'bench', 'b' || g || '.csv', 'csv', 1000, '', '', "
        "t.at, t.at, t.at + interval '1 minute', 300, 300, 297 - g % 4, g % 4, 0, 0, 3, 0, "
        "'[]'::jsonb, '{}'::jsonb, i.current_version_id, d.id, 1, '' "
        f"FROM generate_series({lo}, {hi}) g "
        + _moment("t")
        + "JOIN catalog_catalogitem i ON i.code = 'administrative_penalty' "
        + DEPT,
        "batches",
        hi,
    )
    return {"batches": n}


def phase_remedies(scale: float) -> dict:
    """Objections and repairs: most decided, some after their due dates, some open."""
    _run(
        "INSERT INTO remedies_subjectbinding (status, applicant, phone, evidence_path, "
        "evidence_name, evidence_sha256, requested_at, via, reviewed_by, reason, subject_id, "
        "user_id) SELECT 'approved', 'bench', '', '', '', '', now(), 'bench', '', '', "
        "(SELECT id FROM orgs WHERE rn = 1), (SELECT min(id) FROM accounts_user) "
        "WHERE NOT EXISTS (SELECT 1 FROM remedies_subjectbinding)"
    )
    olo, ohi = _span("objections", int(20_000 * scale))
    rlo, rhi = _span("repairs", int(60_000 * scale))
    common = _moment("t", ", random() + g * 0 AS u, random() * 14 + g * 0 AS took")
    others = f"{DEPT} JOIN orgs s ON s.rn = 1 + (g * 17) % (SELECT count(*) FROM orgs) "
    objections = _run(
        "INSERT INTO remedies_objection (filed_by, reasons, evidence_path, evidence_name, "
        "status, filed_at, mark_due, forward_due, decide_due, marked_at, forwarded_at, "
        "decided_at, decision, decision_reason, decided_by, provider_id, subject_id, record_id) "
        "SELECT 'bench', '基准数据', '', '', CASE WHEN t.u < 0.85 THEN 'decided' "
        "ELSE 'forwarded' END, t.at, t.at::date + 1, t.at::date + 2, t.at::date + 9, t.at, "
        "t.at, CASE WHEN t.u < 0.85 THEN t.at + t.took * interval '1 day' END, "
        "CASE WHEN t.u < 0.85 THEN 'maintained' ELSE '' END, '', '', r.provider_id, "
        f"r.subject_id, r.id FROM generate_series({olo}, {ohi}) g "
        + common
        + "JOIN records_record r ON r.id = (SELECT min(id) FROM records_record) + (g * 499) % "
        "(SELECT count(*) FROM records_record)",
        "objections",
        ohi,
    )
    repairs = _run(
        "INSERT INTO remedies_repairapplication (statement, status, filed_at, decide_due, "
        "decided_at, decided_by, decision_reason, reapply, department_id, subject_id, "
        "binding_id) SELECT '基准数据', CASE WHEN t.u < 0.8 THEN 'approved' WHEN t.u < 0.9 "
        "THEN 'rejected' ELSE 'submitted' END, t.at, t.at::date + 14, "
        "CASE WHEN t.u < 0.9 THEN t.at + t.took * interval '1 day' END, '', '', '', d.id, "
        "s.id, (SELECT min(id) FROM remedies_subjectbinding) "
        f"FROM generate_series({rlo}, {rhi}) g " + common + others,
        "repairs",
        rhi,
    )
    return {"objections": objections, "repairs": repairs}


def phase_commitments(scale: float) -> dict:
    """Commitments of every template, signed over two years; due ones checked or not."""
    lo, hi = _span("commitments", int(1_000_000 * scale))
    n = _run(
        "INSERT INTO commitments_commitment (number, subject_id, matter_id, kind, template_id, "
        "template_version_id, department_id, channel, signatory, reason, public, signed_at, "
        "recorded_by, valid_from, valid_to, scan_path, scan_name, scan_sha256, check_method, "
        "check_due, status, late_consequence, checked_at, checked_by, check_note, breach_kind,"
        " breach_reasons, evidence_path, evidence_name, evidence_sha256, proposed_by, "
        "statement, hearing_outcome, decision_reason, decided_at, decided_by, "
        "bars_every_matter, lifted_reason, updated_at) "
        "SELECT 'CNSTATS' || g, s.id, tp.matter_id, tp.kind, tp.id, tv.id, d.id, 'online', "
        "'经办人', '基准数据', true, t.at, '', t.at::date, t.at::date + 365, '', '', '', "
        "'online', t.at::date + 60, CASE WHEN t.at::date + 60 >= current_date THEN "
        "CASE WHEN t.u < 0.1 THEN 'kept' ELSE 'in_force' END "
        "WHEN t.u < 0.80 THEN 'kept' WHEN t.u < 0.83 THEN 'breached' WHEN t.u < 0.84 THEN "
        "'breach_proposed' WHEN t.u < 0.90 THEN 'ended' ELSE 'in_force' END, '', "
        "CASE WHEN t.u < 0.84 THEN t.at + interval '50 days' END, '', '', '', '', '', '', '',"
        " '', '', '', '', CASE WHEN t.u >= 0.80 AND t.u < 0.83 THEN t.at + interval '70 days'"
        " END, '', false, '', t.at "
        f"FROM generate_series({lo}, {hi}) g "
        + _moment("t", ", random() + g * 0 AS u")
        + "JOIN (SELECT id, matter_id, kind, row_number() OVER (ORDER BY id) - 1 AS k FROM "
        "commitments_commitmenttemplate) tp ON tp.k = g % (SELECT count(*) FROM "
        "commitments_commitmenttemplate) "
        "JOIN LATERAL (SELECT id FROM commitments_templateversion v WHERE v.template_id = tp.id "
        "ORDER BY v.version DESC LIMIT 1) tv ON true "
        f"{DEPT} "
        "JOIN orgs s ON s.rn = 1 + (g * 19) % (SELECT count(*) FROM orgs) ORDER BY t.at",
        "commitments",
        hi,
    )
    return {"commitments": n}


def phase_inspections(scale: float) -> dict:
    """Ten plans a month for two years, 400 tasks each, in every status and outcome."""
    plans = (
        0
        if _has("supervision_inspectionplan")
        else _run(
            "INSERT INTO supervision_inspectionplan (number, name, ratios, "
            "inspectors_per_department, period_start, period_end, status, created_by, created_at,"
            " seed_hash, seed_sealed, seed, candidates_digest, pool_digest, candidate_count, "
            "class_counts, task_count, frozen_at, drawn_at, seed_published_at, department_id) "
            "SELECT 'PLAN-STATS-' || g, '基准检查计划 ' || g, '{}'::jsonb, 2, t.d, t.d + 60, "
            "'drawn', 'bench', t.d, '', '', '', '', '', 400, '{}'::jsonb, 400, t.d, t.d, t.d, d.id "
            "FROM generate_series(1, 240) g "
            "CROSS JOIN LATERAL (SELECT (date_trunc('month', now()) - ((g - 1) / 10) * "
            "interval '1 month')::date + g % 10 AS d) t " + DEPT
        )
    )
    lo, hi = _span("inspection_tasks", max(1, int(400 * scale)))
    tasks = _run(
        "INSERT INTO supervision_inspectiontask (number, klass, status, outcome, findings, "
        "inspected_on, publish_due, recorded_by, published_at, plan_id, subject_id) "
        "SELECT p.number || '-' || k, 'B', CASE WHEN p.period_end < current_date OR x.u < 0.5 "
        "THEN CASE WHEN x.u < 0.9 THEN 'published' ELSE 'completed' END ELSE 'assigned' END, "
        "CASE WHEN p.period_end < current_date OR x.u < 0.5 THEN CASE WHEN x.u < 0.8 THEN "
        "'no_problem' WHEN x.u < 0.9 THEN 'rectified' WHEN x.u < 0.95 THEN 'penalty' "
        "ELSE 'not_found' END ELSE '' END, '', p.period_start + 20, p.period_start + 48, '', "
        "CASE WHEN p.period_end < current_date OR x.u < 0.5 THEN p.period_start + 40 END, "
        "p.id, s.id FROM supervision_inspectionplan p "
        f"CROSS JOIN generate_series({lo}, {hi}) k "
        "CROSS JOIN LATERAL (SELECT random() + k * 0 AS u) x "
        "JOIN orgs s ON s.rn = 1 + (p.id * 400 + k) * 23 % (SELECT count(*) FROM orgs)",
        "inspection_tasks",
        hi,
    )
    return {"plans": plans, "tasks": tasks}


def phase_grades(_scale: float) -> dict:
    """Every subject graded by the product's own evaluation engine (a full run)."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.evaluation import services
    from xinyong.evaluation.engine import run_execute

    if _has("evaluation_subjectgrade"):
        return {"skipped": "grades present"}
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    t = time.perf_counter()
    run = services.run_request(actor=SYSTEM, kind="full")
    run_execute(run.pk)
    return {"evaluation_s": round(time.perf_counter() - t, 1)}


PHASES = {
    "records": phase_records,
    "publications": phase_publications,
    "entries": phase_entries,
    "checks": phase_checks,
    "actions": phase_actions,
    "batches": phase_batches,
    "remedies": phase_remedies,
    "commitments": phase_commitments,
    "inspections": phase_inspections,
    "grades": phase_grades,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--bulk", action="store_true", help="load big tables, then index them")
    ap.add_argument("--jobs", type=int, default=1, help="processes for the records phase")
    ap.add_argument("--only", help="comma-separated phases among " + ",".join(PHASES))
    ap.add_argument("--out", default=str(ROOT / "bench/out/stats_data.json"))
    args = ap.parse_args()
    global JOBS, BULK
    JOBS, BULK = args.jobs, args.bulk
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from report_data import ensure_database, phase_subjects

    from xinyong.demo.city import ensure_reference_data

    assert connection.vendor == "postgresql", "this benchmark targets PostgreSQL"
    ensure_database()
    call_command("migrate", verbosity=0)
    ensure_reference_data()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM subjects_subject")
        if cur.fetchone()[0] < args.subjects:
            log(f"subjects: {phase_subjects(args.subjects)}")
    _orgs()
    out: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "phases": {}}
    chosen = args.only.split(",") if args.only else list(PHASES)
    for name in chosen:
        log(f"phase {name}")
        t = time.perf_counter()
        with _indexes_aside(name):
            result = PHASES[name](args.scale)
        result["phase_s"] = round(time.perf_counter() - t, 1)
        out["phases"][name] = result
        log(f"phase {name}: {result}")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2))
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    out["analyze_s"] = round(time.perf_counter() - t, 1)
    log(json.dumps(out, ensure_ascii=False))
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
