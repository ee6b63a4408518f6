"""API schemas of the credit check and its feedback."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from xinyong.sanctions.choices import CheckStatus


class PersonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id_type: str = Field(
        "resident_id", description="证件类型：resident_id（居民身份证）或 passport"
    )
    id_number: str = Field(max_length=64, description="证件号码（不落库，仅比对摘要）")


class CheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(
        None, max_length=64, description="统一社会信用代码（与 person 二选一）"
    )
    person: PersonIn | None = Field(None, description="自然人证件（须有 persons:read 授权）")
    matter: str = Field(max_length=48, description="办理事项编码，如 government_procurement")
    department: str | None = Field(
        None, max_length=32, description="核查部门编码；省略时为接口客户端所属部门"
    )


class CheckSubjectOut(Schema):
    id: int
    kind: str
    name: str  # a person's name masked
    uscc: str | None
    id_masked: str | None


class HitOut(Schema):
    entry_id: int
    list: str
    list_name: str
    effect: str
    department: str
    decision_no: str
    decided_on: datetime.date | None
    term_end: datetime.date | None
    permanent: bool
    under_objection: bool
    role: str | None = Field(None, description="核查对象为被列入组织的责任人时，其身份")
    organization: str | None = None


class MeasureOut(Schema):
    code: str
    name: str
    kind: str
    category: str
    legal_basis: str
    memorandum: str
    term: str
    implementing_departments: list[str]
    applies_to_you: bool = Field(description="核查部门是否为实施部门")
    suspended: bool = Field(description="依据的名单条目均处于异议中：措施中止")
    entries: list[int]
    trigger: str = Field("list", description="list：名单条目；clean_record：连续无不良信用记录")
    clean_years: int | None = Field(None, description="连续无不良信用记录的年限（clean_record）")


class CommitmentCaseOut(Schema):
    entry_id: int
    list: str
    list_name: str
    status: str
    status_label: str = Field(description="案件（名单条目）当前环节")


class CommitmentReasonOut(Schema):
    code: str = Field(
        description="matter.high_risk、matter.no_commitment、list.<名单编码>、"
        "commitment.false（虚假承诺）、commitment.broken（违背承诺）"
    )
    message: str
    entry_id: int | None = None
    commitment: str | None = Field(None, description="违诺的承诺编号")
    until: datetime.date | None = Field(None, description="限制至（信用修复后提前解除）")
    case: CommitmentCaseOut | None = Field(None, description="违诺引起的重点关注名单案件")


class CheckOut(Schema):
    check_id: int
    checked_at: datetime.datetime
    matter: str
    department: str
    status: CheckStatus
    message: str
    subject: CheckSubjectOut | None
    hits: list[HitOut]
    measures: list[MeasureOut] = Field(description="惩戒措施")
    incentives: list[MeasureOut] = Field(description="激励措施")
    grade: str | None = Field(
        None,
        description="公共信用综合评价等级（已评价、且信用办允许核查返回等级时；否则为 null）",
    )
    grade_name: str | None = Field(None, description="等级名称，如“A级（信用优秀）”")
    pending_objections: int
    commitment_allowed: bool = Field(
        description="本事项可否适用告知承诺、容缺受理（false 时见 commitment_reasons）"
    )
    commitment_kinds: list[str] = Field(description="该主体在本事项中现在可签署的承诺类型")
    commitment_reasons: list[CommitmentReasonOut]


class FeedbackItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    measure: str = Field(max_length=64, description="本次核查返回的措施编码")
    applied: bool
    reason: str = Field("", max_length=1000, description="未实施的原因（未实施时必填）")


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[FeedbackItemIn] = Field(min_length=1, max_length=50)


class FeedbackOut(Schema):
    check_id: int
    recorded: int
