"""Supervision classes (监管类别) and the frozen candidate list, in set-based SQL.

The rule (documented in docs/architecture.md, "Tiered supervision"): for each subject of
the kinds the plan's items target, in business (存续):

- the public grade is the platform's evaluation (``evaluation_subjectgrade.grade``, A–D);
  a subject never evaluated has the configurable default class
  (``XINYONG_SUPERVISION_DEFAULT_CLASS``, B);
- each department of the plan reads its own sector grade: its latest valid
  ``credit_evaluation_result`` record for the subject (active, not past 有效期至; latest
  评价日期), its 评价领域 and 评价等级 mapped to a class by the department's
  :class:`~.models.SectorGradeMap` (an unmapped grade is not used);
- the class is the worst (highest letter) of the public grade (or the default) and the
  plan's departments' sector grades.

Subjects whose class an item of the plan inspects "at most once a year" are left out when
they were drawn by a plan of one of these departments in the last 365 days."""

import datetime

from django.conf import settings
from django.db import connection

from xinyong.supervision.choices import Frequency
from xinyong.supervision.draw import CLASSES
from xinyong.supervision.models import (
    InspectionPlan,
    InspectionTask,
    PlanCandidate,
    PlanExclusion,
    PlanInspector,
    SectorGradeMap,
    TaskInspector,
)

RANK = {c: i + 1 for i, c in enumerate(CLASSES)}
_RANK_CASE = "CASE {col} WHEN 'A' THEN 1 WHEN 'B' THEN 2 WHEN 'C' THEN 3 WHEN 'D' THEN 4 END"
_LETTER = "CASE {col} WHEN 1 THEN 'A' WHEN 2 THEN 'B' WHEN 3 THEN 'C' ELSE 'D' END"


def _json_text(column: str, key: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} ->> '{key}')"
    return f"json_extract({column}, '$.{key}')"


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


def _yearly_classes(plan: InspectionPlan) -> list[int]:
    """Classes some item of the plan inspects at most once a year."""
    ranks = set()
    for item in plan.items.all():
        for klass, tier in (item.tiers or {}).items():
            if tier.get("frequency") == Frequency.AT_MOST_YEARLY:
                ranks.add(RANK[klass])
    return sorted(ranks)


def candidates_freeze(plan: InspectionPlan, *, today: datetime.date) -> dict[str, int]:
    """Insert the plan's candidate list (subject, class, position in its class) in one
    statement; the counts per class. A step: runs in the caller's transaction."""
    departments = list(plan.departments.values_list("pk", flat=True))
    kinds = sorted({k for item in plan.items.all() for k in item.target_kinds})
    default = RANK[settings.XINYONG_SUPERVISION_DEFAULT_CLASS]
    dept_sql, dept_params = _in(departments)
    kind_sql, kind_params = _in(kinds)
    yearly = _yearly_classes(plan)
    recent = ""
    params: list = [today, *dept_params, *kind_params]
    if yearly:
        yearly_sql, yearly_params = _in(yearly)
        recent = f"""
          AND NOT (c.rank IN ({yearly_sql}) AND EXISTS (
            SELECT 1 FROM {InspectionTask._meta.db_table} t
            JOIN {InspectionPlan._meta.db_table} p ON p.id = t.plan_id
            JOIN {InspectionPlan.departments.through._meta.db_table} pd
              ON pd.inspectionplan_id = p.id
            WHERE t.subject_id = c.subject_id AND p.drawn_at >= %s
              AND pd.department_id IN ({dept_sql})))"""  # noqa: S608 - names, placeholders
        since = datetime.datetime.combine(today - datetime.timedelta(days=365), datetime.time())
        params += [*yearly_params, since, *dept_params]
    domain, grade = _json_text("r.data", "PJ_LY"), _json_text("r.data", "PJ_DJ")
    sql = f"""
        WITH sector AS (
          SELECT x.subject_id, MAX(m.rank) AS rank
          FROM (
            SELECT r.subject_id, r.provider_id, {domain} AS domain, {grade} AS grade,
                   ROW_NUMBER() OVER (PARTITION BY r.subject_id, r.provider_id
                                      ORDER BY r.decision_date DESC, r.id DESC) AS n
            FROM records_record r
            WHERE r.item_code = 'credit_evaluation_result' AND r.status = 'active'
              AND (r.valid_to IS NULL OR r.valid_to >= %s)
              AND r.provider_id IN ({dept_sql})
          ) x
          JOIN (SELECT department_id, domain, grade, {_RANK_CASE.format(col="klass")} AS rank
                FROM {SectorGradeMap._meta.db_table}) m
            ON m.department_id = x.provider_id AND m.domain = x.domain AND m.grade = x.grade
          WHERE x.n = 1
          GROUP BY x.subject_id
        ),
        classed AS (
          SELECT s.id AS subject_id,
                 CASE WHEN sg.rank IS NOT NULL AND sg.rank > COALESCE(g.rank, {default})
                      THEN sg.rank ELSE COALESCE(g.rank, {default}) END AS rank
          FROM subjects_subject s
          LEFT JOIN (SELECT subject_id, {_RANK_CASE.format(col="grade")} AS rank
                     FROM evaluation_subjectgrade) g ON g.subject_id = s.id
          LEFT JOIN sector sg ON sg.subject_id = s.id
          WHERE s.kind IN ({kind_sql}) AND s.status = 'active'
        )
        INSERT INTO {PlanCandidate._meta.db_table} (plan_id, subject_id, klass, position)
        SELECT {int(plan.pk)}, c.subject_id, {_LETTER.format(col="c.rank")},
               ROW_NUMBER() OVER (PARTITION BY c.rank ORDER BY c.subject_id) - 1
        FROM classed c
        WHERE 1 = 1 {recent}
    """  # noqa: S608 - table names, constants, placeholders
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cur.execute(
            f"SELECT klass, COUNT(*) FROM {PlanCandidate._meta.db_table} WHERE plan_id = %s "  # noqa: S608
            "GROUP BY klass",
            [plan.pk],
        )
        counts = dict(cur.fetchall())
    return {c: counts.get(c, 0) for c in CLASSES}


def pool_freeze(plan: InspectionPlan) -> None:
    """The plan's inspector pools (the active inspectors of each department) and the
    exclusions for its candidates — conflicts in force and the inspectors of each
    candidate's last inspection — in three statements. A step, like the one above."""
    from xinyong.supervision.models import Inspector, InspectorConflict

    rows = Inspector.objects.filter(
        department__in=plan.departments.all(), is_active=True
    ).values_list("pk", "department_id")
    PlanInspector.objects.bulk_create(
        [PlanInspector(plan=plan, inspector_id=i, department_id=d) for i, d in rows]
    )
    pid = int(plan.pk)
    cand, pool = PlanCandidate._meta.db_table, PlanInspector._meta.db_table
    excl = PlanExclusion._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO {excl} (plan_id, subject_id, inspector_id, reason)
            SELECT DISTINCT {pid}, ic.subject_id, ic.inspector_id, 'conflict'
            FROM {InspectorConflict._meta.db_table} ic
            JOIN {cand} c ON c.plan_id = {pid} AND c.subject_id = ic.subject_id
            JOIN {pool} pi ON pi.plan_id = {pid} AND pi.inspector_id = ic.inspector_id
            WHERE ic.ended_at IS NULL""")  # noqa: S608 - table names, the plan id
        cur.execute(f"""
            INSERT INTO {excl} (plan_id, subject_id, inspector_id, reason)
            SELECT DISTINCT {pid}, t.subject_id, ti.inspector_id, 'last_inspector'
            FROM {InspectionTask._meta.db_table} t
            JOIN {TaskInspector._meta.db_table} ti ON ti.task_id = t.id
            JOIN {pool} pi ON pi.plan_id = {pid} AND pi.inspector_id = ti.inspector_id
            WHERE t.id IN (
              SELECT MAX(t2.id) FROM {InspectionTask._meta.db_table} t2
              JOIN {cand} c ON c.plan_id = {pid} AND c.subject_id = t2.subject_id
              WHERE t2.plan_id <> {pid}
              GROUP BY t2.subject_id)""")  # noqa: S608 - table names, the plan id


def frozen_pools(plan: InspectionPlan) -> dict[str, list[int]]:
    """Department code → inspector ids in increasing order."""
    pools: dict[str, list[int]] = {}
    rows = (
        PlanInspector.objects.filter(plan=plan)
        .order_by("department__code", "inspector_id")
        .values_list("department__code", "inspector_id")
    )
    for code, inspector_id in rows:
        pools.setdefault(code, []).append(inspector_id)
    return pools


def frozen_exclusions(plan: InspectionPlan, subject_ids=None) -> dict[int, set[int]]:
    qs = PlanExclusion.objects.filter(plan=plan)
    if subject_ids is not None:
        qs = qs.filter(subject_id__in=subject_ids)
    excluded: dict[int, set[int]] = {}
    for subject_id, inspector_id in qs.values_list("subject_id", "inspector_id").iterator():
        excluded.setdefault(subject_id, set()).add(inspector_id)
    return excluded


def frozen_candidates(plan: InspectionPlan):
    """The whole frozen list, ``(subject id, class)`` by increasing subject id (streamed)."""
    return (
        PlanCandidate.objects.filter(plan=plan)
        .order_by("subject_id")
        .values_list("subject_id", "klass")
        .iterator(chunk_size=20_000)
    )
