"""Input and output schemas of the supervision API. Output schemas decide what is public:
a plan's public view has digests, the seed's hash and (once published) the seed, never the
candidates' classes; a result names the subject and the outcome."""

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class TierOut(Schema):
    min: int
    max: int
    frequency: str


class ItemOut(Schema):
    id: int
    department: str = Field(description="实施部门名称")
    name: str
    legal_basis: str
    target_kinds: list[str]
    method: str
    tiers: dict[str, TierOut]

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.name


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)
    items: list[int] = Field(
        max_length=50, description="抽查事项 id；含其他部门事项即为部门联合抽查"
    )
    ratios: dict[str, int] = Field(
        description='各类抽查比例（整数 %），如 {"A": 3, "B": 10, "C": 30, "D": 80}'
    )
    inspectors_per_department: int = Field(ge=1, le=20)
    period_start: datetime.date
    period_end: datetime.date


class DrawVerificationOut(Schema):
    ok: bool
    seed_matches_hash: bool
    candidates_digest_matches: bool
    pool_digest_matches: bool
    tasks_match: bool
    recomputed: int
    stored: int


class TaskPublicOut(Schema):
    number: str
    subject_name: str
    subject_uscc: str | None
    inspectors: list[str] = Field(description="执法检查人员（姓名、执法证号）")
    outcome: str | None = Field(description="已公示的检查结果")


class PlanPublicOut(Schema):
    number: str
    name: str
    department: str
    status: str = Field(description="frozen 已冻结 / drawn 已抽取 / published 已公布随机种子")
    ratios: dict[str, int]
    inspectors_per_department: int
    candidate_count: int
    candidates_digest: str
    pool_digest: str
    seed_hash: str
    seed: str | None = Field(description="抽取后公布的随机种子（十六进制）")
    tasks: list[TaskPublicOut]
    verification: DrawVerificationOut | None = Field(
        description="按公布的种子重新运行抽取的核对结果"
    )


class PlanOut(Schema):
    id: int
    number: str
    name: str
    status: str
    candidate_count: int
    class_counts: dict[str, int]
    task_count: int
    seed_hash: str
    candidates_digest: str
    pool_digest: str
    seed: str


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(description="no_problem / rectified / penalty / undisclosed / not_found")
    inspected_on: datetime.date
    findings: str = Field("", max_length=2000)


class TaskOut(Schema):
    id: int
    number: str
    subject_uscc: str | None
    klass: str
    status: str
    outcome: str
    inspected_on: datetime.date | None
    publish_due: datetime.date | None
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_subject_uscc(obj) -> str | None:
        return obj.subject.uscc


class ResultPublicOut(Schema):
    number: str
    subject_name: str
    subject_uscc: str | None
    outcome: str
    outcome_label: str
    inspected_on: datetime.date | None
    plan: str
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_subject_name(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_uscc(obj) -> str | None:
        return obj.subject.uscc

    @staticmethod
    def resolve_outcome_label(obj) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_plan(obj) -> str:
        return obj.plan.number
