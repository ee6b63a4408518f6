"""Benchmark of issue #19 item 3 (not part of the test suite): the public credit evaluation
through the three engines on a benchmark city — the database run (`evaluation.engine`),
then an export to Parquet and the same full run on DuckDB and on Spark (local mode, every
core of this machine) — with the parity of their results checked row by row (score, grade,
points, facts; ids where the database keeps them all), and the records-collected statistic
on both engines against the database's.

Data: a database of `bench/report_data.py` (e.g. ``--subjects 50000 --records 500000``),
migrated to this code.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_engines_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/engines_bench.py [--spark-master local[2]] \\
      [--spark-conf spark.sql.shuffle.partitions=8] [--spark-runs 1] [--no-statistic]
Writes bench/out/engines_bench.json.
"""

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from evaluation_bench import city_start, timed  # noqa: E402 - bench/evaluation_bench.py


def _results(run_id: int) -> dict[int, bytes]:
    """subject → a digest of its (score, grade, points, facts), ids compared where the
    database keeps them all: every row compared, in 16 bytes a subject, read in chunks from
    a server-side cursor (the results themselves of 4M subjects do not fit in memory twice)."""
    from django.db import connection

    from xinyong.evaluation.facts import ID_CAP

    out = {}
    with connection.chunked_cursor() as cur:
        cur.execute("SELECT subject_id, score, grade, points::text, facts::text FROM "
                    "evaluation_evaluationresult WHERE run_id = %s", [run_id])  # fmt: skip
        while rows := cur.fetchmany(20_000):
            for sid, score, grade, points, facts in rows:
                f = json.loads(facts)
                f = {k: v for k, v in f.items() if not (k.endswith("_ids") and k != "sector_ids"
                                                        and f.get(k[:-4], 0) > ID_CAP)}  # fmt: skip
                row = json.dumps([score, grade, json.loads(points), f], sort_keys=True)
                out[sid] = hashlib.blake2b(row.encode(), digest_size=16).digest()
    return out


def _statistic(out: dict, manifest) -> None:
    """The records-collected statistic on the database and on each engine, and its parity."""
    from xinyong.engines.connect import connect, tables
    from xinyong.engines.statistics import records_daily
    from xinyong.records.models import Record
    from xinyong.stats.rollups import daily_counts

    stat_db, out["stat_database_s"] = timed(lambda: sorted(
        (r["day"], r["provider_id"], r["item_code"], r["n"])
        for r in daily_counts(Record.objects.all())))  # fmt: skip
    for engine in ("duckdb", "spark"):
        got, out[f"stat_{engine}_s"] = timed(lambda e=engine: records_daily(
            tables(connect(e), e, manifest.path)))  # fmt: skip
        out[f"stat_parity_{engine}"] = [
            (r["day"], r["provider_id"], r["item_code"], r["n"]) for r in got
        ] == stat_db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spark-master", default="local[*]")
    ap.add_argument("--spark-conf", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--spark-runs", type=int, choices=(1, 2), default=2,
                    help="2: a second run on the warm session too")  # fmt: skip
    ap.add_argument("--no-statistic", action="store_true",
                    help="without the records-collected statistic on the engines")  # fmt: skip
    args = ap.parse_args()
    out = city_start(load=True)
    from xinyong.accounts.actors import SYSTEM
    from xinyong.engines import export
    from xinyong.engines.services import evaluation_batch_run
    from xinyong.evaluation import services
    from xinyong.evaluation.engine import run_execute

    def database():
        return run_execute(services.run_request(actor=SYSTEM, kind="full").pk)

    db, out["database_run_s"] = timed(database)
    work = Path(tempfile.mkdtemp(prefix="engines-bench-"))
    manifest, out["export_s"] = timed(lambda: export.export(work / "city"))
    out["export_rows"] = manifest.rows
    out["export_mb"] = round(sum(f.stat().st_size for f in work.rglob("*.parquet")) / 2**20, 1)
    runs = {"database": db}
    spark = {"master": args.spark_master, "conf": dict(c.split("=", 1) for c in args.spark_conf)}
    engines = [("duckdb", "duckdb", {}), ("spark", "spark", spark)]
    if args.spark_runs == 2:  # the second Spark run reuses the session (JVM warm)
        engines.append(("spark_warm", "spark", spark))
    for name, engine, conf in engines:
        run, out[f"{name}_run_s"] = timed(lambda e=engine, c=conf: evaluation_batch_run(
            actor=SYSTEM, engine=e, data=manifest.path, **c))  # fmt: skip
        runs[name] = run
        out[f"{name}_timings"] = run.timings
    out["database_timings"] = db.timings
    out["status"] = {k: r.status for k, r in runs.items()}
    expected = _results(db.pk)
    out["subjects"] = len(expected)
    out["parity"] = {k: _results(r.pk) == expected for k, r in runs.items() if k != "database"}
    if not args.no_statistic:
        _statistic(out, manifest)
    shutil.rmtree(work, ignore_errors=True)
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/engines_bench.json").write_text(json.dumps(out, indent=2, default=str))
    print(json.dumps(out, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
