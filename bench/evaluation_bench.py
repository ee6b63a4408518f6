"""Benchmark of issue #16 item 9 (not part of the test suite): the public credit evaluation
on PostgreSQL at city scale — a full run over every organisation, then an incremental run
after 10,000 changed records — beside a bare aggregate query over the same records in the
same run (the ratio says what the evaluation costs beyond reading the data once).

Data: the database of `bench/report_data.py` (1,000,000 subjects, 10,000,000 records, the
list entries), migrated to this code. The changed records: 10,000 active penalties picked
at random are withdrawn set-based (status and ``updated_at``, as a withdrawal leaves them),
then put back after the measurement.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/evaluation_bench.py [--changed 10000]
Writes bench/out/evaluation_bench.json.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn):
    """What ``fn()`` returns and the seconds it took (shared by bench/engines_bench.py)."""
    t = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t, 2)


def city_start(*, load: bool = False) -> dict:
    """Django started on the benchmark city's database: the output's header (date, machine
    — with the load average when asked), the city's records and organisations counted after
    ANALYZE, and the runs left queued or running marked failed (a new run would wait on
    them). Shared by bench/engines_bench.py."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.db import connection

    from xinyong.evaluation.models import EvaluationRun

    machine = f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}"
    if load:
        machine += f", load {os.getloadavg()[0]:.1f}"
    out: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": machine}
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        cur.execute("SELECT count(*) FROM records_record")
        out["records"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM subjects_subject WHERE kind <> 'person'")
        out["organisations"] = cur.fetchone()[0]
    EvaluationRun.objects.filter(status__in=("queued", "running")).update(status="failed")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changed", type=int, default=10_000)
    args = ap.parse_args()
    out = city_start()
    from django.db import connection
    from django.utils import timezone

    from xinyong.accounts.actors import SYSTEM
    from xinyong.evaluation import services
    from xinyong.evaluation.engine import run_execute
    from xinyong.evaluation.facts import facts_rows

    def bare():
        with connection.cursor() as cur:
            cur.execute("SELECT count(*), sum(n) FROM (SELECT subject_id, count(*) AS n "
                        "FROM records_record WHERE status = 'active' "
                        "GROUP BY subject_id) x")  # fmt: skip
            return cur.fetchone()

    def facts_only():  # the facts query, streamed and read into facts (no scoring)
        return sum(1 for _ in facts_rows(timezone.localdate()))

    _, out["bare_aggregate_s"] = timed(bare)
    _, out["facts_query_s"] = timed(facts_only)

    def full():
        run = services.run_request(actor=SYSTEM, kind="full")
        return run_execute(run.pk)

    run, out["full_run_s"] = timed(full)
    out["full_run"] = {"status": run.status, "subjects": run.subjects_done,
                       "grades_changed": run.grades_changed, "error": run.error}  # fmt: skip
    out["ratio_full_to_bare"] = round(out["full_run_s"] / out["bare_aggregate_s"], 1)
    with connection.cursor() as cur:
        cur.execute("SELECT grade, count(*) FROM evaluation_subjectgrade GROUP BY grade "
                    "ORDER BY grade")  # fmt: skip
        out["grades"] = dict(cur.fetchall())
        cur.execute(
            "CREATE TEMPORARY TABLE bench_changed AS SELECT id FROM records_record "
            "WHERE status = 'active' AND item_code = 'administrative_penalty' "
            "ORDER BY md5(id::text) LIMIT %s", [args.changed],
        )  # fmt: skip
        cur.execute("UPDATE records_record SET status = 'withdrawn', updated_at = now() "
                    "WHERE id IN (SELECT id FROM bench_changed)")  # fmt: skip

    def incremental():
        run = services.run_request(actor=SYSTEM, kind="incremental")
        return run_execute(run.pk)

    try:
        run, out["incremental_run_s"] = timed(incremental)
        out["incremental_run"] = {"status": run.status, "subjects": run.subjects_done,
                                  "grades_changed": run.grades_changed}  # fmt: skip
    finally:
        with connection.cursor() as cur:
            cur.execute("UPDATE records_record SET status = 'active' "
                        "WHERE id IN (SELECT id FROM bench_changed)")  # fmt: skip
    (ROOT / "bench/out").mkdir(exist_ok=True)
    (ROOT / "bench/out/evaluation_bench.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
