"""Benchmark of issue #3 (not part of the test suite): licence and penalty rows through the
whole ingestion pipeline into PostgreSQL holding the demo city's subjects.

Measures, in one run:
  - end to end: rows/s from a CSV file on disk to records with provenance — submit (payload
    stored and hashed), parse, check each row against the item's schema, match subjects,
    stage, apply (records, per-row outcomes, audit), commit — through the same services the API,
    the upload page and `xinyong ingest_file` use; half licences, half penalties, each file
    one batch; generating the files is excluded. The two batches are processed by two
    worker processes at once (`--workers`, one per core, as two `xinyong db_worker` would),
    then — on an emptied records table — by one worker after the other;
  - the same files submitted again (every row unchanged: the idempotent path);
  - the floor: a bare COPY of the same CSV files into one plain table with text columns.
Each timed part starts after `sync` and a `CHECKPOINT`, so that writing the generated files
and the previous part's WAL do not spill into it.

With ``--chunked`` (issue #19 item 4) it measures instead one penalty file of ``--rows``
rows as ONE batch: applied in a single transaction (``XINYONG_CHUNK_ROWS=0``), then — on an
emptied records table — prepared in chunks of ``rows / workers`` by ``--workers`` processes
side by side and applied from staging in one transaction; outcomes must be equal.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench python bench/ingest_bench.py
  … python bench/ingest_bench.py --chunked --rows 200000 --workers 2 --subjects 100000
  (builds a 1,000,000-subject city first when the database has fewer subjects)
"""

import argparse
import csv
import itertools
import json
import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Records and what was ingested; CASCADE also empties the tables that cite records (list
# entries' basis, repair applications) in a database the other benchmarks share.
EMPTY = "TRUNCATE records_record, records_recordversion, ingest_batchrow, ingest_batch CASCADE"


def _init() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()


def _warm(_: int) -> int:
    return os.getpid()


def _process(batch_id: int) -> dict:
    """Process one submitted batch, as `xinyong db_worker` does; its timings."""
    from xinyong.ingest import services

    marks = []
    t = time.perf_counter()
    batch = services.batch_process(batch_id=batch_id, progress=lambda n: marks.append(n))
    assert batch.status == "done", batch.errors
    return {
        "item": batch.item_code,
        "rows": batch.total,
        "created": batch.created,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "chunks": len(marks),
        "seconds": round(time.perf_counter() - t, 2),
    }


def write_rows(path: Path, rows) -> None:
    """Rows (dicts with the same keys) to a CSV file with their header."""
    first = next(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(first))
        w.writeheader()
        w.writerow(first)
        w.writerows(rows)


def bare_copy(files) -> tuple[int, float]:
    """The floor: the CSV files COPYed into one plain table with text columns (dropped
    after); the rows copied and the seconds it took."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_plain_rows")
        width = max(len(p.open(encoding="utf-8").readline().split(",")) for p in files)
        cols = ", ".join(f"c{i} text" for i in range(width))
        cur.execute(f"CREATE TABLE bench_plain_rows ({cols})")
        copied = 0
        t = time.perf_counter()
        for path in files:
            n = len(path.open(encoding="utf-8").readline().split(","))
            target = ", ".join(f"c{i}" for i in range(n))
            with (
                path.open("rb") as f,
                cur.cursor.copy(
                    f"COPY bench_plain_rows ({target}) FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy,
            ):
                for block in iter(lambda f=f: f.read(1 << 20), b""):
                    copy.write(block)
            copied += sum(1 for _ in path.open(encoding="utf-8")) - 1
        bare = time.perf_counter() - t
        cur.execute("DROP TABLE bench_plain_rows")
    return copied, bare


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--out", help="write the JSON result here")
    ap.add_argument("--workers", type=int, default=2, help="worker processes (one per core)")
    ap.add_argument("--chunked", action="store_true", help="one batch: chunked vs single")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from xinyong.accounts.actors import SYSTEM
    from xinyong.demo.city import build_city, ensure_reference_data
    from xinyong.ingest import demo as records_demo
    from xinyong.ingest import services
    from xinyong.subjects import demo
    from xinyong.subjects.models import Subject

    assert connection.vendor == "postgresql", "this benchmark targets PostgreSQL"
    call_command("migrate", verbosity=0)
    ensure_reference_data()
    if Subject.objects.count() < args.subjects:
        t = time.perf_counter()
        build_city(seed=2026, total=args.subjects, chunk=100_000)
        print(f"city of {args.subjects:,} subjects built in {time.perf_counter() - t:.0f} s")
    with connection.cursor() as cur:
        cur.execute(EMPTY)
    work = Path("var/bench")
    work.mkdir(parents=True, exist_ok=True)
    half = args.rows // 2
    orgs = list(demo.organizations(2026, 0, half, kind="organization"))
    if args.chunked:  # the city's organisations only, several rows each: the same work twice
        orgs = list(demo.organizations(2026, 0, demo.split(args.subjects)["organization"]))
        orgs = orgs[: args.rows]
    files = {}
    t = time.perf_counter()
    items = (("administrative_licence", "licence"), ("administrative_penalty", "penalty"))
    for item, key in items[1:] if args.chunked else items:
        path = work / f"{key}.csv"
        rows = records_demo.org_rows(item, 2026, orgs)
        if args.chunked:
            rows = itertools.chain.from_iterable(
                records_demo.org_rows(item, 2026, orgs, start)
                for start in range(0, args.rows, len(orgs))
            )
            rows = itertools.islice(rows, args.rows)
        write_rows(path, rows)
        files[item] = path
    print(f"files generated in {time.perf_counter() - t:.0f} s")

    def settle() -> None:
        """Start each timed run on a quiet disk: the generated files written back and the
        previous run's WAL checkpointed (their I/O belongs to neither run)."""
        os.sync()
        with connection.cursor() as cur:
            cur.execute("CHECKPOINT")

    def run(label: str, pool=None) -> dict:
        """Submit both files, then process them: in this process one after the other (one
        worker), or in ``pool``'s worker processes at once (as two `xinyong db_worker`)."""
        settle()
        out = {"workers": pool._max_workers if pool else 1, "batches": []}
        t0 = time.perf_counter()
        submitted = []
        for item, path in files.items():
            provider = "SCJG" if item == "administrative_penalty" else records_demo.PROVIDERS[item]
            batch = services.batch_submit(
                actor=SYSTEM,
                item_code=item,
                channel="cli",
                file_format="csv",
                payload=path,
                file_name=path.name,
                provider_code=provider,
            )
            submitted.append(batch.pk)
        out["submit_s"] = round(time.perf_counter() - t0, 2)
        if pool:
            results = list(pool.map(_process, submitted))
        else:
            results = [_process(pk) for pk in submitted]
        elapsed = time.perf_counter() - t0
        out["batches"] = results
        rows = sum(b["rows"] for b in results)
        out.update(rows=rows, seconds=round(elapsed, 1), rows_per_s=round(rows / elapsed))
        print(label, json.dumps(out, ensure_ascii=False))
        return out

    def clear() -> None:
        with connection.cursor() as cur:
            cur.execute(EMPTY)

    if args.chunked:
        _chunked(args, files["administrative_penalty"], settle, clear)
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(args.workers, mp_context=ctx, initializer=_init) as pool:
        list(pool.map(_warm, range(args.workers)))  # workers started before the clock
        first = run(f"first submission, {args.workers} workers", pool)
        again = run(f"same files again, {args.workers} workers", pool)
    clear()
    single = run("first submission, 1 worker")
    settle()
    copied, bare = bare_copy(files.values())
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()} {os.cpu_count()} CPU",
        "python": platform.python_version(),
        "subjects": Subject.objects.count(),
        "first": first,
        "again": again,
        "single_worker": single,
        "bare_copy_rows_per_s": round(copied / bare),
        "ratio_to_bare_copy": round(first["rows_per_s"] / (copied / bare), 3),
        "ratio_single_worker_to_bare_copy": round(single["rows_per_s"] / (copied / bare), 3),
    }
    _write(args, result)


def _write(args, result: dict) -> None:
    """The run's JSON printed and, with ``--out``, written (its directory made)."""
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))


def _chunked(args, path: Path, settle, clear) -> None:
    """One batch of ``args.rows`` rows: single transaction, then chunked (same outcomes)."""
    from django.conf import settings

    from xinyong.accounts.actors import SYSTEM
    from xinyong.ingest import services

    runs = {}
    chunk_rows = max(-(-args.rows // args.workers), 1000)
    for label, rows in (("single", "0"), ("chunked", str(chunk_rows))):
        clear()
        settle()
        settings.XINYONG_CHUNK_ROWS, settings.XINYONG_CHUNK_WORKERS = rows, str(args.workers)
        t0 = time.perf_counter()
        batch = services.batch_submit(
            actor=SYSTEM, item_code="administrative_penalty", channel="cli", file_format="csv",
            payload=path, file_name=path.name, provider_code="SCJG",
        )  # fmt: skip
        out = _process(batch.pk)
        elapsed = time.perf_counter() - t0
        out.update(seconds=round(elapsed, 1), rows_per_s=round(out["rows"] / elapsed))
        runs[label] = out
        print(label, json.dumps(out, ensure_ascii=False))
    same = all(runs["single"][k] == runs["chunked"][k] for k in ("rows", "created", "rejected"))
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.node()} {os.cpu_count()} CPU",
        "python": platform.python_version(),
        "rows": args.rows,
        "workers": args.workers,
        "chunk_rows": chunk_rows,
        "runs": runs,
        "same_outcomes": same,
        "speedup": round(runs["single"]["seconds"] / runs["chunked"]["seconds"], 2),
    }
    _write(args, result)


if __name__ == "__main__":
    main()
