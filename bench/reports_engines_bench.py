"""Benchmark of issue #19 item 3 (not part of the test suite): the credit reports' data —
the public reports' and the review reports' — computed on DuckDB and on Spark (local) from
one export of a benchmark city and written back, with its parity checked three ways:

1. the two engines' rows, every organisation's (its public items and its whole file's
   groups), compared as digests;
2. a sample of organisations (the busiest and a seeded random draw): the sections each
   reader's reports hold — the public's, and the review reports of three departments
   (the market regulator with a sharing rule, the tax bureau, the housing bureau) — read
   from the data and from the database (``content.FileReader``, as a batch reads them:
   ``report_batch_run``'s chunks of 25), compared entry by entry;
3. the time both paths take to read them (what a batch saves; typesetting is the same).

Data: a benchmark city built by ``bench/stats_data.py`` (``--only records,publications,
entries,remedies``) or ``bench/report_data.py``, migrated to this code.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_rd XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/reports_engines_bench.py [--sample 5000] \\
      [--spark-master local[2]] [--spark-conf spark.sql.shuffle.partitions=8]
Writes bench/out/reports_engines_bench.json.
"""

import argparse
import datetime
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from evaluation_bench import city_start, timed  # noqa: E402 - bench/evaluation_bench.py

READERS = {"review_market": "scjg_clerk", "review_tax": "sw_clerk", "review_housing": "zj_clerk"}


def _digests() -> dict[int, bytes]:
    """subject → a digest of its written-back row (public items, whole-file groups or
    None: a small file)."""
    from django.db import connection

    out = {}
    with connection.chunked_cursor() as cur:
        cur.execute("SELECT subject_id, items::text, files::text FROM reports_reportdata")
        while rows := cur.fetchmany(50_000):
            for sid, items, files in rows:
                row = json.dumps([json.loads(items), files and json.loads(files)], sort_keys=True)
                out[sid] = hashlib.blake2b(row.encode(), digest_size=16).digest()
    return out


def _size(table: str) -> float:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_total_relation_size(%s)", [table])
        return round(cur.fetchone()[0] / 2**20, 1)


def _large() -> int:
    from xinyong.reports.models import ReportData

    return ReportData.objects.filter(files__isnull=False).count()


def _sample(n: int) -> dict[str, list[int]]:
    """The 100 organisations with the most records, and a seeded draw of ``n`` others."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT r.subject_id FROM records_record r JOIN subjects_subject s ON s.id = "
            "r.subject_id WHERE s.kind <> 'person' GROUP BY r.subject_id "
            "ORDER BY count(*) DESC LIMIT 100"
        )
        busiest = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT id FROM subjects_subject WHERE kind <> 'person' ORDER BY id")
        every = sorted({r[0] for r in cur.fetchall()} - set(busiest))
    return {"busiest": busiest, "drawn": sorted(random.Random(19).sample(every, n))}


def _read(actor, kind: str, ids: list[int], precomputed: bool) -> tuple[dict, float, int]:
    """Every subject's sections, read as a batch reads them (chunks of 25, the data taken
    where fresh); the seconds; how many came from the engine's data."""
    from django.utils import timezone

    from xinyong.reports.content import FileReader
    from xinyong.reports.services.batch import CHUNK

    out, taken = {}, 0
    t = time.perf_counter()
    for at in range(0, len(ids), CHUNK):
        chunk = ids[at : at + CHUNK]
        reader = FileReader(kind, actor, chunk, timezone.localdate(), precomputed=precomputed)
        taken += len(reader.precomputed)
        for sid in chunk:
            out[sid] = [s.model_dump(mode="json") for s in reader.sections(sid)]
    return out, round(time.perf_counter() - t, 2), taken


def _sharing_rule() -> dict:
    """The market regulator given the shared records of the provider with the most of
    them that is none of the readers' departments (so that the three see three files),
    as a department asking for it would be: valid from yesterday, open-ended."""
    from django.db.models import Count
    from django.utils import timezone

    from xinyong.accounts.models import Department, SharingRule, User
    from xinyong.records.models import Record

    ours = User.objects.filter(username__in=READERS.values()).values_list("department_id")
    market = User.objects.get(username="scjg_clerk").department_id
    provider = (
        Record.objects.filter(disclosure="shared").exclude(provider_id__in=ours)
        .values("provider_id").annotate(n=Count("id")).order_by("-n").first()
    )  # fmt: skip
    SharingRule.objects.get_or_create(
        provider_id=provider["provider_id"], consumer_id=market, purpose="联合监管（基准测试）",
        defaults={"valid_from": timezone.localdate() - datetime.timedelta(days=1)},
    )  # fmt: skip
    return {"provider": Department.objects.get(pk=provider["provider_id"]).name,
            "shared_records": provider["n"]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=5000, help="organisations read both ways")
    ap.add_argument("--spark-master", default="local[*]")
    ap.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE")
    args = ap.parse_args()
    out = city_start(load=True)

    from xinyong.accounts.actors import SYSTEM, Actor
    from xinyong.accounts.models import User
    from xinyong.engines import export
    from xinyong.engines.services import report_data_build

    out["sharing_rule"] = _sharing_rule()
    readers = {"public": SYSTEM} | {
        name: Actor.for_user(User.objects.get(username=u)) for name, u in READERS.items()
    }
    work = Path(tempfile.mkdtemp(prefix="reports-engines-bench-"))
    manifest, out["export_s"] = timed(lambda: export.export(work / "city"))
    out["export_rows"] = manifest.rows
    out["export_mb"] = round(sum(f.stat().st_size for f in work.rglob("*.parquet")) / 2**20, 1)
    sample = _sample(args.sample)
    out["sample"] = {part: len(ids) for part, ids in sample.items()}
    spark = {"master": args.spark_master, "conf": dict(c.split("=", 1) for c in args.spark_conf)}
    database: dict[tuple, dict] = {}
    digests = {}
    for engine, conf in (("duckdb", {}), ("spark", spark)):
        run, out[f"{engine}_run_s"] = timed(lambda e=engine, c=conf: report_data_build(
            actor=SYSTEM, engine=e, data=manifest.path, **c))  # fmt: skip
        out[f"{engine}_subjects"] = run.subjects
        out["report_data_mb"] = _size("reports_reportdata")
        out["large_files"] = _large()
        digests[engine] = _digests()
        for name, actor in readers.items():
            kind = "public" if name == "public" else "review"
            for part, ids in sample.items():
                key = f"{name}_{part}"
                if key not in database:  # the database path, read once
                    database[key], out[f"database_read_{key}_s"], _ = _read(actor, kind, ids,
                                                                            False)  # fmt: skip
                got, out[f"{engine}_read_{key}_s"], out[f"{engine}_taken_{key}"] = _read(
                    actor, kind, ids, True
                )
                out[f"{engine}_identical_{key}"] = sum(got[s] == database[key][s] for s in ids)
    out["engines_rows_identical"] = sum(
        digests["spark"].get(s) == d for s, d in digests["duckdb"].items()
    )
    out["engines_rows"] = [len(digests["duckdb"]), len(digests["spark"])]
    views = [json.dumps(database[f"{n}_drawn"], sort_keys=True) for n in readers]
    out["readers_differ"] = len(set(views)) == len(views)
    shutil.rmtree(work, ignore_errors=True)
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/reports_engines_bench.json").write_text(
        json.dumps(out, indent=2, ensure_ascii=False, default=str)
    )
    print(json.dumps(out, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
