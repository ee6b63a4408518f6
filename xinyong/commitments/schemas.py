"""API schemas of credit commitments: the matters' rules and templates a business system
shows at its counter, a department's commitments (list, detail, the forms it posts) and the
outbound feed upper-level platforms read by cursor. A person's name is masked and no
identifier number is ever given out: a subject is its name and USCC."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

from xinyong.commitments.choices import BreachKind, CommitmentKind, CommitmentStatus
from xinyong.core.inputs import Offset

HUAWEI = "914403001922038216"  # the examples' subject


# -- matters and templates ---------------------------------------------------------------
class TemplateOut(Schema):
    kind: str = Field(description="承诺类型编码", examples=["notify"])
    kind_label: str = Field(examples=["证明事项告知承诺"])
    name: str = Field(description="承诺书名称", examples=["证明事项告知承诺书"])
    version: int = Field(description="现行版本号（签署时锁定该版本）", examples=[1])
    text: str = Field(description="现行版本正文")
    check_method: str = Field(description="核查方式编码", examples=["online"])
    check_method_label: str = Field(examples=["网络核查"])
    check_workdays: int | None = Field(description="签署后核查期限（工作日）；免于核查时为空")
    exempt_reason: str = Field(description="免于核查的理由")
    validity_months: int = Field(description="有效期（月）", examples=[12])
    legal_basis: str


class MatterOut(Schema):
    code: str = Field(examples=["administrative_licensing"])
    name: str = Field(examples=["行政许可"])
    time_limit_workdays: int = Field(description="法定办结时限（工作日）；补正期限不得超过")
    high_risk: bool = Field(description="高风险事项：不适用告知承诺和容缺受理")
    high_risk_basis: str
    block_months: int = Field(description="违诺后本事项不适用告知承诺的期限（月）")
    templates: list[TemplateOut] = Field(description="启用的承诺书模板（每种类型一个）")


# -- a department's commitments ----------------------------------------------------------
class CommitmentSubjectOut(Schema):
    name: str = Field(description="主体名称（自然人打码）", examples=["华为技术有限公司"])
    uscc: str | None = Field(description="统一社会信用代码（自然人为空）", examples=[HUAWEI])


class NamedOut(Schema):
    code: str
    name: str


class CommitmentOut(Schema):
    number: str = Field(description="承诺编号", examples=["CN202612030000001"])
    subject: CommitmentSubjectOut
    matter: NamedOut = Field(description="办理事项")
    kind: str = Field(examples=["notify"])
    kind_label: str
    department: NamedOut = Field(description="受理部门")
    channel: str = Field(description="online 网上签署 / paper 纸质承诺书")
    status: str = Field(description="履约状态编码", examples=["in_force"])
    status_label: str = Field(examples=["履行中"])
    public: bool = Field(description="是否公示（自然人的承诺不公示）")
    reason: str = Field(description="承诺事由")
    signatory: str
    signed_at: datetime.datetime
    valid_from: datetime.date
    valid_to: datetime.date
    check_method: str
    check_due: datetime.date | None = Field(description="核查期限；免于核查时为空")
    supply_due: datetime.date | None = Field(description="容缺受理的补正期限")
    breach_kind: str = Field(description="违诺情形：false 虚假承诺 / broken 未履行承诺；空为无")
    decided_at: datetime.datetime | None = Field(description="违诺认定时间")
    bar_until: datetime.date | None = Field(description="不适用告知承诺至（信用修复后提前解除）")
    lifted_at: datetime.datetime | None = Field(description="限制解除时间")
    updated_at: datetime.datetime


class MissingOut(Schema):
    name: str
    form: str
    supplied_at: datetime.datetime | None


class CommitmentEventOut(Schema):
    action: str = Field(
        description="sign、keep、propose_breach、statement、decide、end、lapse、lift"
    )
    status: str = Field(description="该环节办理后的状态")
    by: str
    at: datetime.datetime
    note: str


class CaseOut(Schema):
    entry_id: int
    list: str
    list_name: str
    status: str
    status_label: str


class CommitmentDetailOut(CommitmentOut):
    template: str = Field(description="承诺书名称")
    template_version: int
    template_text: str = Field(description="签署时的承诺书正文")
    recorded_by: str
    scan_name: str
    scan_sha256: str
    late_consequence: str
    supplied_at: datetime.datetime | None
    missing: list[MissingOut] = Field(description="容缺受理的待补材料")
    checked_at: datetime.datetime | None
    checked_by: str
    check_note: str
    breach_reasons: str
    evidence_name: str
    evidence_sha256: str
    proposed_at: datetime.datetime | None
    statement_due: datetime.date | None = Field(description="陈述申辩期至")
    statement: str
    statement_at: datetime.datetime | None
    hearing_outcome: str = Field(description="accepted 采纳 / rejected 不予采纳；空为未认定")
    decision_reason: str
    decided_by: str
    bars_every_matter: bool = Field(description="虚假承诺：所有事项均不适用告知承诺")
    lifted_reason: str
    breach_record_id: int | None = Field(description="违诺信用记录")
    case: CaseOut | None = Field(description="违诺引起的重点关注名单案件")
    events: list[CommitmentEventOut] = Field(description="办理环节，按时间顺序")


class CommitmentListParams(Schema):
    status: CommitmentStatus | None = Field(None, description="履约状态", examples=["in_force"])
    kind: CommitmentKind | None = Field(None, description="承诺类型", examples=["notify"])
    matter: str | None = Field(
        None, max_length=48, description="办理事项编码", examples=["administrative_licensing"]
    )
    subject: str | None = Field(
        None, max_length=64, description="主体统一社会信用代码", examples=[HUAWEI]
    )
    due_before: datetime.date | None = Field(
        None,
        description="核查期限或补正期限不晚于该日（复核队列：到期的在前）",
        examples=["2026-12-31"],
    )
    offset: Offset = Field(0, description="跳过的条数")
    limit: int = Field(50, ge=1, le=200, description="每页条数，最多 200")


# -- what a business system posts -------------------------------------------------------
class RecordIn(Schema):
    """The fields of the multipart form recording a paper commitment (the scan is the
    file part ``scan``)."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(max_length=64, description="主体统一社会信用代码", examples=[HUAWEI])
    matter: str = Field(
        max_length=48, description="办理事项编码", examples=["government_procurement"]
    )
    kind: str = Field(
        max_length=16,
        description="承诺类型：notify、deficiency、field、scene、industry、voluntary",
        examples=["scene"],
    )
    reason: str = Field(max_length=1000, description="承诺事由（不超过 300 字）",
                        examples=["参加政府采购活动"])  # fmt: skip
    signatory: str = Field(max_length=200, description="签署人（不超过 50 字）", examples=["张三"])
    missing: str | None = Field(
        None,
        max_length=20000,
        description='容缺受理的待补材料，JSON 数组：[{"name": "消防验收意见", "form": "复印件"}]',
        examples=['[{"name": "消防验收意见", "form": "复印件"}]'],
    )
    supply_due: datetime.date | None = Field(
        None, description="容缺受理的补正期限（不得超过事项的法定办结时限）"
    )
    late_consequence: str = Field(
        "", max_length=1000, description="容缺受理：逾期未补正的后果", examples=["终止办理"]
    )


class KeepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=8000, description="核查情况（不超过 4000 字）",
                      examples=["经网络核查，承诺事项属实"])  # fmt: skip


class BreachIn(Schema):
    """The fields of the multipart form proposing a breach (the evidence is the file part
    ``evidence``)."""

    model_config = ConfigDict(extra="forbid")

    breach_kind: str = Field(max_length=16, description="false 虚假承诺 / broken 未履行承诺",
                             examples=[BreachKind.FALSE.value])  # fmt: skip
    reasons: str = Field(max_length=8000, description="违诺事实和理由（不超过 4000 字）",
                         examples=["经核查，所承诺的证明材料并不存在"])  # fmt: skip


class CommitmentDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    breach: bool = Field(
        description="true 认定违诺（不予采纳陈述申辩）；false 采纳，不认定", examples=[True]
    )
    reason: str = Field(max_length=8000, description="认定理由（不超过 4000 字）",
                        examples=["陈述申辩未提供新的证据"])  # fmt: skip


# -- the outbound feed -------------------------------------------------------------------
class CommitmentFeedEntryOut(Schema):
    seq: int = Field(description="变动序号（游标）")
    action: str = Field(description="本次变动的环节：sign、keep、propose_breach、statement、"
                        "decide、end、lapse、lift")  # fmt: skip
    step_status: str = Field(description="该环节办理后的状态")
    at: datetime.datetime
    number: str
    subject: CommitmentSubjectOut
    matter: NamedOut
    kind: str
    department: NamedOut
    status: str = Field(description="承诺读取时的履约状态（同一编号以最后一条为准）")
    signed_at: datetime.datetime
    valid_from: datetime.date
    valid_to: datetime.date
    check_due: datetime.date | None
    breach_kind: str = Field(description="违诺情形（已认定违诺时）")
    decided_at: datetime.datetime | None = Field(description="违诺认定时间（已认定违诺时）")
    bar_until: datetime.date | None
    bars_every_matter: bool
    lifted_at: datetime.datetime | None
