"""Schemas of the outbound feeds: the cursor parameters, one entry per feed as upper-level
platforms and departments' systems read it, and the daily digest (reconciliation)."""

import datetime

from ninja import Schema
from pydantic import Field

from xinyong.commitments.schemas import CommitmentFeedEntryOut as CommitmentEntry
from xinyong.commitments.schemas import CommitmentSubjectOut as SubjectOut
from xinyong.core.inputs import Offset


class FeedParams(Schema):
    after: Offset = Field(0, description="上次读到的 seq（游标），首次为 0", examples=[0])
    limit: int = Field(500, ge=1, le=10000, description="每次最多条数（1–10000）", examples=[500])


class DigestParams(Schema):
    day: datetime.date = Field(
        description="日期（北京时间），按变动时间统计", examples=["2026-12-01"]
    )


class _Head(Schema):
    seq: int = Field(description="变动序号（游标），按提交顺序连续编号", examples=[1024])
    action: str = Field(description="变动类型")
    at: datetime.datetime = Field(description="变动时间")
    key: str = Field(description="对象的稳定标识：接收方按它保留最新一条，日对账摘要也覆盖它")


class PublicityEntry(_Head):
    item: str = Field(description="目录项编码", examples=["administrative_penalty"])
    provider: str = Field(description="报送部门编码", examples=["SCJG"])
    source_id: str = Field(description="来源标识（如决定文书号）")
    fields: dict[str, str | int] = Field(description="公开字段（标准字段编码）；unpublish 时为空")


class ListChangeEntry(_Head):
    entry: int = Field(description="名单条目编号")
    list: str = Field(description="名单编码", examples=["serious_dishonesty"])
    list_name: str
    subject: SubjectOut
    department: str = Field(description="认定部门")
    decision_no: str
    decided_on: datetime.date | None
    term: str = Field(description="有效期限")
    legal_basis: str
    status: str = Field(description="该环节后的状态：published 公示中、removed 已移出")
    under_objection: bool = Field(description="异议中（相关措施中止）")
    removal_reason: str = Field(description="移出原因（已移出时）")


class RepairRecordOut(Schema):
    item: str
    source_id: str


class RepairEntryOut(Schema):
    list: str
    decision_no: str


class RepairChangeEntry(_Head):
    id: int = Field(description="修复申请编号")
    subject: SubjectOut
    department: str = Field(description="受理部门编码")
    decided_at: datetime.datetime
    records: list[RepairRecordOut] = Field(description="修复后停止公示的信用记录")
    entries: list[RepairEntryOut] = Field(description="修复后移出的名单条目")


class CommitmentChangeEntry(CommitmentEntry):
    key: str = Field(description="承诺编号")


class EvaluationChangeEntry(_Head):
    subject: SubjectOut
    grade: str = Field(description="新的评价等级", examples=["A"])
    grade_name: str = Field(description="等级名称")
    as_of: datetime.date = Field(description="评价基准日")


def page_schema(name: str, entry: type[Schema]) -> type[Schema]:
    """The page of one feed: its entries and the next cursor."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"changes": list[entry], "next_after": int | None},
            "next_after": Field(description="下次读取的游标；无新变动时为空"),
        },
    )


class DigestOut(Schema):
    feed: str
    day: datetime.date
    count: int = Field(description="当日（按变动时间）发布的条数")
    first_seq: int | None
    last_seq: int | None
    sha256: str = Field(
        description="按 seq 升序，每条一行 “seq|action|key\\n”（UTF-8）的 SHA-256 十六进制摘要"
    )
    complete_to: int = Field(description="计算时已提交的最大 seq：当日未结束时摘要还会变化")
