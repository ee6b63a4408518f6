"""API of the public credit evaluation for departments' business systems and the credit
office: a subject's full explained evaluation (non-public: every reading audited), the
model versions, the runs with their progress, and requesting a run (the operator). Thin:
the rules live in ``services`` and ``selectors``, access in ``accounts.access``."""

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Query, Router, Status

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.errors import NotFound
from xinyong.core.inputs import RowId
from xinyong.evaluation import selectors, services
from xinyong.evaluation.schemas import (
    HUAWEI,
    EvaluationOut,
    ModelVersionOut,
    RunIn,
    RunOut,
    RunParams,
)
from xinyong.subjects.selectors import subject_by_uscc

router = Router(tags=["evaluation 公共信用综合评价"])
subjects = Router(tags=["evaluation 公共信用综合评价"])
SCOPE = ApiScope.EVALUATION_READ
Code = Path(..., max_length=64, description="统一社会信用代码", examples=[HUAWEI])


@subjects.get(
    "/{code}/evaluation", response=EvaluationOut, summary="主体的评价详情（含指标与提升建议）"
)
def subject_evaluation(request: HttpRequest, code: str = Code):
    """The subject's current evaluation with every indicator's reason and the records it
    rests on: for departments (their staff and systems) and the credit office; each reading
    is audited. 404 for an unknown code or a subject not evaluated yet."""
    actor = require_scope(request, SCOPE)
    subject = subject_by_uscc(code)
    if subject is None:
        raise NotFound(gettext("未找到统一社会信用代码为“%(code)s”的主体") % {"code": code})
    detail = selectors.evaluation_detail(actor, subject)
    if detail is None:
        raise NotFound(gettext("该主体尚未参加公共信用综合评价"))
    return detail


@router.get("/models", response=list[ModelVersionOut], summary="评价模型的各个版本（含模型文件）")
def list_models(request: HttpRequest):
    require_scope(request, SCOPE)
    return selectors.model_versions()


@router.get("/runs", response=list[RunOut], summary="评价批次（最近的在前，含进度）")
def list_runs(request: HttpRequest, params: Query[RunParams]):
    require_scope(request, SCOPE)
    return selectors.runs(limit=params.limit)


@router.get("/runs/{run_id}", response=RunOut, summary="一个评价批次及其进度")
def get_run(request: HttpRequest, run_id: RowId):
    require_scope(request, SCOPE)
    run = selectors.run_get(run_id)
    if run is None:
        raise NotFound(gettext("没有该评价批次"))
    return run


@router.post("/runs", response={201: RunOut}, summary="发起评价批次（平台运营方）")
def request_run(request: HttpRequest, payload: RunIn):
    """Queued for the worker; one run at a time (409-like refusals are 422 with the rule
    ``evaluation.busy``). Only the credit office's operator may request one."""
    actor = require_scope(request, SCOPE)
    run = services.run_request(actor=actor, kind=payload.kind, as_of=payload.as_of)
    return Status(201, selectors.run_get(run.pk))
