"""Outbound feed of credit repairs: upper-level platforms and departments read approved
repairs in order, by cursor (the last id they saw)."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.remedies import selectors

router = Router(tags=["repairs 信用修复"])


class RepairFeedParams(Schema):
    after: int = Field(0, ge=0, description="上次读取到的最后一个 id")
    limit: int = Field(500, ge=1, le=5000)


class RepairSubjectOut(Schema):
    name: str
    uscc: str | None


class RepairRecordOut(Schema):
    item: str
    source_id: str


class RepairEntryOut(Schema):
    list: str
    decision_no: str


class RepairOut(Schema):
    id: int
    subject: RepairSubjectOut
    department: str
    decided_at: datetime.datetime
    records: list[RepairRecordOut]
    entries: list[RepairEntryOut]


class RepairFeedOut(Schema):
    repairs: list[RepairOut]
    next_after: int | None


@router.get("/changes", response=RepairFeedOut, summary="信用修复结果（增量共享）")
def changes(request: HttpRequest, params: Query[RepairFeedParams]):
    require_scope(request, ApiScope.PUBLICITY_READ)
    rows = selectors.repair_feed(after=params.after, limit=params.limit)
    return RepairFeedOut(repairs=rows, next_after=rows[-1]["id"] if rows else None)
