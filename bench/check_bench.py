"""Benchmark of issue #5 (not part of the test suite): the credit check served as in
production — granian WSGI, 2 workers, PostgreSQL — with its logging on, under wrk on the
same machine; and a trivial endpoint of the same app (GET /api/v1/health) in the same run,
for the ratio.

Data: the 1,000,000 subjects `bench/subjects_bench.py` / `bench/ingest_bench.py` left in
the bench database, plus 100,000 published list entries across five list types (2 % under
objection) and 100,000 commitments (4,000 breached with their bar in force: the check's
commitment verdict, issue #15), made here set-based. The checks ask for a mix of codes:
30 % listed subjects, 60 % subjects on no list, 10 % valid codes the platform does not
know; matters at random.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench python bench/check_bench.py \
      [--seconds 20] [--connections 8] [--workers 2]
Needs wrk (Debian package `wrk`).
"""

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import serving  # noqa: E402 - bench/serving.py, beside this file

ENTRIES = 100_000
LISTS = ["serious_dishonesty", "watch", "honor", "abnormal_operations", "market_ban"]
MATTERS = ["government_procurement", "public_resource_trading", "fiscal_funds", "honors",
           "administrative_licensing", "inspection"]  # fmt: skip
LUA = """
local bodies = {}
for line in io.lines(os.getenv("XY_BODIES")) do bodies[#bodies + 1] = line end
local headers = {["Content-Type"] = "application/json",
                 ["Authorization"] = "Bearer " .. os.getenv("XY_TOKEN")}
math.randomseed(7)
request = function()
  return wrk.format(os.getenv("XY_METHOD"), os.getenv("XY_PATH"), headers,
                    os.getenv("XY_METHOD") == "POST" and bodies[math.random(#bodies)] or nil)
end
"""


def entries_insert(cur, department_id: int, n: int) -> int:
    """``n`` published entries over ``LISTS`` (every 50th under objection), decision numbers
    ``BENCH-<subject id>``, on every 7th organisation: one set-based INSERT (also used by
    bench/report_data.py, so that this benchmark finds them there). Rows inserted."""
    from xinyong.lists.models import ListType

    types = {lt.code: lt.pk for lt in ListType.objects.filter(code__in=LISTS)}
    cases = " ".join(f"WHEN {i} THEN {types[c]}" for i, c in enumerate(LISTS))
    cur.execute(
        "INSERT INTO lists_listentry (list_type_id, subject_id, department_id, status, "
        "external, national_category, basis_kind, basis_document, grounds, legal_basis, "
        "measures_text, removal_conditions, remedies, act_date, notice_no, statement, "
        "decision_no, decided_on, term_end, permanent, published_at, removal_reason, "
        "removal_note, under_objection, opened_by, opened_at, updated_at, statement_adoption, "
        "statement_reply) "
        f"SELECT CASE s.rn %% 5 {cases} END, s.id, %s, 'published', false, '', "
        "'penalty', '', '基准数据', '基准数据', '', '', '', DATE '2026-01-05', '', '', "
        "'BENCH-' || s.id, DATE '2026-01-05', DATE '2028-12-31', false, now(), '', '', "
        "s.rn %% 50 = 0, 'bench', now(), now(), '', '' "
        "FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM subjects_subject "
        "WHERE kind <> 'person' AND id %% 7 = 0 ORDER BY id LIMIT %s) s",
        [department_id, n],
    )
    return cur.rowcount


COMMITMENTS = 100_000


def commitments_insert(cur, department_id: int, n: int) -> int:
    """``n`` notify-and-commit commitments in licensing on every 11th organisation, one in
    25 breached with its bar in force (every other one a false commitment barring every
    matter), so that the check's probe finds bars on ~0.4 % of subjects: one set-based
    INSERT. Rows inserted."""
    from xinyong.commitments.models import CommitmentTemplate

    t = CommitmentTemplate.objects.get(matter__code="administrative_licensing", kind="notify")
    version = t.versions.order_by("-version").first()
    breached = "s.rn %% 25 = 0"
    cur.execute(
        "INSERT INTO commitments_commitment (number, subject_id, matter_id, kind, template_id, "
        "template_version_id, department_id, channel, signatory, reason, public, signed_at, "
        "recorded_by, valid_from, valid_to, scan_path, scan_name, scan_sha256, check_method, "
        "check_due, status, late_consequence, checked_by, check_note, breach_kind, "
        "breach_reasons, evidence_path, evidence_name, evidence_sha256, proposed_by, statement, "
        "hearing_outcome, decision_reason, decided_at, decided_by, bar_until, "
        "bars_every_matter, lifted_reason, updated_at) "
        "SELECT 'CNBENCH' || s.id, s.id, %s, 'notify', %s, %s, %s, 'online', '经办人', "
        "'基准数据', true, now(), '', DATE '2026-06-01', DATE '2027-06-01', '', '', '', "
        f"'online', DATE '2026-07-01', CASE WHEN {breached} THEN 'breached' ELSE 'kept' END, "
        f"'', '', '', CASE WHEN {breached} THEN (CASE WHEN s.rn %% 50 = 0 THEN 'false' "
        "ELSE 'broken' END) ELSE '' END, '', '', '', '', '', '', '', '', "
        f"CASE WHEN {breached} THEN now() END, '', "
        f"CASE WHEN {breached} THEN DATE '2027-12-31' END, s.rn %% 50 = 0, '', now() "
        "FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM subjects_subject "
        "WHERE kind <> 'person' AND id %% 11 = 0 ORDER BY id LIMIT %s) s",
        [t.matter_id, t.pk, version.pk, department_id, n],
    )
    return cur.rowcount


def setup() -> tuple[str, list[str]]:
    """Migrate, make the list entries once, issue a token; the request bodies."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope
    from xinyong.accounts.models import Department
    from xinyong.accounts.services import api_client_issue, department_save
    from xinyong.lists.models import ListEntry
    from xinyong.subjects import demo
    from xinyong.subjects.models import Subject

    call_command("migrate", verbosity=0)
    assert Subject.objects.count() >= 1_000_000, "load the 1,000,000 subjects first"
    dept = Department.objects.filter(code="SCJG").first() or department_save(
        actor=SYSTEM, code="SCJG", name="信安市市场监督管理局", kind="administrative"
    )
    if ListEntry.objects.count() < ENTRIES:
        with connection.cursor() as cur:
            cur.execute("TRUNCATE lists_listentry CASCADE")
            entries_insert(cur, dept.pk, ENTRIES)
            cur.execute("ANALYZE lists_listentry")
    from xinyong.commitments.models import Commitment

    if Commitment.objects.count() < COMMITMENTS:
        with connection.cursor() as cur:
            cur.execute("TRUNCATE commitments_commitment CASCADE")
            commitments_insert(cur, dept.pk, COMMITMENTS)
            cur.execute("ANALYZE commitments_commitment")
    rng = random.Random(5)
    listed = list(
        Subject.objects.filter(list_entries__isnull=False).values_list("uscc", flat=True)[:20_000]
    )
    clear = list(
        Subject.objects.filter(uscc__isnull=False, list_entries__isnull=True).values_list(
            "uscc", flat=True
        )[:40_000]
    )
    unknown = [demo.make_uscc("91", "110101", 80_000_000 + i) for i in range(5_000)]
    bodies = []
    for _ in range(30_000):
        pick = rng.random()
        pool = listed if pick < 0.3 else clear if pick < 0.9 else unknown
        bodies.append(json.dumps({"subject": rng.choice(pool), "matter": rng.choice(MATTERS)}))
    _c, token = api_client_issue(
        actor=SYSTEM, name=f"bench-{time.time():.0f}", department=dept, scopes=[ApiScope.CHECKS]
    )
    return token, bodies


def wrk(port, method, path, token, bodies_file, seconds, connections) -> dict:
    env = {"XY_BODIES": bodies_file, "XY_TOKEN": token, "XY_METHOD": method, "XY_PATH": path}
    return serving.wrk(port, LUA, env, seconds, connections)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="granian blocking threads per worker")
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    token, bodies = setup()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("\n".join(bodies))
    proc = serving.serve(args.workers, args.threads, args.port)
    try:
        run = {"seconds": args.seconds, "connections": args.connections, "workers": args.workers,
               "threads": args.threads}  # fmt: skip
        # Warm both endpoints (connections, caches), then measure each.
        wrk(args.port, "POST", "/api/v1/checks", token, f.name, 3, args.connections)
        trivial = wrk(args.port, "GET", "/api/v1/health", token, f.name, args.seconds,
                      args.connections)  # fmt: skip
        check = wrk(args.port, "POST", "/api/v1/checks", token, f.name, args.seconds,
                    args.connections)  # fmt: skip
    finally:
        serving.stop(proc)
    from xinyong.sanctions.models import CreditCheck

    print(json.dumps({
        "machine": platform.node(), "cpus": os.cpu_count(), **run,
        "check": {k: v for k, v in check.items() if k != "raw"},
        "trivial": {k: v for k, v in trivial.items() if k != "raw"},
        "ratio_rps": round(check["rps"] / trivial["rps"], 3),
        "checks_logged": CreditCheck.objects.count(),
    }, ensure_ascii=False, indent=2))  # fmt: skip
    print(check["raw"])


if __name__ == "__main__":
    main()
