"""Benchmark of issue #19 item 5 (not part of the test suite): how cost grows with the size
of the platform. One database grows through the scales (``bench/stats_data.py --scale S
--subjects N`` adds only the difference: 1M subjects and 5M records, then 5M / 25M, then
10M / 50M — five records a subject at every scale, and two years of checks, list entries,
publications, commitments… in proportion) and, at each, this script measures what a user
or an operator waits for:

  - ingestion: two fresh files (licences and penalties, ``--rows`` each, on organisations
    drawn across the whole city) through ``batch_submit`` + ``batch_process`` in two worker
    processes, as ``xinyong db_worker`` runs them, beside a bare ``COPY`` of the same files
    into a plain table with text columns (the floor: the ratio says what matching, checking,
    provenance and audit cost on top of writing the rows);
  - the credit check: granian (2 workers, production settings) under wrk, requests for
    subjects drawn across the whole city (30 % listed, 60 % on no list, 10 % unknown codes),
    beside the trivial endpoint (``GET /api/v1/health``) in the same run;
  - a subject's credit file as a clerk reads it (``records.selectors.credit_file``: the
    records visible to the reader, provenance, the read's audit event) and the public part
    the portal shows (``public_records``), for organisations drawn uniformly and weighted by
    their number of records; then one public credit report, issued end to end
    (``report_issue``: read, typeset, signed, stored);
  - the full public credit evaluation: on the database, and exported to Parquet and run on
    DuckDB and on Spark local mode, with the parity of the three checked row by row
    (``bench/engines_bench.py``, run as a child process);
  - every statistics dashboard chart and scorecard (``bench/stats_bench.py --repeat 1``,
    a child process; the rollups rebuilt first, as after a bulk load).

Everything is written to ``bench/scale/scale_<label>.json``, which is committed: the scales
are measured in different sessions on machines of the same kind (a database of 10M subjects
takes a session to build), and each step carries its own calibration and load so that the
runs compare. ``table`` prints the runs side by side with each cost per subject or per
record, and the ratio of the largest to the smallest scale beside the ratio of their sizes
(flat, logarithmic or linear growth).

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_scale XINYONG_VAR_DIR=var/scale \\
      .venv/bin/python bench/stats_data.py --scale 0.5 --subjects 1000000
  DATABASE_URL=… XINYONG_VAR_DIR=var/scale .venv/bin/python bench/scale_bench.py measure \\
      --label 1m [--only ingest,check,file,report,evaluation,dashboards]
  .venv/bin/python bench/scale_bench.py table 1m 5m 10m
Needs wrk (Debian package ``wrk``) and Java for Spark (``scripts/bootstrap`` installs it).
"""

import argparse
import json
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out"  # the child benchmarks' raw JSON (not committed)
SCALES = ROOT / "bench" / "scale"  # one JSON per measured scale (committed)
STEPS = ("ingest", "check", "file", "report", "evaluation", "dashboards")


def log(msg: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {msg}", flush=True)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _ms(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 2),
        "p99_ms": round(_pct(values, 99), 2),
        "max_ms": round(max(values), 2),
    }


def _one(sql: str, params=None):
    """The first row of ``sql``'s result (None for a statement that returns none)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone() if cur.description else None


def _sizes() -> dict:
    """What the database holds (exact counts of the two tables costs are divided by)."""
    return {
        "subjects": _one("SELECT count(*) FROM subjects_subject")[0],
        "organisations": _one("SELECT count(*) FROM subjects_subject WHERE kind <> 'person'")[0],
        "records": _one("SELECT count(*) FROM records_record")[0],
        "database_gb": round(_one("SELECT pg_database_size(current_database())")[0] / 2**30, 1),
    }


def _calibrate() -> dict:
    """A fixed amount of work timed right before a step, in Python and in PostgreSQL: on
    this shared machine, how much of a core the step could have (the same work takes
    longer when others run). Latencies divided by it compare across runs and scales."""
    import hashlib

    t = time.perf_counter()
    block = b"x" * 1_000_000
    for _ in range(100):
        hashlib.sha256(block).digest()
    python = time.perf_counter() - t
    t = time.perf_counter()
    _one("SELECT sum(g * 2) FROM generate_series(1, 3000000) g")
    return {"python_s": round(python, 3), "sql_s": round(time.perf_counter() - t, 3)}


def _vacuum_changed() -> None:
    """What autovacuum does in production (it is off here): the tables the previous step
    changed (the evaluation rewrites every grade, the check writes its log) vacuumed, their
    statistics fresh, and those of the partitioned tables they are partitions of. Only
    those: a whole database's ``VACUUM (ANALYZE)`` took ~30 s at 1M, minutes at 5M."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT relid::regclass::text, (SELECT inhparent::regclass::text FROM pg_inherits "
            "WHERE inhrelid = relid) FROM pg_stat_user_tables "
            "WHERE n_dead_tup > 0 OR n_mod_since_analyze > 0"
        )
        changed = cur.fetchall()
        for table, _parent in changed:
            cur.execute(f"VACUUM (ANALYZE) {table}")
        for parent in sorted({p for _t, p in changed if p}):
            cur.execute(f"ANALYZE {parent}")


def _settle() -> None:
    """A quiet disk before each timed part: the previous part's WAL checkpointed."""
    os.sync()
    _one("CHECKPOINT")


# -- ingestion ------------------------------------------------------------------------------
def step_ingest(args) -> dict:
    """Two fresh files on organisations spread over the city, as two workers process them;
    then a bare COPY of the same files. The records stay (a few tenths of a percent of the
    table): the next scale's build grows around them."""
    from ingest_bench import _init, _process, _warm, bare_copy, write_rows

    from xinyong.accounts.actors import SYSTEM
    from xinyong.ingest import demo as records_demo
    from xinyong.ingest import services
    from xinyong.subjects import demo

    n_orgs = demo.split(_sizes()["subjects"])["organization"]
    rng = random.Random(args.label)
    work = Path(tempfile.mkdtemp(prefix="scale-ingest-"))
    numbering = int(time.time()) * 1000  # fresh source ids: every row is a new record
    files = {}
    for item in ("administrative_licence", "administrative_penalty"):
        starts = sorted(rng.sample(range(0, n_orgs - 1000, 1000), args.rows // 1000))
        orgs = [o for s in starts for o in demo.organizations(2026, s, s + 1000)]
        path = work / f"{item}.csv"
        write_rows(path, records_demo.org_rows(item, 2026, orgs, numbering))
        files[item] = path
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx, initializer=_init) as pool:
        list(pool.map(_warm, range(2)))
        _settle()
        t = time.perf_counter()
        ids = [
            services.batch_submit(
                actor=SYSTEM, item_code=item, channel="cli", file_format="csv", payload=path,
                file_name=path.name,
                provider_code="SCJG" if item == "administrative_penalty"
                else records_demo.PROVIDERS[item],
            ).pk
            for item, path in files.items()
        ]  # fmt: skip
        batches = list(pool.map(_process, ids))
        elapsed = time.perf_counter() - t
    rows = sum(b["rows"] for b in batches)
    assert all(b["created"] == b["rows"] for b in batches), batches
    _settle()
    _copied, bare = bare_copy(files.values())
    for path in files.values():
        path.unlink()
    work.rmdir()
    return {
        "rows": rows,
        "seconds": round(elapsed, 1),
        "rows_per_s": round(rows / elapsed),
        "bare_copy_rows_per_s": round(rows / bare),
        "ratio_to_bare_copy": round((rows / elapsed) / (rows / bare), 3),
        "batches": batches,
    }


# -- the credit check -----------------------------------------------------------------------
def _codes(sql: str, n: int) -> list[str]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, [n])
        return [r[0] for r in cur.fetchall()]


def step_check(args) -> dict:
    import serving
    from check_bench import LUA, MATTERS

    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import ApiScope
    from xinyong.accounts.models import Department
    from xinyong.accounts.services import api_client_issue
    from xinyong.subjects import demo

    # Subjects drawn at random over the whole city, not the first rows of a table:
    # at 10M subjects their pages are not all in memory, as in production.
    listed = _codes(
        "SELECT s.uscc FROM (SELECT DISTINCT subject_id FROM lists_listentry WHERE status = "
        "'published') e JOIN subjects_subject s ON s.id = e.subject_id ORDER BY random() "
        "LIMIT %s",
        20_000,
    )
    clear = _codes(
        "SELECT s.uscc FROM subjects_subject s WHERE s.kind <> 'person' AND NOT EXISTS "
        "(SELECT 1 FROM lists_listentry e WHERE e.subject_id = s.id) ORDER BY random() "
        "LIMIT %s",
        40_000,
    )
    unknown = [demo.make_uscc("91", "110101", 80_000_000 + i) for i in range(5_000)]
    rng = random.Random(5)
    bodies = []
    for _ in range(30_000):
        pick = rng.random()
        pool = listed if pick < 0.3 else clear if pick < 0.9 else unknown
        bodies.append(json.dumps({"subject": rng.choice(pool), "matter": rng.choice(MATTERS)}))
    dept = Department.objects.get(code="SCJG")
    _c, token = api_client_issue(
        actor=SYSTEM, name=f"scale-{time.time():.0f}", department=dept, scopes=[ApiScope.CHECKS]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("\n".join(bodies))
    env = {"XY_BODIES": f.name, "XY_TOKEN": token}
    proc = serving.serve(2, 1, args.port)
    try:

        def run(method: str, path: str, seconds: int) -> dict:
            out = serving.wrk(args.port, LUA, {**env, "XY_METHOD": method, "XY_PATH": path},
                              seconds, 8)  # fmt: skip
            out.pop("raw")
            return out

        run("POST", "/api/v1/checks", 5)  # warm: connections, caches
        trivial = run("GET", "/api/v1/health", args.seconds)
        check = run("POST", "/api/v1/checks", args.seconds)
    finally:
        serving.stop(proc)
        os.unlink(f.name)
    return {
        "check": check,
        "trivial": trivial,
        "ratio_rps": round(check["rps"] / trivial["rps"], 3),
        "listed_codes": len(listed),
    }


# -- a subject's file and the public report -------------------------------------------------
def sample_subjects(n: int, seed: int, weighted: bool = False) -> list[int]:
    """Organisations drawn at random over the whole city: uniformly (what visitors ask
    for), or weighted by their number of records (a record drawn at random, its subject:
    the busy companies come up as often as people look them up in practice)."""
    from django.db import connection

    source = (
        "(SELECT subject_id AS id FROM records_record ORDER BY random() LIMIT %s) r"
        if weighted
        else "(SELECT id FROM subjects_subject WHERE kind <> 'person' ORDER BY random() LIMIT %s) r"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(%s)", [1 / seed])
        cur.execute(f"SELECT DISTINCT r.id FROM {source}", [n])
        return [row[0] for row in cur.fetchall()]


def step_file(args) -> dict:
    from xinyong.accounts.actors import SYSTEM
    from xinyong.records.selectors import credit_file, public_records
    from xinyong.subjects.models import Subject

    out = {}
    for how, weighted in (("uniform", False), ("by_records", True)):
        ids = sample_subjects(args.files + 20, seed=29, weighted=weighted)
        subjects = Subject.objects.in_bulk(ids)
        for name, read in (
            ("credit_file", lambda s: credit_file(actor=SYSTEM, subject=s)),
            ("public_records", lambda s: public_records(subject=s)),
        ):
            ms = []
            for n, sid in enumerate(ids):
                t = time.perf_counter()
                read(subjects[sid])
                if n >= 20:  # the first reads warm the connection and the catalog
                    ms.append((time.perf_counter() - t) * 1000)
            out[f"{name}_{how}"] = _ms(ms)
    return out


def step_report(args) -> dict:
    from report_bench import bench_single

    result, _issued = bench_single(sample_subjects(args.reports + 10, seed=31), warm=10)
    return result


# -- evaluation and dashboards: the benchmarks of their own, as child processes -------------
def _child(script: str, *argv: str) -> dict:
    """Run ``bench/<script>.py`` on the same database; its JSON output."""
    subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [sys.executable, str(ROOT / "bench" / f"{script}.py"), *argv], check=True, cwd=ROOT
    )
    return json.loads((OUT / f"{script}.json").read_text())


def step_evaluation(args) -> dict:
    extra = ["--no-statistic"] if args.no_statistic else []
    out = _child("engines_bench", "--spark-master", "local[2]", "--spark-runs",
                 str(args.spark_runs), *extra)  # fmt: skip
    # Each run kept every organisation's result as history (a gigabyte a run at 1M
    # subjects): those of the runs before the last go, so that the largest scale fits
    # this machine's disk. A province archives that history by run (docs/scale.md).
    _one("DELETE FROM evaluation_evaluationresult WHERE run_id <> "
         "(SELECT max(run_id) FROM evaluation_evaluationresult)")  # fmt: skip
    keep = ("database_run_s", "export_s", "export_rows", "export_mb", "duckdb_run_s",
            "spark_run_s", "spark_warm_run_s", "status", "subjects", "parity",
            "stat_database_s", "stat_duckdb_s", "stat_spark_s", "stat_parity_duckdb",
            "stat_parity_spark")  # fmt: skip
    return {k: out.get(k) for k in keep}


def step_dashboards(args) -> dict:
    out = _child("stats_bench", "--repeat", "1")
    charts = [v for v in _walk_medians(out.get("charts", {}))]
    cards = [v for v in _walk_medians(out.get("scorecards", {}))]
    return {
        "charts_timed": len(charts),
        "chart_median_s": round(statistics.median(charts), 3) if charts else None,
        "chart_max_s": max(charts) if charts else None,
        "scorecard_max_s": max(cards) if cards else None,
        "over_1s": out.get("over_1s"),
        "rollup_rebuild_s": out.get("rollup_rebuild_s"),
        "checks_rollup_rebuild_s": out.get("checks_rollup_rebuild_s"),
        "publication_rollup_rebuild_s": out.get("publication_rollup_rebuild_s"),
        "public_figures_uncached": out.get("public_figures_uncached"),
    }


def _walk_medians(node):
    """Every ``median_s`` in a nested result."""
    if isinstance(node, dict):
        if "median_s" in node:
            yield node["median_s"]
        for v in node.values():
            if isinstance(v, dict | list):
                yield from _walk_medians(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk_medians(v)


def measure(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.db import connection

    assert connection.vendor == "postgresql", "this benchmark targets PostgreSQL"
    path = SCALES / f"scale_{args.label}.json"
    out = json.loads(path.read_text()) if path.exists() else {}
    sizes = _sizes()
    out.update(
        label=args.label,
        machine=f"{platform.node()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
    )
    for key, value in sizes.items():  # the scale's first measurement sets its size
        out.setdefault(key, value)
    out.setdefault("steps", {})
    for step in args.only.split(",") if args.only else STEPS:
        _vacuum_changed()
        log(f"{step}…")
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        load = os.getloadavg()[0]
        calibration = _calibrate()
        t = time.perf_counter()
        result = globals()[f"step_{step}"](args)
        result.update(at=started, load_before=round(load, 1), calibration=calibration,
                      step_s=round(time.perf_counter() - t, 1), database=sizes)  # fmt: skip
        out["steps"][step] = result
        log(f"{step}: {json.dumps(result, ensure_ascii=False)[:600]}")
        SCALES.mkdir(exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False, indent=2))


# -- the table ------------------------------------------------------------------------------
ROWS = [
    # (label, step, path in the step's result, divided by: subjects | records | None)
    ("ingestion rows/s (2 workers)", "ingest", "rows_per_s", None),
    ("bare COPY rows/s", "ingest", "bare_copy_rows_per_s", None),
    ("ingestion ÷ bare COPY", "ingest", "ratio_to_bare_copy", None),
    ("check req/s", "check", "check.rps", None),
    ("check p99", "check", "check.latency.99", None),
    ("trivial endpoint req/s", "check", "trivial.rps", None),
    ("check ÷ trivial (req/s)", "check", "ratio_rps", None),
    ("credit file median ms (uniform)", "file", "credit_file_uniform.median_ms", None),
    ("credit file p99 ms (uniform)", "file", "credit_file_uniform.p99_ms", None),
    ("credit file median ms (by records)", "file", "credit_file_by_records.median_ms", None),
    ("credit file p99 ms (by records)", "file", "credit_file_by_records.p99_ms", None),
    ("public part median ms (uniform)", "file", "public_records_uniform.median_ms", None),
    ("public report median ms", "report", "median_ms", None),
    ("public report p99 ms", "report", "p99_ms", None),
    ("evaluation on the database s", "evaluation", "database_run_s", "records"),
    ("export to Parquet s", "evaluation", "export_s", "records"),
    ("evaluation on DuckDB s", "evaluation", "duckdb_run_s", "records"),
    ("evaluation on Spark local s (first)", "evaluation", "spark_run_s", "records"),
    ("evaluation on Spark local s (warm)", "evaluation", "spark_warm_run_s", "records"),
    ("engines' parity with the database", "evaluation", "parity", None),
    ("dashboard chart median s", "dashboards", "chart_median_s", None),
    ("dashboard chart max s", "dashboards", "chart_max_s", None),
    ("scorecard max s", "dashboards", "scorecard_max_s", None),
    ("records rollup rebuild s", "dashboards", "rollup_rebuild_s", "records"),
]


def _get(node, dotted: str):
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _num(v):
    if isinstance(v, str):  # wrk's "12.34ms" / "1.20s" / "850.00us"
        for unit, f in (("us", 0.001), ("ms", 1), ("s", 1000)):
            if v.endswith(unit) and v[: -len(unit)].replace(".", "").isdigit():
                return float(v[: -len(unit)]) * f
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def table(labels: list[str]) -> None:
    runs = [json.loads((SCALES / f"scale_{lb}.json").read_text()) for lb in labels]
    head = "| | " + " | ".join(
        f"{r['label']}: {r['subjects']:,} subjects, {r['records']:,} records" for r in runs
    )
    print(head + " | largest ÷ smallest | size ratio |")
    print("|---" * (len(runs) + 3) + "|")
    size = runs[-1]["records"] / runs[0]["records"]
    for name, step, key, per in ROWS:
        values = [_get(r.get("steps", {}).get(step, {}), key) for r in runs]
        cells = []
        for r, v in zip(runs, values, strict=True):
            cell = "—" if v is None else f"{v:,}" if isinstance(v, int | float) else str(v)
            if per and _num(v):
                cell += f" ({_num(v) / r[per] * 1e6:.2f} µs/{per[:-1]})"
            cells.append(cell)
        first, last = _num(values[0]), _num(values[-1])
        ratio = f"{last / first:.2f}×" if first and last else ""
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} | {size:.1f}× |")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--label", required=True, help="the scale's name, e.g. 1m, 5m, 10m")
    m.add_argument("--only", help="comma-separated among " + ",".join(STEPS))
    m.add_argument("--rows", type=int, default=100_000, help="rows per ingested file")
    m.add_argument("--seconds", type=int, default=20, help="wrk's time per endpoint")
    m.add_argument("--port", type=int, default=8767)
    m.add_argument("--files", type=int, default=200, help="credit files read per sample")
    m.add_argument("--reports", type=int, default=60, help="public reports issued")
    m.add_argument(
        "--spark-runs",
        type=int,
        choices=(1, 2),
        default=2,
        help="evaluation: Spark's runs (2: once more on the warm session)",
    )
    m.add_argument(
        "--no-statistic",
        action="store_true",
        help="evaluation: without the records-collected statistic",
    )
    t = sub.add_parser("table")
    t.add_argument("labels", nargs="+")
    args = ap.parse_args()
    if args.cmd == "measure":
        measure(args)
    else:
        table(args.labels)


if __name__ == "__main__":
    main()
