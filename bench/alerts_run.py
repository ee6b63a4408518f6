"""Benchmark of early warning's full rules run (issue #18 item 4), not part of the test suite.

Loads N subjects (a demo city of N subjects by ``demo.city.build_city``: organisations,
individual businesses, persons and related persons; nothing else) and gives every
organisation and individual business two evaluation results and a current grade, written
set-based (INSERT … SELECT): 5 % of them fell one grade. Then times the full rules run
(``alerts.run.alerts_run``: the five seeded rules — the other four find nothing here, no
commitments, penalties or listings being loaded — so the run is the grade rule's):

1. first run: raises an alert for each subject whose grade fell;
2. second run, nothing changed: writes nothing;
3. after a re-evaluation (a third result for 7.5 % of the subjects: half of the fallen ones
   back to their old grade, 5 % newly fallen): closes the recovered subjects' alerts
   automatically (one UPDATE) and raises the new ones.

Each run is timed with its statement count (a query per subject would show there), and the
grade evaluator alone beside the form it had before (correlated subqueries repeated in the
select list and the WHERE clause, no pruning by grade), on the same data.

Usage (a database of its own; ``--subjects 1000000`` for the city-scale run):
  createdb -h 127.0.0.1 -U postgres -T template0 -E UTF8 --lc-ctype=C.UTF-8 xy_alerts_bench
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xy_alerts_bench XINYONG_VAR_DIR=var/bench \\
      .venv/bin/python bench/alerts_run.py [--subjects 2000]
Writes bench/out/alerts_run.json.
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODEL = "alerts_bench"
GRADES = ["A", "B", "C", "D"]
# Result "runs" of the bench (the results' run ids; no EvaluationRun rows are needed).
BEFORE, NOW, AGAIN = 990001, 990002, 990003


def _grade(expr: str) -> str:
    """SQL: the grade of ``expr`` (0 A, 1 B, 2 C, 3 D)."""
    whens = " ".join(f"WHEN {expr} = {n} THEN '{g}'" for n, g in enumerate(GRADES))
    return f"CASE {whens} END"


# A subject's rank before (A for half, then B, C); fallen (id % 20 = 0): one rank lower.
OLD = "(CASE WHEN s.id %% 4 < 2 THEN 0 WHEN s.id %% 4 = 2 THEN 1 ELSE 2 END)"
FELL = f"({OLD} + CASE WHEN s.id %% 20 = 0 THEN 1 ELSE 0 END)"
# The re-evaluation: half the fallen back (id % 40 = 0), 5 % newly fallen (id % 20 = 10).
REEVALUATED = "s.id %% 40 = 0 OR s.id %% 20 = 10"
AGAIN_RANK = f"(CASE WHEN s.id %% 40 = 0 THEN {OLD} ELSE {OLD} + 1 END)"


class Statements:
    """Counts the statements sent to the database (``connection.execute_wrapper``)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _timed(fn):
    from django.db import connection

    counter = Statements()
    with connection.execute_wrapper(counter):
        t = time.perf_counter()
        out = fn()
        elapsed = time.perf_counter() - t
    return out, round(elapsed, 3), counter.n


def _load_grades(cur, version: int, today: datetime.date, now) -> dict:
    from django.db import connection

    from xinyong.evaluation.models import EvaluationResult, SubjectGrade

    results, grades = EvaluationResult._meta.db_table, SubjectGrade._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    cur.execute(f"DELETE FROM {grades}")
    cur.execute(f"DELETE FROM {results} WHERE model_version_id = %s", [version])
    insert = (
        f"INSERT INTO {results} (run_id, subject_id, model_version_id, as_of, score, grade,"
        " points, facts) SELECT %s, s.id, %s, %s, 800, {grade}, '{{}}', '{{}}'"
        " FROM subjects_subject s WHERE s.kind <> 'person'{where}"
    )
    cur.execute(insert.format(grade=_grade(OLD), where=""), [BEFORE, version, today])
    cur.execute(insert.format(grade=_grade(FELL), where=""), [NOW, version, today])
    cur.execute(
        f"INSERT INTO {grades} (subject_id, result_id, model_version_id, score, grade, as_of,"
        f" evaluated_at) SELECT subject_id, id, model_version_id, score, grade, as_of, %s"
        f" FROM {results} WHERE run_id = %s",
        [at, NOW],
    )
    cur.execute(f"SELECT COUNT(*) FROM {grades}")
    return cur.fetchone()[0]


def _reevaluate(cur, version: int, today: datetime.date, now) -> int:
    from django.db import connection

    from xinyong.evaluation.models import EvaluationResult, SubjectGrade

    results, grades = EvaluationResult._meta.db_table, SubjectGrade._meta.db_table
    cur.execute(
        f"INSERT INTO {results} (run_id, subject_id, model_version_id, as_of, score, grade,"
        f" points, facts) SELECT %s, s.id, %s, %s, 800, {_grade(AGAIN_RANK)}, '{{}}', '{{}}'"
        f" FROM subjects_subject s WHERE s.kind <> 'person' AND ({REEVALUATED})",
        [AGAIN, version, today],
    )
    mine = (f"(SELECT r.{{col}} FROM {results} r"
            f" WHERE r.run_id = %s AND r.subject_id = {grades}.subject_id)")  # fmt: skip
    cur.execute(
        f"UPDATE {grades} SET result_id = {mine.format(col='id')},"
        f" grade = {mine.format(col='grade')}, evaluated_at = %s"
        f" WHERE subject_id IN (SELECT subject_id FROM {results} WHERE run_id = %s)",
        [AGAIN, AGAIN, connection.ops.adapt_datetimefield_value(now), AGAIN],
    )
    return cur.rowcount


def _previous_grade_fall(days: int = 30):
    """The grade evaluator as it was before issue #18's review (for the record): one ORM
    statement whose two correlated subqueries the WHERE clause repeats, over every graded
    subject."""
    from django.db.models import F, OuterRef, Subquery
    from django.utils import timezone

    from xinyong.evaluation.models import EvaluationResult, SubjectGrade

    since = timezone.now() - datetime.timedelta(days=days)
    previous = EvaluationResult.objects.filter(
        subject_id=OuterRef("subject_id"), pk__lt=OuterRef("result_id")
    ).order_by("-pk")
    rows = (
        SubjectGrade.objects.filter(evaluated_at__gte=since)
        .annotate(
            prev_id=Subquery(previous.values("pk")[:1]),
            prev_grade=Subquery(previous.values("grade")[:1]),
        )
        .filter(prev_grade__isnull=False)
        .exclude(prev_grade=F("grade"))
        .values_list("subject_id", "result_id", "grade", "prev_id", "prev_grade")
    )
    return len(list(rows))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--subjects", type=int, default=2000, help="subjects of the demo city")
    ap.add_argument("--chunk", type=int, default=50_000)
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xinyong.alerts.evaluators import EVALUATORS
    from xinyong.alerts.models import Alert, AlertEvent, AlertRule, WarningNotice
    from xinyong.alerts.run import alerts_run
    from xinyong.demo.city import build_city
    from xinyong.evaluation.models import ModelVersion

    call_command("migrate", verbosity=0)
    out: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.node()} {os.cpu_count()} cpu, Python {platform.python_version()}",
        "database": connection.vendor
        + " "
        + (
            str(connection.pg_version)
            if connection.vendor == "postgresql"
            else connection.Database.sqlite_version
        ),
        "subjects": args.subjects,
    }
    _, out["load_subjects_s"], _ = _timed(
        lambda: build_city(seed=2026, total=args.subjects, chunk=args.chunk)
    )
    now, today = timezone.now(), timezone.localdate()
    version, _ = ModelVersion.objects.get_or_create(
        code=MODEL, version=1,
        defaults={"name": "预警基准模型", "source": "", "digest": "0" * 64, "active": False,
                  "definition": {"grades": [{"grade": g, "min": 0, "name": g} for g in GRADES]},
                  "loaded_at": now, "loaded_by": "bench"},
    )  # fmt: skip
    WarningNotice.objects.all().delete()
    AlertEvent.objects.all().delete()
    Alert.objects.all().delete()
    AlertRule.objects.update(active=True)
    with connection.cursor() as cur:
        out["graded"], out["load_grades_s"], _ = _timed(
            lambda: _load_grades(cur, version.pk, today, now)
        )
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE")

    def run():
        return {r.rule: {"fired": r.fired, "raised": len(r.raised), "updated": len(r.updated),
                         "closed": len(r.closed), "unchanged": r.unchanged}
                for r in alerts_run()}  # fmt: skip

    for name in ("first_run", "second_run"):
        report, seconds, statements = _timed(run)
        out[name] = {"s": seconds, "statements": statements, "grade_fall": report["grade_fall"]}
    with connection.cursor() as cur:
        out["reevaluated"] = _reevaluate(cur, version.pk, today, timezone.now())
    report, seconds, statements = _timed(run)
    out["third_run"] = {"s": seconds, "statements": statements, "grade_fall": report["grade_fall"]}
    ev = EVALUATORS["grade_fall"]
    params = ev.params.model_validate({"steps": 1, "days": 30})
    found, seconds, statements = _timed(lambda: ev.fn(params, timezone.localdate()))
    out["grade_fall_evaluator"] = {"s": seconds, "statements": statements, "fired": len(found)}
    n, seconds, statements = _timed(_previous_grade_fall)
    out["grade_fall_before"] = {"s": seconds, "statements": statements, "rows": n}
    out["alerts"] = {"open": Alert.objects.filter(status__in=("open", "acknowledged")).count(),
                     "closed": Alert.objects.filter(status="closed").count()}  # fmt: skip
    print(json.dumps(out, ensure_ascii=False, indent=2))
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / "out" / "alerts_run.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()
