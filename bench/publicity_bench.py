"""Benchmark of issue #4 (not part of the test suite): the publication sweep over the
records `bench/ingest_bench.py` left (1,000,000 licences and penalties of the demo city),
then the portal column 信用双公示 served through Django's full stack (URL routing, view,
selector, template) at that scale.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench python bench/publicity_bench.py
  (run bench/ingest_bench.py first)
"""

import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


WORDS = ["科技", "食品", "建设", "医药", "服装"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.models import Publication
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.records.models import Record

    call_command("migrate", verbosity=0)
    records = Record.objects.filter(item_code__startswith="administrative_").count()
    assert records >= 100_000, "run bench/ingest_bench.py first"
    with connection.cursor() as cur:
        cur.execute("TRUNCATE disclosure_publication, disclosure_publicationchange")
    t = time.perf_counter()
    report = publication_sweep(actor=SYSTEM)
    sweep_s = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("ANALYZE disclosure_publication")
    t = time.perf_counter()
    again = publication_sweep(actor=SYSTEM)
    again_s = time.perf_counter() - t

    rng = random.Random(4)
    penalties = Record.objects.filter(item_code="administrative_penalty").order_by("?")
    sample = list(penalties.values_list("source_id", "data__XDR_SHXYM")[:500])
    client = Client()
    cases = {
        "penalties, page 1": lambda: {"kind": "penalty"},
        "licences, page 1": lambda: {"kind": "licence"},
        "penalties, page 50": lambda: {"kind": "penalty", "page": 50},
        "department + date range": lambda: {"kind": "penalty", "provider": "SCJG",
                                            "date_from": "2025-01-01", "date_to": "2025-06-30"},
        "name, 2 characters": lambda: {"kind": "penalty", "q": rng.choice(WORDS)},
        "USCC": lambda: {"kind": "penalty", "q": rng.choice(sample)[1]},
        "decision number": lambda: {"kind": "penalty", "q": rng.choice(sample)[0]},
    }  # fmt: skip
    results = {}
    for label, params in cases.items():
        for _ in range(10):
            client.get("/publicity/", params())  # warm-up
        times = []
        for _ in range(200):
            t = time.perf_counter()
            r = client.get("/publicity/", params())
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        times.sort()
        results[label] = {"p50_ms": round(statistics.median(times), 1),
                          "p99_ms": round(times[int(len(times) * 0.99) - 1], 1)}  # fmt: skip
        print(label, results[label])
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()} {os.cpu_count()} CPU",
        "records": records,
        "publications": Publication.objects.count(),
        "sweep_s": round(sweep_s, 1),
        "sweep": vars(report),
        "sweep_again_s": round(again_s, 1),
        "sweep_again": vars(again),
        "column": results,
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
