"""Benchmark of issue #19 item 1 (not part of the test suite): the records table plain,
hash-partitioned by subject in 16 and in 64 partitions — the hot paths on each — and the
check log's retention by dropping a month against deleting it.

Builds one database per layout (the product's schema by ``migrate``; the plain one turned
back with ``unpartition_table``, the 64-way one converted with a 64-partition spec), loads
the same records into each (``--records`` over ``--subjects``, 40 % negative, ten items,
five providers), ANALYZEs, then times, round-robin over the layouts:

- ``subject file``: a subject's 50 newest records (the subject page, the report);
- ``check probe``: is there a negative active record in the last 3 years (the check);
- ``record by id``: one record by its id (feedback, links, the API) — no pruning possible;
- ``source match``: 10,000 rows' (provider, item, source id) looked up as ingestion does
  (one LATERAL probe a row) — no pruning possible;

then the check log: ``--checks`` checks over 12 months, one month's retention by ``DELETE``
(plain) against ``DETACH`` + ``DROP`` of its partition; and the online conversion of the
plain records table to 16 partitions (rows copied, seconds under the exclusive lock).
Prints a table and writes ``bench/out/partitions_bench.json``.

Usage:  .venv/bin/python bench/partitions_bench.py [--records 2000000] [--subjects 200000]
"""

import argparse
import dataclasses
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BASE = os.environ.get("XINYONG_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
LAYOUTS = ("plain", "hash16", "hash64")


VAR = str(ROOT / "var" / "bench")


def sh_migrate(db: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"{BASE}/{db}", "XINYONG_VAR_DIR": VAR}
    subprocess.run([ROOT / ".venv/bin/xinyong", "migrate", "-v0"], env=env, check=True)  # noqa: S603


def django_on(db: str):
    os.environ["DATABASE_URL"] = f"{BASE}/{db}"
    os.environ.setdefault("XINYONG_VAR_DIR", VAR)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = db
    return connections["default"]


def load(conn, records: int, subjects: int) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO records_record (subject_id, provider_id, item_code, item_version_id, "
            "category, polarity, disclosure, source_id, version, status, data, decision_date, "
            "created_at, updated_at, channel, received_at, content_hash, withdraw_reason) "
            "SELECT (g::bigint * 7919) %% %s + 1, g %% 5 + 1, 'item_' || (g %% 10), 1, 'penalty', "
            "CASE WHEN g %% 5 < 2 THEN 'negative' ELSE 'neutral' END, 'public', 's' || g, 1, "
            "'active', jsonb_build_object('n', g, 'text', repeat('x', 120)), "
            "date '2020-01-01' + (g %% 2500), now(), now(), 'api', now(), md5(g::text), '' "
            "FROM generate_series(1, %s) g",
            [subjects, records],
        )
        cur.execute("ANALYZE records_record")
    conn.commit()


def timed(conn, sql: str, params: list, n: int) -> dict:
    samples = []
    with conn.cursor() as cur:
        for p in params[:n]:
            t = time.perf_counter()
            cur.execute(sql, p)
            cur.fetchall()
            samples.append((time.perf_counter() - t) * 1000)
    conn.rollback()
    samples.sort()
    return {"p50_ms": round(samples[len(samples) // 2], 3),
            "p99_ms": round(samples[int(len(samples) * 0.99)], 3),
            "mean_ms": round(statistics.fmean(samples), 3)}  # fmt: skip


QUERIES = {
    "subject file": "SELECT id, item_code, decision_date, data FROM records_record "
    "WHERE subject_id = %s ORDER BY decision_date DESC LIMIT 50",
    "check probe": "SELECT 1 FROM records_record WHERE subject_id = %s AND polarity = "
    "'negative' AND status = 'active' AND decision_date >= date '2024-01-01' LIMIT 1",
    "record by id": "SELECT data FROM records_record WHERE id = %s",
}
MATCH_KEYED = (  # the product's lookup on partitioned records (ingest/apply.py)
    "SELECT count(r.id) FROM (SELECT 's' || g AS source_id, 'item_' || (g %% 10) AS item, "
    "g %% 5 + 1 AS provider FROM unnest(%s::bigint[]) g) x LEFT JOIN records_record__unique r "
    "ON r.provider_id = x.provider AND r.item_code = x.item AND r.source_id = x.source_id"
)
MATCH = (
    "SELECT count(r.id) FROM (SELECT 's' || g AS source_id, 'item_' || (g %% 10) AS item, "
    "g %% 5 + 1 AS provider FROM unnest(%s::bigint[]) g) x LEFT JOIN LATERAL (SELECT r.id "
    "FROM records_record r WHERE r.provider_id = x.provider AND r.item_code = x.item "
    "AND r.source_id = x.source_id LIMIT 1) r ON true"
)


def is_partitioned_now(dj, table: str) -> bool:
    from xinyong.core.partitions import is_partitioned

    with dj.cursor() as cur:
        return is_partitioned(cur, table)


def use(dj, db: str) -> None:
    """Point Django's connection (the partition functions use it) at ``db``."""
    dj.close()
    dj.settings_dict["NAME"] = db


def checks_retention(conn, checks: int, partitioned: bool, dj=None) -> float:
    """Seconds to remove the oldest of 12 months of checks."""
    with conn.cursor() as cur:
        cur.execute("TRUNCATE sanctions_creditcheck")
        cur.execute(
            "INSERT INTO sanctions_creditcheck (at, department_id, actor, matter, query, "
            "status, hits, result) SELECT date_trunc('month', now()) - interval '11 months' "
            "+ (g %% 360) * interval '1 day', 1, 'bench', 'm', 'q' || g, 'clear', 0, '{}' "
            "FROM generate_series(1, %s) g",
            [checks],
        )
        conn.commit()
        if partitioned:  # the months the load put in the default partition get their own
            from xinyong.core.partitions.months import partitions_ensure

            use(dj, "xy_partbench_hash16")
            partitions_ensure()
        cur.execute("ANALYZE sanctions_creditcheck")
        conn.commit()
        cur.execute("SELECT date_trunc('month', min(at))::date FROM sanctions_creditcheck")
        month = cur.fetchone()[0]
        t = time.perf_counter()
        if partitioned:
            name = f"sanctions_creditcheck_y{month.year}m{month.month:02d}"
            cur.execute(f"ALTER TABLE sanctions_creditcheck DETACH PARTITION {name}")
            cur.execute(f"DROP TABLE {name}")
        else:
            cur.execute(
                "DELETE FROM sanctions_creditcheck WHERE at < %s::date + interval '1 month'",
                [month],
            )
            assert cur.rowcount > 0
        conn.commit()
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2_000_000)
    ap.add_argument("--subjects", type=int, default=200_000)
    ap.add_argument("--samples", type=int, default=2000)
    ap.add_argument("--checks", type=int, default=1_200_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reuse", action="store_true", help="the databases of a previous run")
    args = ap.parse_args()
    out: dict = {"machine": platform.node(), "cpus": os.cpu_count(), "args": vars(args),
                 "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}  # fmt: skip
    dj = None
    if not args.reuse:
        admin = psycopg.connect(f"{BASE}/postgres", autocommit=True)
        for layout in LAYOUTS:
            db = f"xy_partbench_{layout}"
            admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {db}")
            sh_migrate(db)
    dj = django_on("xy_partbench_plain")
    from xinyong.core.partitions import spec_for
    from xinyong.core.partitions.convert import partition_table, unpartition_table

    if not args.reuse or is_partitioned_now(dj, "records_record"):
        unpartition_table(spec_for("records_record"))
    if not args.reuse:
        unpartition_table(spec_for("sanctions_creditcheck"))
        use(dj, "xy_partbench_hash64")
        unpartition_table(spec_for("records_record"))
        partition_table(dataclasses.replace(spec_for("records_record"), partitions=64))
    conns = {lay: psycopg.connect(f"{BASE}/xy_partbench_{lay}") for lay in LAYOUTS}
    out["load_s"] = {}
    for lay, conn in conns.items():
        if args.reuse:
            break
        t = time.perf_counter()
        load(conn, args.records, args.subjects)
        out["load_s"][lay] = round(time.perf_counter() - t, 1)
        print(f"loaded {lay}: {out['load_s'][lay]} s", flush=True)
    rnd = random.Random(19)
    subjects = [[rnd.randint(1, args.subjects)] for _ in range(args.samples)]
    ids = [[rnd.randint(1, args.records)] for _ in range(args.samples)]
    params = {"subject file": subjects, "check probe": subjects, "record by id": ids}
    keys = [rnd.randint(1, args.records) for _ in range(10_000)]
    results: dict = {lay: {q: [] for q in [*QUERIES, "source match"]} for lay in LAYOUTS}
    for _ in range(args.rounds):
        for lay, conn in conns.items():
            for q, sql in QUERIES.items():
                results[lay][q].append(timed(conn, sql, params[q], args.samples))
            for name, sql in (("source match", MATCH), ("source match, key table", MATCH_KEYED)):
                if lay == "plain" and sql is MATCH_KEYED:
                    continue
                with conn.cursor() as cur:
                    t = time.perf_counter()
                    cur.execute(sql, [keys])
                    assert cur.fetchone()[0] == len(keys)
                    results[lay].setdefault(name, []).append(
                        {"total_ms": round((time.perf_counter() - t) * 1000, 1)}
                    )
                conn.rollback()
    best = {
        lay: {q: min(runs, key=lambda r: r.get("p50_ms", r.get("total_ms")))
              for q, runs in qs.items()}
        for lay, qs in results.items()
    }  # fmt: skip
    out["queries"] = best
    print(json.dumps(best, indent=1), flush=True)
    out["retention_s"] = {
        "plain DELETE of one month": round(checks_retention(conns["plain"], args.checks, False), 3),
        "partitioned DROP of one month": round(
            checks_retention(conns["hash16"], args.checks, True, dj), 3
        ),
    }
    # online conversion of the plain table (the migration path of an existing database)
    use(dj, "xy_partbench_plain")
    for conn in conns.values():
        conn.close()
    t = time.perf_counter()
    done = partition_table(spec_for("records_record"), online=True)
    out["online_conversion"] = {**done, "seconds": round(time.perf_counter() - t, 1)}
    unpartition_table(spec_for("records_record"))  # plain again for the next --reuse
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/partitions_bench.json").write_text(json.dumps(out, indent=2, default=str))
    print(json.dumps(out, indent=2, default=str))


if __name__ == "__main__":
    main()
