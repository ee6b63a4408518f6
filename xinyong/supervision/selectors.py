"""Reads of tiered supervision: the department's items, pools and plans (scoped by
``visible_to``), the public list of items, a plan's public page and the re-run of its draw,
the published results column, the dashboard's to-do list."""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.supervision import classes, draw
from xinyong.supervision.choices import PlanStatus, TaskStatus
from xinyong.supervision.models import (
    InspectionItem,
    InspectionPlan,
    InspectionTask,
    Inspector,
    InspectorConflict,
    SectorGradeMap,
    TaskInspector,
)

PUBLIC_PLAN_STATUSES = (PlanStatus.FROZEN, PlanStatus.DRAWN, PlanStatus.PUBLISHED)
COLUMN_PAGE = 20
COLUMN_MAX_PAGE = 500


def items_public() -> list[InspectionItem]:
    """The inspection item list (抽查事项清单) as published: active items of every department."""
    return list(InspectionItem.objects.filter(is_active=True).select_related("department"))


def items_of(*, actor: Actor) -> list[InspectionItem]:
    return list(InspectionItem.objects.visible_to(actor).select_related("department"))


def sector_maps_of(*, actor: Actor) -> list[SectorGradeMap]:
    return list(
        SectorGradeMap.objects.visible_to(actor)
        .select_related("department")
        .order_by("department_id", "domain", "grade")
    )


def inspectors_of(*, actor: Actor) -> list[Inspector]:
    return list(Inspector.objects.visible_to(actor).select_related("department"))


def conflicts_of(*, actor: Actor) -> list[InspectorConflict]:
    return list(
        InspectorConflict.objects.visible_to(actor)
        .filter(ended_at__isnull=True)
        .select_related("inspector", "subject")
        .order_by("-declared_at")[:200]
    )


def plans_of(*, actor: Actor) -> list[InspectionPlan]:
    return list(
        InspectionPlan.objects.visible_to(actor).select_related("department").order_by("-pk")[:200]
    )


def plan_get(*, actor: Actor, plan_id: int) -> InspectionPlan:
    plan = None
    if isinstance(plan_id, int) and 0 < plan_id <= DB_INT_MAX:
        plan = (
            InspectionPlan.objects.visible_to(actor)
            .select_related("department")
            .filter(pk=plan_id)
            .first()
        )
    if plan is None:
        raise NotFound(_("没有检查计划 %(id)s") % {"id": plan_id})
    return plan


def plan_tasks(plan: InspectionPlan, *, limit: int | None = None) -> list[InspectionTask]:
    """The plan's tasks with their inspectors (two queries)."""
    qs = InspectionTask.objects.filter(plan=plan).select_related("subject").order_by("pk")
    tasks = list(qs[:limit] if limit else qs)
    by_task: dict[int, list] = {}
    rows = (
        TaskInspector.objects.filter(task__in=[t.pk for t in tasks])
        .select_related("inspector", "department")
        .order_by("department__code", "pk")
    )
    for ti in rows:
        by_task.setdefault(ti.task_id, []).append(ti)
    for t in tasks:
        t.drawn_inspectors = by_task.get(t.pk, [])
    return tasks


def frozen_file(*, actor: Actor, plan_id: int, kind: str):
    """A frozen list as the text its digest is taken of (``candidates``: ``<subject id>,
    <class>`` lines; ``pool``: the inspector and exclusion lines), for staff who see the
    plan to re-run the draw themselves. The classes are non-public (they tell grades): the
    read is audited. Lines are streamed."""
    plan = plan_get(actor=actor, plan_id=plan_id)
    if plan.status == PlanStatus.DRAFT:
        raise NotFound(_("计划尚未冻结候选名单"))
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.PLAN_LIST_READ,
                           object_type="inspection_plan", object_id=plan.pk,
                           detail={"kind": kind})  # fmt: skip
    if kind == "candidates":
        lines = (f"{s},{c}\n" for s, c in classes.frozen_candidates(plan))
    else:
        pools, excluded = classes.frozen_pools(plan), classes.frozen_exclusions(plan)
        lines = draw.pool_lines(pools, excluded)
    return plan, lines


def may_manage(actor: Actor, plan: InspectionPlan) -> bool:
    return access.allowed(actor, Action.SUPERVISION_MANAGE, plan)


def plan_public(number: str) -> InspectionPlan:
    """A plan as the public sees it: from its freezing on (the seed's hash and the digests
    are published before the draw)."""
    plan = None
    if isinstance(number, str) and 0 < len(number) <= 32:
        plan = (
            InspectionPlan.objects.filter(number=number, status__in=PUBLIC_PLAN_STATUSES)
            .select_related("department")
            .first()
        )
    if plan is None:
        raise NotFound(_("没有检查计划 %(n)s") % {"n": number})
    return plan


def plans_public(limit: int = 50) -> list[InspectionPlan]:
    return list(
        InspectionPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES)
        .select_related("department")
        .order_by("-frozen_at")[:limit]
    )


@dataclass
class Verification:
    """A re-run of a published draw from the frozen list and the published seed."""

    seed_matches_hash: bool
    candidates_digest_matches: bool
    pool_digest_matches: bool
    tasks_match: bool
    recomputed: int
    stored: int
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.seed_matches_hash
            and self.candidates_digest_matches
            and self.pool_digest_matches
            and self.tasks_match
        )


def draw_verify(plan: InspectionPlan) -> Verification:
    """Re-run the draw of a plan whose seed is published, as anyone would: the seed against
    its published hash, the frozen lists against their digests, then :func:`draw.run` over
    the whole frozen list against the stored tasks (subject, class, inspectors)."""
    if plan.status != PlanStatus.PUBLISHED:
        raise NotFound(_("该计划尚未公布随机种子"))
    candidates = list(classes.frozen_candidates(plan))
    pools = classes.frozen_pools(plan)
    excluded = classes.frozen_exclusions(plan)
    recomputed = draw.run(
        seed=plan.seed,
        candidates=candidates,
        ratios=plan.ratios,
        pools=pools,
        excluded=excluded,
        per_department=plan.inspectors_per_department,
    )
    stored = _stored_tasks(plan)
    differences = []
    for i, (a, b) in enumerate(zip(recomputed, stored, strict=False)):
        if a != b:
            differences.append(f"#{i + 1}: {a} ≠ {b}")
            if len(differences) >= 10:
                break
    return Verification(
        seed_matches_hash=draw.seed_hash(plan.seed) == plan.seed_hash,
        candidates_digest_matches=draw.candidates_digest(candidates) == plan.candidates_digest,
        pool_digest_matches=draw.pool_digest(pools, excluded) == plan.pool_digest,
        tasks_match=recomputed == stored,
        recomputed=len(recomputed),
        stored=len(stored),
        differences=differences,
    )


def plan_tasks_public(plan: InspectionPlan) -> list[InspectionTask]:
    """What the public sees of a plan's tasks: none while it is only frozen (not drawn)."""
    return plan_tasks(plan) if plan.status != PlanStatus.FROZEN else []


def draw_verify_cached(plan: InspectionPlan) -> Verification | None:
    """The public re-run, kept ten minutes (a published draw never changes, and a re-run
    reads the whole frozen list); None until the seed is published — there is nothing
    anyone could re-run before."""
    if plan.status != PlanStatus.PUBLISHED:
        return None
    key = f"supervision:verify:{plan.number}"
    found = cache.get(key)
    if found is None:
        found = draw_verify(plan)
        cache.set(key, found, 600)
    return found


def _stored_tasks(plan: InspectionPlan) -> list[draw.DrawnTask]:
    inspectors: dict[int, dict[str, list[int]]] = {}
    rows = (
        TaskInspector.objects.filter(task__plan=plan)
        .order_by("pk")
        .values_list("task_id", "department__code", "inspector_id")
    )
    for task_id, code, inspector_id in rows.iterator():
        inspectors.setdefault(task_id, {}).setdefault(code, []).append(inspector_id)
    out = []
    for pk, subject_id, klass in (
        InspectionTask.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("pk", "subject_id", "klass")
        .iterator()
    ):
        by_dept = inspectors.get(pk, {})
        out.append(
            draw.DrawnTask(subject_id, klass, {c: tuple(v) for c, v in sorted(by_dept.items())})
        )
    return out


def results_public(*, q: str = "", page: int = 1) -> tuple[list[InspectionTask], bool]:
    """The results column (抽查结果公示): published results, newest first; ``q`` a subject's
    name part, USCC or the task's number."""
    qs = InspectionTask.objects.filter(status=TaskStatus.PUBLISHED).select_related(
        "subject", "plan", "plan__department"
    )
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(subject__name__contains=q) | Q(subject__uscc=q.upper()) | Q(number=q))
    start = (page - 1) * COLUMN_PAGE
    found = list(qs.order_by("-published_at", "-pk")[start : start + COLUMN_PAGE + 1])
    return found[:COLUMN_PAGE], len(found) > COLUMN_PAGE


def subject_results_public(subject_id: int, limit: int = 20) -> list[InspectionTask]:
    """A subject's published inspection results, newest first (its portal page)."""
    return list(
        InspectionTask.objects.filter(subject_id=subject_id, status=TaskStatus.PUBLISHED)
        .select_related("plan", "plan__department")
        .order_by("-published_at")[:limit]
    )


def _to_publish(actor: Actor):
    plans = InspectionPlan.objects.filter(access.acting_q(actor, Action.SUPERVISION_MANAGE))
    return InspectionTask.objects.filter(status=TaskStatus.COMPLETED, plan__in=plans)


def results_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Recorded results waiting for publication, by their 20-working-day deadline (late
    ones flagged): the lead department's staff, the operator for every plan."""
    qs = _to_publish(actor)
    items = [
        Todo(
            step=str(_("公示抽查结果")),
            subject=t.subject.name,
            about=t.number,
            url=reverse("backoffice:inspection_plan", args=[t.plan_id]),
            due=t.publish_due,
            late=today > t.publish_due,
        )
        for t in qs.select_related("subject").order_by("publish_due", "pk")[:SHOWN]
    ]
    url = reverse("backoffice:inspection_plans")
    return TodoList("inspection_results", _("抽查结果待公示"), url, qs.count(), late_first(items))
