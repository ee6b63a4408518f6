"""API of credit commitments for departments' business systems — the matters' rules and
templates, the department's commitments, recording a paper one received at its counter
(multipart, with the scan), the check, a proposed breach (with evidence) and the decision —
(the outbound feed of commitments is one of ``exchange``'s feeds). Thin: the rules live in
``services`` (writes), ``queries`` (reads), access in ``accounts.access``.

A business system's token acts as a clerk of its department: it records for its own
department only and acts on its own commitments only (another department's is not
found). Deciding a breach is a reviewer's (a signed-in reviewer's session)."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Query, Router, Status
from ninja.errors import ValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.api.multipart import multipart_body, multipart_form
from xinyong.commitments import queries, services
from xinyong.commitments.schemas import (
    HUAWEI,
    BreachIn,
    CommitmentDecisionIn,
    CommitmentDetailOut,
    CommitmentListParams,
    CommitmentOut,
    KeepIn,
    MatterOut,
    RecordIn,
)
from xinyong.core.errors import ValidationFailed
from xinyong.subjects.selectors import subject_by_uscc

router = Router(tags=["commitments 信用承诺"])
matters = Router(tags=["commitments 信用承诺"])

Number = Path(..., max_length=32, description="承诺编号", examples=["CN202612030000001"])
SCOPE = ApiScope.RECORDS_WRITE


class _MissingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=1000)
    form: str = Field(max_length=1000)


_MISSING = TypeAdapter(list[_MissingIn])


def _missing(text: str | None) -> list[dict] | None:
    """The missing documents sent as a JSON array in one form field."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationFailed.one(
            "missing", "json.syntax", gettext('待补材料应为 JSON 数组，如 [{"name": …, "form": …}]')
        ) from None
    if isinstance(data, list) and len(data) > 100:
        data = data[:100]  # the service names the limit (20); the rest is not read
    try:
        items = _MISSING.validate_python(data)
    except PydanticValidationError as e:
        errors = e.errors(include_url=False)
        raise ValidationError(
            [{**err, "loc": ("missing", *err.get("loc", ()))} for err in errors]
        ) from None
    return [i.model_dump() for i in items]


# -- matters -----------------------------------------------------------------------------
@matters.get(
    "",
    response=list[MatterOut],
    summary="办理事项的承诺规则与现行承诺书模板",
    description=(
        "每个办理事项：法定办结时限（容缺受理的补正期限不得超过）、是否高风险（不适用告知承诺）、"
        "违诺后的限制期限，以及启用的承诺书模板（类型、现行版本号和正文、核查方式与期限、"
        "有效期、依据）。签署时锁定现行版本。任何已认证的接口客户端可读取。"
    ),
)
def list_matters(request: HttpRequest):
    return queries.matters()


# -- a department's commitments ----------------------------------------------------------
@router.get(
    "",
    response=list[CommitmentOut],
    summary="本部门受理的信用承诺",
    description=(
        "最新签署的在前；可按履约状态（status）、承诺类型（kind）、办理事项（matter）、"
        "主体统一社会信用代码（subject）筛选；due_before 只列核查期限或补正期限不晚于该日的，"
        "按期限先后排列（复核队列）。分页：limit（默认 50，最多 200）与 offset；返回条数少于 "
        "limit 即为最后一页。未知的事项或主体代码返回 422。"
    ),
)
def list_commitments(request: HttpRequest, params: Query[CommitmentListParams]):
    actor = require_scope(request, SCOPE)
    return queries.commitment_list(actor=actor, **params.dict())


@router.get(
    "/{number}",
    response=CommitmentDetailOut,
    summary="一件信用承诺的详情与办理环节",
    description=(
        "承诺书版本与正文、待补材料、核查、违诺告知与陈述申辩、认定、限制期限与解除、"
        "重点关注名单案件，以及各办理环节。其他部门受理的承诺返回 404。"
    ),
)
def get_commitment(request: HttpRequest, number: str = Number):
    actor = require_scope(request, SCOPE)
    return queries.commitment_detail(actor=actor, number=number)


@router.post(
    "",
    response={201: CommitmentDetailOut},
    summary="录入窗口收取的纸质信用承诺（附扫描件）",
    description=(
        "multipart/form-data：主体统一社会信用代码（subject）、办理事项（matter）、承诺类型"
        "（kind）、承诺事由、签署人和承诺书扫描件（scan：PDF、PNG 或 JPEG）。容缺受理"
        "（kind=deficiency）另须待补材料（missing，JSON 数组）、补正期限（supply_due，不得"
        f"超过事项的法定办结时限，否则 422 deadline.beyond_limit）和逾期后果。例：subject={HUAWEI}"
        "、matter=government_procurement、kind=scene。受理部门为令牌所属部门；事项不接受该"
        "类型、主体受限制或字段不合规则时返回 422，指明字段和规则，不写入任何内容。"
    ),
    openapi_extra=multipart_body(RecordIn, "scan", "承诺书扫描件（PDF、PNG 或 JPEG）"),
)
def record_commitment(request: HttpRequest):
    actor = require_scope(request, SCOPE)
    access.require(actor, Action.COMMITMENT_HANDLE)
    form = multipart_form(request, RecordIn)
    subject = subject_by_uscc(form.subject)
    if subject is None:
        raise ValidationFailed.one(
            "subject", "subject.unknown",
            gettext("没有统一社会信用代码为 %(code)s 的主体") % {"code": form.subject},
        )  # fmt: skip
    c = services.commitment_record(
        actor=actor,
        subject_id=subject.pk,
        matter=form.matter,
        kind=form.kind,
        reason=form.reason,
        signatory=form.signatory,
        scan=request.FILES.get("scan"),
        missing=_missing(form.missing),
        supply_due=form.supply_due,
        late_consequence=form.late_consequence,
    )
    return Status(201, queries.commitment_detail(actor=actor, number=c.number))


@router.post(
    "/{number}/keep",
    response=CommitmentDetailOut,
    summary="核查属实：记录已履约",
    description=(
        "受理部门核查后记录已履约（容缺受理：待补材料已按期补齐），写明核查情况。"
        "仅履行中的承诺可办理，否则 422 commitment.state。"
    ),
)
def keep_commitment(request: HttpRequest, payload: KeepIn, number: str = Number):
    actor = require_scope(request, SCOPE)
    c = queries.commitment_for(actor, number, Action.COMMITMENT_HANDLE)
    services.commitment_keep(actor=actor, commitment_id=c.pk, note=payload.note)
    return queries.commitment_detail(actor=actor, number=number)


@router.post(
    "/{number}/breach",
    response=CommitmentDetailOut,
    summary="拟认定违诺：告知主体并附证据",
    description=(
        "multipart/form-data：违诺情形（breach_kind：false 虚假承诺 / broken 未履行承诺）、"
        "违诺事实和理由（reasons）与证据文件（evidence：PDF、PNG 或 JPEG，缺少时 422 "
        "evidence required）。主体在陈述申辩期内可陈述申辩，期满或收到陈述申辩后由审核人认定；"
        "此前不记录失信信息。"
    ),
    openapi_extra=multipart_body(BreachIn, "evidence", "违诺证据（PDF、PNG 或 JPEG）"),
)
def propose_breach(request: HttpRequest, number: str = Number):
    actor = require_scope(request, SCOPE)
    c = queries.commitment_for(actor, number, Action.COMMITMENT_HANDLE)
    form = multipart_form(request, BreachIn)
    services.commitment_breach_propose(
        actor=actor,
        commitment_id=c.pk,
        breach_kind=form.breach_kind,
        reasons=form.reasons,
        evidence=request.FILES.get("evidence"),
    )
    return queries.commitment_detail(actor=actor, number=number)


@router.post(
    "/{number}/decision",
    response=CommitmentDetailOut,
    summary="审核人认定违诺或采纳陈述申辩",
    description=(
        "受理部门的审核人在主体陈述申辩后或期满后认定：breach=true 认定违诺（形成失信记录、"
        "开启重点关注名单案件、限制告知承诺），false 采纳陈述申辩。陈述申辩期内且未收到陈述"
        "申辩时 422 statement.pending；业务系统令牌（经办身份）返回 403。"
    ),
)
def decide_breach(request: HttpRequest, payload: CommitmentDecisionIn, number: str = Number):
    actor = require_scope(request, SCOPE)
    c = queries.commitment_for(actor, number, Action.COMMITMENT_DECIDE)
    services.commitment_decide(
        actor=actor, commitment_id=c.pk, breach=payload.breach, reason=payload.reason
    )
    return queries.commitment_detail(actor=actor, number=number)
