"""Benchmark of the double-random draw (issue #16 item 9: a draw of 10,000 tasks from
1,000,000 subjects ≤ 2 s on PostgreSQL), not part of the test suite.

Times, on the subjects already in the database named by DATABASE_URL (or, with
``--subjects N``, a demo city of N subjects built there first by ``xinyong demo_city``):

- freeze: the candidate list of every organisation and individual business with its class
  (public grade ⊕ sector grades, one INSERT … SELECT), the pools, the exclusions, the
  digests and the sealed seed (``services.plan_freeze``);
- draw: ``services.plan_draw`` — the seeded picks, reading only the picked rows, the
  inspectors per task, the tasks written (the number the issue bounds);
- verify: the re-run anyone can do from the whole frozen list (``selectors.draw_verify``).

One bench inspection item whose ratio ranges are 0–100 % in every class, so that ratios of
1 % give about 10,000 tasks from 1,000,000 subjects (``--percent``), and a pool of 50
inspectors of the item's department. The bench's plan, item and inspectors are removed at
the end unless ``--keep``.

Usage:
  createdb -h 127.0.0.1 -U postgres -T template0 -E UTF8 --lc-ctype=C.UTF-8 xy_draw_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_draw_bench \\
      python bench/draw_bench.py --subjects 100000 [--percent 1] [--keep]
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BADGE = "BENCH"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=0, help="build a demo city of N first")
    parser.add_argument("--percent", type=int, default=1, help="ratio of every class (%%)")
    parser.add_argument("--inspectors", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="keep the bench's plan and pool")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.models import Department
    from xinyong.supervision import selectors, services
    from xinyong.supervision.models import InspectionItem, InspectionPlan, Inspector

    settings.XINYONG_SUPERVISION_MAX_TASKS = 10**7
    call_command("migrate", verbosity=0)
    if args.subjects:
        call_command("demo_city", subjects=args.subjects, quiet=True)
    dept = Department.objects.order_by("pk").first()
    if dept is None:
        sys.exit("no department: build a demo city first (--subjects N)")
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM subjects_subject WHERE kind <> 'person'")
        subjects = cur.fetchone()[0]
        cur.execute("SELECT COUNT(*) FROM evaluation_subjectgrade")
        graded = cur.fetchone()[0]
    every = {"min": 0, "max": 100, "frequency": "as_needed"}
    item = services.inspection_item_save(
        actor=SYSTEM, name="基准测试抽查事项", legal_basis="基准测试",
        target_kinds=["organization", "individual_business"], method="on_site",
        tiers={c: dict(every) for c in "ABCD"}, department_code=dept.code,
    )  # fmt: skip
    for i in range(args.inspectors):
        services.inspector_save(actor=SYSTEM, name=f"基准{i}", badge=f"{BADGE}{i:04d}",
                                department_code=dept.code)  # fmt: skip
    today = timezone.localdate()
    plan = services.plan_create(
        actor=SYSTEM, name="基准测试计划", item_ids=[item.pk],
        ratios={c: args.percent for c in "ABCD"}, inspectors_per_department=2,
        period_start=today, period_end=today,
    )  # fmt: skip
    timings = {}
    t = time.perf_counter()
    plan = services.plan_freeze(actor=SYSTEM, plan_id=plan.pk)
    timings["freeze"] = time.perf_counter() - t
    t = time.perf_counter()
    plan = services.plan_draw(actor=SYSTEM, plan_id=plan.pk)
    timings["draw"] = time.perf_counter() - t
    plan = services.plan_seed_publish(actor=SYSTEM, plan_id=plan.pk)
    t = time.perf_counter()
    result = selectors.draw_verify(plan)
    timings["verify"] = time.perf_counter() - t
    print(f"{platform.node()} {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"subjects (not persons) {subjects:,}; with a public grade {graded:,}")
    print(f"candidates {plan.candidate_count:,} by class {plan.class_counts}")
    print(f"tasks {plan.task_count:,} ({args.percent} % of each class, 2 inspectors of "
          f"{args.inspectors})")  # fmt: skip
    for name, seconds in timings.items():
        print(f"{name:7s} {seconds:7.3f} s")
    print(f"re-run identical: {result.ok}")
    if not args.keep:
        with connection.cursor() as cur:  # a million candidates: not through the ORM
            for table in ("supervision_plancandidate", "supervision_planexclusion"):
                cur.execute(f"DELETE FROM {table} WHERE plan_id = %s", [plan.pk])
            cur.execute("DELETE FROM supervision_taskinspector WHERE task_id IN "
                        "(SELECT id FROM supervision_inspectiontask WHERE plan_id = %s)",
                        [plan.pk])  # fmt: skip
        InspectionPlan.objects.filter(pk=plan.pk).delete()
        Inspector.objects.filter(badge__startswith=BADGE, department=dept).delete()
        InspectionItem.objects.filter(pk=item.pk).delete()


if __name__ == "__main__":
    main()
