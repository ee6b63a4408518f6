"""Benchmark of issue #13 (not part of the test suite): credit reports at city scale.

Data: the bench database `bench/report_data.py` builds — 1,000,000 subjects, 10,000,000
records (licences, penalties, coercion, judgments, honours…), publications from the sweep,
list entries. Measured on PostgreSQL, in-process (what a request or the worker spends):

1. one public report, the whole act as the portal's button runs it: content read through
   the selectors, typeset by Typst, signed, sealed to disk, saved with its audit event —
   median and p99 over organisations drawn at random;
2. a batch of 1,000 review reports as the worker runs it, in 2 worker processes (one per
   core; XINYONG_REPORT_BATCH_SHARDS=2), from submission to the last report;
3. verification: the service (one lookup + one insert), and the whole Django stack
   (middleware, router, service) through the test client, GET /api/v1/reports/{number}.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench python bench/report_bench.py \
      [--reports 300] [--batch 1000] [--verifications 2000]
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def _stats(ms: list[float]) -> dict:
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_pct(ms, 95), 2),
        "p99_ms": round(_pct(ms, 99), 2),
        "max_ms": round(max(ms), 2),
    }


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.conf import settings

    # One client address asks thousands of times here: the per-address limit would refuse
    # it (what is measured is the verification, not the throttle's refusal).
    settings.XINYONG_REPORT_VERIFY_LIMIT = 10**9


def sample_subjects(n: int, seed: int = 13, weighted: bool = False) -> list[int]:
    """Organisations drawn at random: uniformly (what visitors of the portal ask for), or
    weighted by their number of records (a block sample of the records table: the heavy
    files — chains with hundreds of licences — come up far more often)."""
    from django.db import connection

    if weighted:
        sql = (
            "SELECT DISTINCT r.subject_id FROM records_record r TABLESAMPLE SYSTEM (0.2) "
            "REPEATABLE (%s) JOIN subjects_subject s ON s.id = r.subject_id "
            "WHERE s.kind <> 'person' LIMIT %s"
        )
    else:
        sql = (
            "SELECT id FROM subjects_subject TABLESAMPLE SYSTEM (1) REPEATABLE (%s) "
            "WHERE kind <> 'person' LIMIT %s"
        )
    with connection.cursor() as c:
        c.execute(sql, [seed, n * 3])
        ids = [r[0] for r in c.fetchall()]
    random.Random(seed).shuffle(ids)
    return ids[:n]


def bench_single(subject_ids: list[int], warm: int = 20) -> tuple[dict, list[tuple[str, str]]]:
    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.reports import services
    from xinyong.subjects.models import Subject

    subjects = Subject.objects.in_bulk(subject_ids)
    issued, ms, pages, sizes, entries = [], [], [], [], []
    for n, sid in enumerate(subject_ids):
        t = time.perf_counter()
        out = services.report_issue(actor=ANONYMOUS, kind="public", subject=subjects[sid])
        elapsed = (time.perf_counter() - t) * 1000
        if n < warm:
            continue
        ms.append(elapsed)
        issued.append((out.report.number, out.code))
        sizes.append(out.report.pdf_size)
        pages.append(out.pdf.count(b"/Type /Page\n") or out.pdf.count(b"/Type/Page"))
        entries.append(sum(len(s["entries"]) for s in out.report.twin["sections"]))
    result = _stats(ms)
    result.update(
        mean_entries=round(statistics.mean(entries), 1),
        max_entries=max(entries),
        mean_pdf_kb=round(statistics.mean(sizes) / 1024, 1),
    )
    return result, issued


def bench_batch(size: int, shards: int) -> tuple[dict, list[tuple[str, str]]]:
    from xinyong.accounts.actors import Actor
    from xinyong.accounts.choices import Role
    from xinyong.accounts.models import Department, User
    from xinyong.reports.models import Report
    from xinyong.reports.services import batch_code, report_batch_submit

    dept = Department.objects.filter(code="SCJG").first() or Department.objects.first()
    user = User.objects.filter(username="bench_reports").first()
    if user is None:
        user = User.objects.create(
            username="bench_reports", role=Role.DEPARTMENT_OPERATOR, department=dept
        )
    actor = Actor.for_user(user)
    from xinyong.subjects.models import Subject

    ids = sample_subjects(size, seed=size + 7)
    codes = list(Subject.objects.filter(pk__in=ids).values_list("uscc", flat=True))
    t0 = time.perf_counter()
    batch = report_batch_submit(actor=actor, kind="review", purpose="招标投标：投标人资格审查",
                                codes=codes)  # fmt: skip
    run = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'xinyong.settings'); "
        "django.setup(); from xinyong.reports.services import batch as b; "
        "b.report_batch_run(batch_id={batch}, shard={shard}, shards={shards})"
    )
    procs = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", run.format(batch=batch.pk, shard=i, shards=shards)], cwd=ROOT
        )
        for i in range(shards)
    ]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"batch worker failed: {p.returncode}")
    seconds = time.perf_counter() - t0
    batch.refresh_from_db()
    numbers = list(Report.objects.filter(batch=batch).values_list("number", flat=True))
    return (
        {
            "subjects": batch.total,
            "issued": len(numbers),
            "status": batch.status,
            "workers": shards,
            "seconds": round(seconds, 1),
            "per_report_ms": round(seconds * 1000 / max(len(numbers), 1), 1),
        },
        [(n, batch_code(n)) for n in numbers],
    )


def bench_verify(pairs: list[tuple[str, str]], n: int) -> dict:
    from django.test import Client

    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.reports import services

    rnd = random.Random(5)
    picks = [rnd.choice(pairs) for _ in range(n)]
    service_ms = []
    for number, code in picks:
        t = time.perf_counter()
        v = services.report_verify(actor=ANONYMOUS, number=number, code=code, channel="api")
        service_ms.append((time.perf_counter() - t) * 1000)
        assert v.found, number
    client = Client()
    http_ms = []
    for number, code in picks:
        t = time.perf_counter()
        r = client.get(f"/api/v1/reports/{number}", {"code": code})
        http_ms.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.content
    wrong = []
    for number, _code in picks[:200]:
        t = time.perf_counter()
        r = client.get(f"/api/v1/reports/{number}", {"code": "ZZZZZZ"})
        wrong.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 404
    return {
        "service": _stats(service_ms),
        "http": _stats(http_ms),
        "wrong_code_http": _stats(wrong),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verifications", type=int, default=2000)
    ap.add_argument(
        "--verify-only", action="store_true",
        help="time verification alone, in a fresh process, over the batch reports already "
        "issued (their codes are derived): a web worker's view, without the batch just before",
    )  # fmt: skip
    ap.add_argument("--batch-only", action="store_true", help="time the batch alone")
    args = ap.parse_args()
    setup()
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM subjects_subject")
        subjects = c.fetchone()[0]
        c.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'records_record'")
        records = c.fetchone()[0]
    print(f"database: {subjects:,} subjects, ~{records:,} records")
    if args.verify_only:
        from xinyong.reports.models import Report
        from xinyong.reports.services import batch_code

        numbers = Report.objects.filter(batch__isnull=False).order_by("-id")
        pairs = [(n, batch_code(n)) for n in numbers.values_list("number", flat=True)[:5000]]
        verify = bench_verify(pairs, args.verifications)
        print("verification alone:", verify)
        return
    if args.batch_only:
        print("batch:", bench_batch(args.batch, args.workers)[0])
        return
    single, pairs = bench_single(sample_subjects(args.reports + 20))
    print("single public report, organisations at random:", single)
    heavy, heavy_pairs = bench_single(sample_subjects(args.reports + 20, seed=29, weighted=True))
    print("single public report, weighted by records:", heavy)
    pairs += heavy_pairs
    batch, batch_pairs = bench_batch(args.batch, args.workers)
    print("batch:", batch)
    # The batch leaves ~200 MB of PDFs and its WAL to be written back: flushed first, so the
    # verification's tail is its own, not the disk's catching up with the batch.
    os.sync()
    with connection.cursor() as c:
        c.execute("CHECKPOINT")
    verify = bench_verify(pairs + batch_pairs, args.verifications)
    print("verification:", verify)
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": f"{platform.node()} {os.cpu_count()} CPU",
        "subjects": subjects,
        "records": records,
        "single": single,
        "single_weighted_by_records": heavy,
        "batch": batch,
        "verify": verify,
    }
    target = ROOT / "bench" / "out"
    target.mkdir(parents=True, exist_ok=True)
    (target / "report_bench.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
