"""Benchmark of issue #17 item 7 (not part of the test suite): every query of the statistics
dashboards and the scorecards, timed on the database it is pointed at — best the city of
``bench/stats_data.py`` (1,000,000 subjects, 10,000,000 records and two years of checks,
feedback, tasks, publications, objections, repairs, commitments, grades and inspections),
or the credit-report benchmark's (``bench/report_data.py``). Target: each query ≤ 1 s.

Each chart is computed as the credit office sees it (every department) and as one
department's clerk sees it, for the last twelve months and for a five-year period,
``--repeat`` times each (the median and the worst are reported); then the scorecards (a
month of every department, a department's own month, its twelve-month trend, and each
figure's query alone); then, to show why the rollups are there, the records and checks
charts and dual publicity without them (the live GROUP BYs); and the portal's public
figures, uncached.

It writes nothing but the statistics' own tables: ``migrate`` (the rollup tables and the
statistics' indexes), the rollups rebuilt from the records, the checks and the publications
(timed), ``ANALYZE`` of them. Results are printed and written to
``bench/out/stats_bench.json``.

Usage:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xinyong_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/stats_bench.py [--repeat 3] [--no-rebuild]
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-rebuild", action="store_true", help="keep the rollup as it is")
    ap.add_argument("--charts", help="comma-separated chart keys (default: every chart)")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xinyong.accounts.actors import Actor
    from xinyong.accounts.choices import ActorKind, Role
    from xinyong.accounts.models import Department
    from xinyong.records.models import Record
    from xinyong.stats import rollups, selectors
    from xinyong.stats.schemas import StatsFilter, default_period

    call_command("migrate", verbosity=0)
    out: dict = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()} ({os.cpu_count()} CPU), {connection.vendor}",
    }
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'records_record'")
        out["records_estimate"] = cur.fetchone()[0] if connection.vendor == "postgresql" else None
    if not args.no_rebuild:
        t = time.perf_counter()
        rows = rollups.records_rollup_refresh(rebuild=True)
        out["rollup_rebuild_s"] = round(time.perf_counter() - t, 2)
        out["rollup_rows"] = rows
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE stats_recorddaily")
        t = time.perf_counter()
        rollups.records_rollup_refresh()
        out["rollup_refresh_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        out["checks_rollup_rows"] = rollups.checks_rollup_refresh(rebuild=True)
        out["checks_rollup_rebuild_s"] = round(time.perf_counter() - t, 2)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE stats_checkdaily")
        t = time.perf_counter()
        rollups.checks_rollup_refresh()
        out["checks_rollup_refresh_s"] = round(time.perf_counter() - t, 2)
        print(f"checks rollup rebuilt: {out['checks_rollup_rows']} rows in "
              f"{out['checks_rollup_rebuild_s']} s; a refresh right after: "
              f"{out['checks_rollup_refresh_s']} s")  # fmt: skip
        t = time.perf_counter()
        out["publication_rollup_rows"] = rollups.publications_rollup_rebuild()
        out["publication_rollup_rebuild_s"] = round(time.perf_counter() - t, 2)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE stats_publicationdaily")
        print(f"publication rollup rebuilt: {out['publication_rollup_rows']} rows in "
              f"{out['publication_rollup_rebuild_s']} s")  # fmt: skip
        print(f"rollup rebuilt: {rows} rows in {out['rollup_rebuild_s']} s; "
              f"an incremental refresh right after: {out['rollup_refresh_s']} s")  # fmt: skip

    # a clerk of the market regulator (the department with the most records in the bench)
    dept = Department.objects.filter(code="SCJG").first() or Department.objects.first()
    office = Actor(kind=ActorKind.USER, label="bench-office", role=Role.PLATFORM_OPERATOR)
    clerk = Actor(kind=ActorKind.USER, label="bench-clerk", role=Role.DEPARTMENT_OPERATOR,
                  department_id=dept.pk)  # fmt: skip
    today = timezone.localdate()
    start, end = default_period(today)
    periods = {
        "12 months": StatsFilter(start, end),
        "5 years": StatsFilter(end - datetime.timedelta(days=5 * 365), end),
    }

    def timed(fn) -> tuple[float, float]:
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times), max(times)

    results = []
    print(f"{'chart':<12} {'who':<8} {'period':<10} {'median s':>9} {'max s':>7}")
    for key in args.charts.split(",") if args.charts else selectors.CHART_KEYS:
        for who, actor in (("office", office), ("clerk", clerk)):
            for pname, f in periods.items():
                med, worst = timed(lambda: selectors.dashboard(actor=actor, f=f, only=key))  # noqa: B023
                results.append({"chart": key, "who": who, "period": pname,
                                "median_s": round(med, 3), "max_s": round(worst, 3)})  # fmt: skip
                print(f"{key:<12} {who:<8} {pname:<10} {med:>9.3f} {worst:>7.3f}")
    out["charts"] = results

    # the scorecards (跟踪问效): a month's cards of every department as the credit office
    # opens them, one department's twelve-month trend, and each figure's query alone
    from xinyong.core.localday import day_start
    from xinyong.stats import scorecards

    month = scorecards.last_month(today)
    cards_timing = {}
    for name, fn in (
        ("month, every department (office)",
         lambda: scorecards.month_cards(actor=office, month=month)),
        ("month, own department (clerk)",
         lambda: scorecards.month_cards(actor=clerk, month=month)),
        ("12-month trend of one department",
         lambda: scorecards.trend(actor=office, code=dept.code, month=month)),
    ):  # fmt: skip
        med, worst = timed(fn)
        cards_timing[name] = {"median_s": round(med, 3), "max_s": round(worst, 3)}
        print(f"scorecards, {name}: {med:.3f} s (max {worst:.3f})")
    bounds = [day_start(scorecards.shift(month, i)) for i in (-1, 0, 1)]
    days = [scorecards.shift(month, i) for i in (-1, 0, 1)]
    ids = [d.pk for d in scorecards.departments_for(office)]
    for name, fn in (
        ("publicity", lambda: scorecards._publicity(bounds, ids)),
        ("accepted", lambda: scorecards._accepted(bounds, ids)),
        ("check_feedback", lambda: scorecards._check_feedback(bounds, ids)),
        ("task_feedback", lambda: scorecards._task_feedback(bounds, ids)),
        ("commitments", lambda: scorecards._checked(days, ids)),
    ):
        med, worst = timed(fn)
        cards_timing[f"figure {name}"] = {"median_s": round(med, 3), "max_s": round(worst, 3)}
        print(f"  scorecard figure {name}, two months: {med:.3f} s (max {worst:.3f})")
    out["scorecards"] = cards_timing

    # the records chart without the rollup: the live GROUP BY over every record of the period
    f = periods["12 months"]
    since, until = f.window()
    live = Record.objects.filter(created_at__gte=since, created_at__lt=until)
    med, worst = timed(lambda: list(rollups.daily_counts(live)))
    out["records_live_without_rollup"] = {"median_s": round(med, 3), "max_s": round(worst, 3)}
    print(f"records chart without the rollup (live GROUP BY): {med:.3f} s (max {worst:.3f})")

    # the checks chart without its rollup: the live GROUP BY with its feedback test
    from xinyong.sanctions.models import CreditCheck

    live = CreditCheck.objects.filter(at__gte=since, at__lt=until)
    med, worst = timed(lambda: list(rollups.check_counts(live)))
    out["checks_live_without_rollup"] = {"median_s": round(med, 3), "max_s": round(worst, 3)}
    print(f"checks chart without the rollup (live GROUP BY): {med:.3f} s (max {worst:.3f})")

    # the dual-publicity chart without its rollup: the timeliness report over the publications
    from xinyong.disclosure.selectors import timeliness_report

    for pname, f in periods.items():
        med, worst = timed(
            lambda f=f: timeliness_report(actor=office, date_from=f.date_from, date_to=f.date_to)
        )
        out[f"publicity_live_without_rollup_{pname}"] = {"median_s": round(med, 3),
                                                         "max_s": round(worst, 3)}  # fmt: skip
        print(f"publicity ({pname}) without the rollup: {med:.3f} s (max {worst:.3f})")

    from django.core.cache import cache

    def public():
        cache.delete("stats:public_figures")
        selectors.public_figures()

    med, worst = timed(public)
    out["public_figures_uncached"] = {"median_s": round(med, 3), "max_s": round(worst, 3)}
    print(f"public figures, uncached: {med:.3f} s (max {worst:.3f})")
    over = [r for r in results if r["max_s"] > 1.0]
    over += [{"scorecards": k, **v} for k, v in cards_timing.items() if v["max_s"] > 1.0]
    out["over_1s"] = over
    print("every chart ≤ 1 s" if not over else f"{len(over)} over 1 s: {over}")
    path = ROOT / "bench" / "out" / "stats_bench.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
