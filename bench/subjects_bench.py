"""Benchmark of issue #2 (not part of the test suite).

Builds a city of N subjects (default 1,000,000) in a fresh database through the same
bulk loader the demo city uses, then measures:
  - load rate: subjects/s through ``subjects_bulk_load_many`` (the demo city's loader: every
    index, trigger and audit event live), then related persons and registration reports as a
    second phase; generation of the rows excluded; a bare COPY of the same rows as the floor;
  - exact-code lookup p50/p99 through ``subject_by_uscc``;
  - name search p50/p99 through ``subject_search`` for 2- and 4-character queries;
  - USCC validation rate, single-code and vectorised.

Usage (one backend per process; both in one run with bench/run_subjects.sh):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench python bench/subjects_bench.py
  python bench/subjects_bench.py --sqlite var/bench/bench.sqlite3
  add --queries-only to re-measure lookups and search on the city already loaded
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=1_000_000)
    ap.add_argument("--chunk", type=int, default=100_000)
    ap.add_argument("--sqlite", help="path of a fresh SQLite file (else DATABASE_URL)")
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--out", help="write the JSON result here")
    ap.add_argument(
        "--queries-only",
        action="store_true",
        help="measure lookups and search on the city already loaded (no reload)",
    )
    args = ap.parse_args()
    if args.sqlite and not args.queries_only:
        os.environ.pop("DATABASE_URL", None)
        os.environ["XINYONG_VAR_DIR"] = str(Path(args.sqlite).resolve().parent)
        for suffix in ("", "-wal", "-shm"):
            Path(args.sqlite + suffix).unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django
    from django.conf import settings

    if args.sqlite:
        settings.DATABASES["default"]["NAME"] = str(Path(args.sqlite).resolve())
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql" and not args.queries_only:
        _recreate_postgres_db(connection)
    call_command("migrate", verbosity=0)

    from xinyong.accounts.actors import SYSTEM
    from xinyong.demo.city import _defect_reports, _org_load, _related, ensure_reference_data
    from xinyong.subjects import demo
    from xinyong.subjects.bulk import PersonLoad, subjects_bulk_load_many
    from xinyong.subjects.identifiers import uscc_valid_many, validate_uscc
    from xinyong.subjects.models import Subject
    from xinyong.subjects.selectors import subject_by_uscc, subject_search

    seed, n = 2026, args.subjects
    depts, _ = ensure_reference_data()
    sizes = demo.split(n)
    result: dict = {
        "backend": connection.vendor,
        "subjects": n,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }

    if args.queries_only:
        codes = list(
            Subject.objects.exclude(uscc=None).values_list("uscc", flat=True)[: args.queries * 20]
        )
    else:
        # Generation (not part of the load rates) first; then the subjects themselves
        # (organisations, individual businesses, persons, all indexes live), then what links them
        # (related persons, other departments' registration reports), each timed on its own.
        gen_s = 0.0
        codes: list[str] = []
        subject_chunks, link_chunks = [], []
        for kind in ("organization", "individual_business"):
            for start in range(0, sizes[kind], args.chunk):
                t = time.perf_counter()
                stop = min(start + args.chunk, sizes[kind])
                rows = list(demo.organizations(seed, start, stop, kind=kind))
                subject_chunks.append({"organizations": [_org_load(r, depts) for r in rows]})
                link_chunks.append(
                    {
                        "related": _related(seed, rows, sizes["person"], depts),
                        "registrations": _defect_reports(rows, depts["SW"].pk)
                        if kind == "organization"
                        else [],
                    }
                )
                gen_s += time.perf_counter() - t
                codes.extend(r.uscc for r in rows)
        for start in range(0, sizes["person"], args.chunk):
            t = time.perf_counter()
            stop = min(start + args.chunk, sizes["person"])
            people = [PersonLoad(p.resident_id, p.name) for p in demo.persons(seed, start, stop)]
            gen_s += time.perf_counter() - t
            subject_chunks.append({"persons": people})

        # Each phase pipelined: the next chunk is prepared in a thread while one is written.
        def report(result) -> None:
            report.done += result.subjects_inserted
            rate = report.done / (time.perf_counter() - t0)
            print(f"  subjects {report.done:,}: {rate:,.0f}/s", file=sys.stderr)

        report.done = 0
        t0 = time.perf_counter()
        inserted = subjects_bulk_load_many(
            actor=SYSTEM, chunks=subject_chunks, progress=report
        ).subjects_inserted
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        related = subjects_bulk_load_many(actor=SYSTEM, chunks=link_chunks).related_inserted
        link_s = time.perf_counter() - t0
        if connection.vendor == "postgresql":
            result["bare_copy_per_s"] = _bare_copy_rate(connection, subject_chunks)
        subject_chunks.clear()
        link_chunks.clear()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE subjects_subject")
        result.update(
            generated_per_s=round(n / gen_s),
            load_seconds=round(load_s, 1),
            load_per_s=round(inserted / load_s),
            inserted=inserted,
            related_persons=related,
            related_seconds=round(link_s, 1),
            related_per_s=round(related / link_s),
            city_total_seconds=round(load_s + link_s, 1),
        )

    rng = random.Random(1)
    # Exact-code lookup, as the API and the credit check do it.
    sample = rng.sample(codes, min(args.queries, len(codes)))
    for c in sample[:200]:
        subject_by_uscc(c)  # warm-up
    lat = []
    for c in sample:
        t = time.perf_counter()
        assert subject_by_uscc(c) is not None
        lat.append((time.perf_counter() - t) * 1000)
    result["exact_lookup_ms"] = {
        "p50": round(statistics.median(lat), 3),
        "p99": round(percentile(lat, 99), 3),
    }

    # Name search: 2-character trade names / industries, 4-character combinations.
    two = [a + b for a in "华泰恒瑞鑫盛达祥隆兴信诚博远宏康" for b in "科技信息达华源泰"]
    two += [
        "科技",
        "建设",
        "商贸",
        "物流",
        "医药",
        "食品",
        "贸易",
        "协会",
        "合作",
        "五金",
        "理发",
        "便利",
    ]
    four = [
        "网络科技",
        "建设工程",
        "物业管理",
        "餐饮管理",
        "医疗器械",
        "文化传媒",
        "园林绿化",
        "汽车销售",
        "农业发展",
        "投资管理",
        "健康管理",
        "装饰工程",
        "环保科技",
        "人力资源",
    ]
    four += [a + b + "科技" for a in "华泰恒瑞鑫盛" for b in "达祥隆兴"]
    four += _sample_names(connection, rng, 40)
    for label, queries in (("name_search_2char_ms", two), ("name_search_4char_ms", four)):
        lat, hits = [], 0
        qs = [rng.choice(queries) for _ in range(args.queries)]
        for q in qs[:100]:
            subject_search(q=q)
        for q in qs:
            t = time.perf_counter()
            page = subject_search(q=q)
            lat.append((time.perf_counter() - t) * 1000)
            hits += bool(page.results)
        worst = sorted(zip(lat, qs, strict=True), reverse=True)[:5]
        print(f"  slowest {label}: " + ", ".join(f"{q} {t:.1f}" for t, q in worst), file=sys.stderr)
        result[label] = {
            "p50": round(statistics.median(lat), 3),
            "p99": round(percentile(lat, 99), 3),
            "queries": len(qs),
            "with_results": hits,
        }

    if args.queries_only and args.out and Path(args.out).exists():
        loaded = json.loads(Path(args.out).read_text())  # keep the load figures of that run
        result = {**loaded, **{k: v for k, v in result.items() if k != "date"}}
        result["queries_date"] = time.strftime("%Y-%m-%d %H:%M")

    # Validation rate.
    vcodes = (codes * (1_000_000 // max(len(codes), 1) + 1))[:1_000_000]
    t = time.perf_counter()
    for c in vcodes:
        validate_uscc(c)
    result["validate_single_per_s"] = round(len(vcodes) / (time.perf_counter() - t))
    t = time.perf_counter()
    ok = uscc_valid_many(vcodes)
    result["validate_vectorised_per_s"] = round(len(vcodes) / (time.perf_counter() - t))
    assert ok.all()

    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2))


def _sample_names(connection, rng, k: int) -> list[str]:
    """4-character slices of real names in the database (what a person would type)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name FROM subjects_subject WHERE kind <> 'person' ORDER BY id LIMIT 5000"
        )
        names = [r[0] for r in cur.fetchall()]
    out = []
    for name in rng.sample(names, min(k, len(names))):
        i = rng.randrange(max(1, len(name) - 4))
        out.append(name[i : i + 4])
    return out


def _bare_copy_rate(connection, chunks) -> int:
    """Floor for comparison, in the same run: the same subject rows, already formatted, COPYed
    into one plain table with no index, trigger or constraint."""
    from xinyong.core.bulkcopy import copy_line

    lines = []
    for chunk in chunks:
        for o in chunk.get("organizations", []):
            row = (o.kind, o.name, o.uscc, None, None, None, "", o.status, o.legal_form)
            lines.append(copy_line((*row, o.established_on, o.address, o.department_id)))
        for p in chunk.get("persons", []):
            row = ("person", p.name, None, "resident_id", "x" * 64, "y" * 80, "", "active", "")
            lines.append(copy_line((*row, None, "", None)))
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_plain")
        cur.execute(
            "CREATE TABLE bench_plain (kind text, name text, uscc text, id_type text, "
            "id_hash text, id_encrypted text, id_masked text, status text, legal_form text, "
            "established_on date, address text, source_department_id bigint)"
        )
        t = time.perf_counter()
        with cur.cursor.copy("COPY bench_plain FROM STDIN") as copy:
            for i in range(0, len(lines), 100_000):
                copy.write("".join(lines[i : i + 100_000]))
        elapsed = time.perf_counter() - t
        cur.execute("DROP TABLE bench_plain")
    return round(len(lines) / elapsed)


def _recreate_postgres_db(connection) -> None:
    import psycopg

    name = connection.settings_dict["NAME"]
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    connection.close()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
        )


if __name__ == "__main__":
    main()
