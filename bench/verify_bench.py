"""Benchmark of report verification (issue #13: ≤ 5 ms p99), not part of the test suite.

Fills the report table with ``REPORTS`` synthetic reports (twins of about 3 KB,
one real signature each is not needed: verification compares hashes and reads fields),
then times ``services.report_verify`` — the service itself, one indexed lookup and one
INSERT — and ``GET /api/v1/reports/{number}`` through Django's full stack, for genuine
answers (known number and code) and "not genuine" ones (unknown numbers, wrong codes).
Its rows are removed at the end.

Usage:
  createdb -h 127.0.0.1 -U postgres -T template0 -E UTF8 xinyong_verify_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_verify_bench \\
      python bench/verify_bench.py [REPORTS]
"""

import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "XY20991231"  # a date no real report has: the bench's rows are told apart


def _pct(samples: list[float], p: float) -> float:
    return sorted(samples)[min(len(samples) - 1, int(len(samples) * p))] * 1000


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.XINYONG_REPORT_VERIFY_LIMIT = 10**9  # one address asks thousands of times here
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xinyong.accounts.actors import ANONYMOUS
    from xinyong.reports import services
    from xinyong.reports.models import Report, ReportVerification
    from xinyong.subjects.models import Subject

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    call_command("migrate", verbosity=0)
    rng = random.Random(13)
    subject, _ = Subject.objects.get_or_create(
        uscc="91339900MA1X2Y3B1X", defaults={"kind": "organization", "name": "信安基准有限公司"}
    )
    Report.objects.filter(number__startswith=PREFIX).delete()
    twin = {
        "format": "xinyong-report/1", "kind": "public", "title": "公共信用信息报告",
        "edition": "公开版", "issuer": "信安市公共信用信息平台",
        "subject": {"name": subject.name, "code": subject.uscc, "kind": "法人和非法人组织",
                    "code_name": "统一社会信用代码", "status": "存续"},
        "sections": [{"key": f"s{i}", "title": "行政处罚", "entries": [
            {"title": "行政处罚决定书", "fields": [{"name": "事由", "value": "违法" * 20}] * 3}
        ]} for i in range(6)],  # about 3 KB, as a public report with a few records
    }  # fmt: skip
    now = timezone.now()
    numbers, codes = [], []
    t = time.perf_counter()
    batch = []
    for i in range(n):
        number = PREFIX + "".join(rng.choice(ALPHABET) for _ in range(8))
        code = "".join(rng.choice(ALPHABET) for _ in range(6))
        if i < 5000:
            numbers.append(number)
            codes.append(code)
        batch.append(Report(
            number=number, code_hash=services.code_hash(number, code), kind="public",
            subject_id=subject.pk, issued_at=now, valid_until=now.date() + datetime.timedelta(30),
            twin={**twin, "number": number}, subject_name=subject.name,
            subject_code=subject.uscc, issuer="信安市公共信用信息平台", content_sha256="0" * 64,
            pdf_sha256="1" * 64,
            pdf_size=100_000, key_id="0123456789abcdef", signature="s" * 86,
        ))  # fmt: skip
        if len(batch) == 5000:
            Report.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Report.objects.bulk_create(batch, ignore_conflicts=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE reports_report")
    load_s = time.perf_counter() - t

    def timed(fn, rounds: int) -> list[float]:
        out = []
        for i in range(rounds):
            s = time.perf_counter()
            fn(i)
            out.append(time.perf_counter() - s)
        return out

    def genuine(i):
        r = services.report_verify(
            actor=ANONYMOUS, number=numbers[i % 5000], code=codes[i % 5000], channel="api"
        )
        assert r.status == "genuine", r

    def unknown(i):
        number = PREFIX + "".join(rng.choice(ALPHABET) for _ in range(8))
        services.report_verify(actor=ANONYMOUS, number=number, code="ABCDEF", channel="api")

    client = Client()

    def api(i):
        r = client.get(f"/api/v1/reports/{numbers[i % 5000]}", {"code": codes[i % 5000]})
        assert r.status_code == 200, r.content

    timed(genuine, 200)  # warm
    rows = []
    for name, fn in (("service, genuine", genuine), ("service, not genuine", unknown),
                     ("GET /api/v1/reports/{number}", api)):  # fmt: skip
        samples = timed(fn, 5000)
        rows.append((name, statistics.median(samples) * 1000, _pct(samples, 0.99)))
    ReportVerification.objects.filter(report__number__startswith=PREFIX).delete()
    Report.objects.filter(number__startswith=PREFIX).delete()

    print(f"{connection.vendor}, {platform.machine()}, {os.cpu_count()} cores; "
          f"{n:,} reports loaded in {load_s:.0f} s")  # fmt: skip
    print("| what | median | p99 |\n|---|---:|---:|")
    for name, med, p99 in rows:
        print(f"| {name} | {med:.2f} ms | {p99:.2f} ms |")


if __name__ == "__main__":
    main()
