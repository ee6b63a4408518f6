"""API of tiered supervision (``/api/v1/supervision``): the public item list, results and
a plan's verification (anyone); a department's system creates, freezes and draws plans,
publishes the seed, records and publishes results (scope ``records:write``)."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.inputs import RowId
from xinyong.supervision import selectors, services
from xinyong.supervision.choices import TaskStatus
from xinyong.supervision.models import InspectionTask
from xinyong.supervision.schemas import (
    ItemOut,
    PlanIn,
    PlanOut,
    PlanPublicOut,
    ResultIn,
    ResultPublicOut,
    TaskOut,
)

router = Router(tags=["supervision 双随机抽查"])
PlanNumber = Annotated[str, Field(min_length=1, max_length=32)]


@router.get("/items", auth=None, response=list[ItemOut], summary="抽查事项清单（公开）")
def items(request: HttpRequest):
    return selectors.items_public()


@router.get("/results", auth=None, response=list[ResultPublicOut], summary="抽查结果公示（公开）")
def results(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=50)] = "",
    page: Annotated[int, Field(ge=1, le=selectors.COLUMN_MAX_PAGE)] = 1,
):
    rows, _ = selectors.results_public(q=q, page=page)
    return rows


@router.get(
    "/plans/{number}/verification",
    auth=None,
    response=PlanPublicOut,
    openapi_extra={"responses": {404: {"description": "没有该计划，或计划尚未冻结候选名单"}}},
    summary="检查计划公示与抽取核验：公布种子后按公开算法重新运行抽取（公开）",
)
def verification(request: HttpRequest, number: PlanNumber):
    plan = selectors.plan_public(number)
    tasks = selectors.plan_tasks_public(plan)
    checked = selectors.draw_verify_cached(plan)
    return {
        "number": plan.number,
        "name": plan.name,
        "department": plan.department.name,
        "status": plan.status,
        "ratios": plan.ratios,
        "inspectors_per_department": plan.inspectors_per_department,
        "candidate_count": plan.candidate_count,
        "candidates_digest": plan.candidates_digest,
        "pool_digest": plan.pool_digest,
        "seed_hash": plan.seed_hash,
        "seed": plan.seed or None,
        "tasks": [
            {
                "number": t.number,
                "subject_name": t.subject.name,
                "subject_uscc": t.subject.uscc,
                "inspectors": [
                    f"{i.inspector.name}（{i.inspector.badge}）" for i in t.drawn_inspectors
                ],
                "outcome": t.outcome if t.status == TaskStatus.PUBLISHED else None,
            }
            for t in tasks
        ],
        "verification": None
        if checked is None
        else {
            "ok": checked.ok,
            "seed_matches_hash": checked.seed_matches_hash,
            "candidates_digest_matches": checked.candidates_digest_matches,
            "pool_digest_matches": checked.pool_digest_matches,
            "tasks_match": checked.tasks_match,
            "recomputed": checked.recomputed,
            "stored": checked.stored,
        },
    }


@router.post("/plans", response=PlanOut, summary="创建检查计划（草拟）")
def create(request: HttpRequest, payload: PlanIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.plan_create(
        actor=actor,
        name=payload.name,
        item_ids=payload.items,
        ratios=payload.ratios,
        inspectors_per_department=payload.inspectors_per_department,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )


@router.post(
    "/plans/{plan_id}/freeze",
    response=PlanOut,
    summary="冻结候选名单和检查人员名录，公布随机种子摘要",
)
def freeze(request: HttpRequest, plan_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.plan_freeze(actor=actor, plan_id=plan_id)


@router.post("/plans/{plan_id}/draw", response=PlanOut, summary="双随机抽取")
def draw(request: HttpRequest, plan_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.plan_draw(actor=actor, plan_id=plan_id)


@router.post("/plans/{plan_id}/seed", response=PlanOut, summary="抽取后公布随机种子")
def seed(request: HttpRequest, plan_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.plan_seed_publish(actor=actor, plan_id=plan_id)


@router.post("/tasks/{task_id}/result", response=TaskOut, summary="录入抽查结果")
def result(request: HttpRequest, task_id: RowId, payload: ResultIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.task_result_record(
        actor=actor,
        task_id=task_id,
        outcome=payload.outcome,
        inspected_on=payload.inspected_on,
        findings=payload.findings,
    )
    return InspectionTask.objects.select_related("subject").get(pk=task_id)


@router.post(
    "/tasks/{task_id}/publish",
    response=TaskOut,
    summary="公示抽查结果（发现问题的同时记入信用档案）",
)
def publish(request: HttpRequest, task_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.task_result_publish(actor=actor, task_id=task_id)
    return InspectionTask.objects.select_related("subject").get(pk=task_id)
