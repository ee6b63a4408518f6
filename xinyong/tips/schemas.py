"""What each reader is given of a tip. The output schemas decide what leaves the platform:
none of them has a field for the tipster — anonymous or not, who filed is not in
:class:`TipOut` (departments, the API), :class:`TipReceiptOut` (the tipster, by receipt
code) or anything built on them; only :class:`TipIdentityOut`, produced by the audited
read of the handling officer, carries the name and contact."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Schema
from pydantic import Field

from xinyong.tips.models import Tip


class TipEvidenceOut(Schema):
    id: int
    name: str
    sha256: str


class TipTransferOut(Schema):
    """One transfer of a tip (转办), as the departments and the credit office read it."""

    kind: str = Field(description="department 承办部门移送 / office 信用主管部门改派")
    kind_label: str
    from_department: str = Field(description="原承办部门编码")
    from_department_name: str
    to_department: str = Field(description="转至部门编码")
    to_department_name: str
    status_before: str = Field(description="转办前状态：submitted 待受理 / accepted 已受理")
    reason: str
    at: datetime.datetime
    late: bool = Field(description="转办时原承办部门的办理期限已过")

    @classmethod
    def of(cls, t) -> "TipTransferOut":
        return cls(
            kind=t.kind, kind_label=str(t.get_kind_display()),
            from_department=t.from_department.code, from_department_name=t.from_department.name,
            to_department=t.to_department.code, to_department_name=t.to_department.name,
            status_before=t.status_before, reason=t.reason, at=t.at, late=t.late,
        )  # fmt: skip


class TipOut(Schema):
    """A tip as its department (page or business system), the credit office and the
    auditor see it: the facts, routing, deadlines, decision and reward — no tipster."""

    id: int
    number: str = Field(description="举报编号（查证属实的，即信用记录的来源编号）")
    subject_id: int
    subject_name: str
    subject_uscc: str | None
    domain: str | None = Field(description="举报领域编码（空：举报人未指定）")
    domain_name: str
    content: str
    occurred_on: datetime.date
    place: str
    anonymous: bool = Field(description="匿名举报（实名举报的身份仅承办人经审计查看）")
    status: str = Field(description="routing 待分派 / submitted 待受理 / accepted 已受理 / "
                                    "rejected 不予受理 / substantiated 查证属实 / "
                                    "unsubstantiated 查无实据")  # fmt: skip
    status_label: str
    department: str | None = Field(description="承办部门编码")
    department_name: str
    submitted_at: datetime.datetime
    ack_due: datetime.date = Field(description="受理期限")
    acknowledged_at: datetime.datetime | None
    has_handler: bool = Field(description="是否已有承办人")
    decide_due: datetime.date | None = Field(description="办结期限")
    decided_at: datetime.datetime | None
    overdue: bool
    reason: str
    summary: str
    record_source_id: str
    reward_status: str = Field(description="pending 待核定 / granted 已核定待发放 / "
                                           "not_granted 不予奖励 / paid 已发放")  # fmt: skip
    reward_status_label: str
    reward_amount: Decimal | None
    reward_basis: str
    reward_paid_on: datetime.date | None
    evidence: list[TipEvidenceOut]
    transfers: list[TipTransferOut] = Field(description="转办记录（先后为序）")

    @staticmethod
    def resolve_number(obj: Tip) -> str:
        return obj.number

    @staticmethod
    def resolve_subject_name(obj: Tip) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_subject_uscc(obj: Tip) -> str | None:
        return obj.subject.uscc

    @staticmethod
    def resolve_domain(obj: Tip) -> str | None:
        return obj.domain.code if obj.domain_id else None

    @staticmethod
    def resolve_domain_name(obj: Tip) -> str:
        return obj.domain.name if obj.domain_id else gettext("不清楚")

    @staticmethod
    def resolve_status_label(obj: Tip) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_department(obj: Tip) -> str | None:
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_department_name(obj: Tip) -> str:
        return obj.department.name if obj.department_id else ""

    @staticmethod
    def resolve_has_handler(obj: Tip) -> bool:
        return obj.handler_id is not None

    @staticmethod
    def resolve_overdue(obj: Tip) -> bool:
        return obj.overdue

    @staticmethod
    def resolve_reward_status_label(obj: Tip) -> str:
        return str(obj.get_reward_status_display()) if obj.reward_status else ""

    @staticmethod
    def resolve_evidence(obj: Tip) -> list[dict]:
        return [{"id": e.pk, "name": e.name, "sha256": e.sha256} for e in obj.evidence.all()]

    @staticmethod
    def resolve_transfers(obj: Tip) -> list[TipTransferOut]:
        return [TipTransferOut.of(t) for t in obj.transfers.all()]


class TipTransferredOut(Schema):
    """What a transfer answers: where the tip went and its new deadlines (the department
    that sent it on no longer reads the tip itself)."""

    id: int
    number: str
    department: str = Field(description="新承办部门编码")
    department_name: str
    status: str
    ack_due: datetime.date = Field(description="新承办部门的受理期限（自转办之日起计算）")
    decide_due: datetime.date = Field(description="办结期限（自转办之日起计算，受理不另起算）")
    transfer: TipTransferOut

    @classmethod
    def of(cls, transfer) -> "TipTransferredOut":
        tip = transfer.tip
        return cls(
            id=tip.pk, number=tip.number, department=tip.department.code,
            department_name=tip.department.name, status=tip.status, ack_due=tip.ack_due,
            decide_due=tip.decide_due, transfer=TipTransferOut.of(transfer),
        )  # fmt: skip


class TipTransferShown(Schema):
    """A transfer as the tipster reads it: when, and to which department (not why: the
    reasons are the departments' business)."""

    on: datetime.date
    department_name: str


class TipReceiptOut(Schema):
    """What the tipster reads with the receipt code: where the case stands, its deadlines,
    the outcome told to the tipster and the reward — not the department's reasons, not the
    evidence, nothing of other tips."""

    number: str
    subject_name: str
    domain_name: str
    department_name: str
    submitted_at: datetime.datetime
    status: str
    status_label: str
    ack_due: datetime.date
    decide_due: datetime.date | None
    overdue: bool
    outcome: str
    decided_at: datetime.datetime | None
    reward_status: str
    reward_status_label: str
    reward_amount: Decimal | None
    reward_paid_on: datetime.date | None
    transfers: list[TipTransferShown]

    @classmethod
    def of(cls, tip: Tip) -> "TipReceiptOut":
        return cls(
            number=tip.number, subject_name=tip.subject.name,
            domain_name=tip.domain.name if tip.domain_id else gettext("不清楚"),
            department_name=tip.department.name if tip.department_id else "",
            submitted_at=tip.submitted_at, status=tip.status,
            status_label=str(tip.get_status_display()), ack_due=tip.ack_due,
            decide_due=tip.decide_due, overdue=tip.overdue,
            outcome=tip.summary if tip.decided_at else "", decided_at=tip.decided_at,
            reward_status=tip.reward_status,
            reward_status_label=str(tip.get_reward_status_display()),
            reward_amount=tip.reward_amount if tip.reward_status in ("granted", "paid") else None,
            reward_paid_on=tip.reward_paid_on,
            transfers=[
                TipTransferShown(on=timezone.localdate(t.at), department_name=t.to_department.name)
                for t in tip.transfers.all()
            ],
        )  # fmt: skip


class TipIdentityOut(Schema):
    """A verified tipster's identity, for the handling officer only (its read audited)."""

    name: str
    contact: str
    account: str
