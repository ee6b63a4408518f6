"""API of objections and repair: the outbound feed of approved repairs (upper-level
platforms and departments read it by cursor), and objections filed, followed and decided
by departments' business systems."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.core.inputs import RowId
from xinyong.exchange.choices import Feed
from xinyong.exchange.schemas import FeedParams, RepairChangeEntry
from xinyong.exchange.selectors import feed_read
from xinyong.remedies import selectors, services

router = Router(tags=["repairs 信用修复"])


class RepairFeedOut(Schema):
    repairs: list[RepairChangeEntry]
    next_after: int | None


@router.get("/changes", response=RepairFeedOut, summary="信用修复结果（增量共享）")
def changes(request: HttpRequest, params: Query[FeedParams]):
    require_scope(request, ApiScope.PUBLICITY_READ)
    rows, nxt = feed_read(Feed.REPAIRS, after=params.after, limit=params.limit)
    return RepairFeedOut(repairs=rows, next_after=nxt)


class ObjectionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    record_id: RowId | None = Field(None, description="异议的信用记录（与 entry_id 二选一）")
    entry_id: RowId | None = Field(None, description="异议的名单条目")
    reasons: str = Field(max_length=5000, description="异议理由")


class ObjectionOut(Schema):
    id: int
    status: str
    record_id: int | None
    entry_id: int | None
    provider: str
    filed_at: datetime.datetime
    mark_due: datetime.date
    forward_due: datetime.date
    decide_due: datetime.date | None
    decision: str
    decision_reason: str

    @staticmethod
    def resolve_provider(obj) -> str:
        return obj.provider.code


class ObjectionDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(description="corrected 更正 / revoked 撤销 / maintained 维持")
    reason: str = Field(max_length=2000, description="处理理由")


objections = Router(tags=["objections 异议"])


@objections.post("", response={201: ObjectionOut}, summary="代信用主体提出异议（部门业务系统）")
def file_objection(request: HttpRequest, payload: ObjectionIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    obj = services.objection_file(
        actor=actor,
        reasons=payload.reasons,
        record_id=payload.record_id,
        entry_id=payload.entry_id,
    )
    return Status(201, obj)


@objections.get("/{objection_id}", response=ObjectionOut, summary="异议办理进度")
def get_objection(request: HttpRequest, objection_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.objection_get(actor=actor, objection_id=objection_id)


@objections.post("/{objection_id}/decision", response=ObjectionOut,
                 summary="提供部门办结异议（更正、撤销或维持）")  # fmt: skip
def decide_objection(request: HttpRequest, objection_id: RowId, payload: ObjectionDecisionIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.objection_decide(actor=actor, objection_id=objection_id,
                                     decision=payload.decision, reason=payload.reason)  # fmt: skip
