"""API for an industry association's own system (its token: a client of the association's
department, acting as the association — no government department's power) and for the
departments that authorise it. Records go through the ingestion API (``POST /records``),
limited to members and authorised items; these endpoints keep the member list and run
the sanction procedure."""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.associations import selectors, services
from xinyong.core.inputs import RowId

router = Router(tags=["associations 行业协会商会"])


class AssociationAuthorisationOut(Schema):
    id: int
    association: str = Field(description="协会（部门编码）")
    association_name: str
    granted_by: str = Field(description="授权部门编码")
    items: list[str] = Field(description="可报送的目录项编码")
    basis: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    status: str = Field(description="active 有效 / ended 已终止")

    @staticmethod
    def resolve_association(obj) -> str:
        return obj.association.code

    @staticmethod
    def resolve_association_name(obj) -> str:
        return obj.association.name

    @staticmethod
    def resolve_granted_by(obj) -> str:
        return obj.granted_by.code


class MemberOut(Schema):
    id: int
    name: str
    uscc: str | None
    joined_on: datetime.date
    left_on: datetime.date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_uscc(obj) -> str | None:
        return obj.subject.uscc


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uscc: str = Field(max_length=18, description="会员的统一社会信用代码（须已在主体库登记）")
    joined_on: datetime.date = Field(description="入会日期")


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    left_on: datetime.date = Field(description="退会日期")


class SanctionOut(Schema):
    id: int
    number: str
    member: str
    member_uscc: str | None
    kind: str = Field(description="warning 警告 / criticism 通报批评 / censure 公开谴责")
    facts: str
    basis: str
    reasons: str
    status: str = Field(
        description="proposed 拟处理 / notified 已告知 / decided 已决定 / dropped 不予处理"
    )
    statement_due: datetime.date | None
    statement: str
    decision_reasons: str
    publish_until: datetime.date | None = Field(description="公开谴责的公示截止日期")

    @staticmethod
    def resolve_member(obj) -> str:
        return obj.subject.name

    @staticmethod
    def resolve_member_uscc(obj) -> str | None:
        return obj.subject.uscc


class SanctionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member_uscc: str = Field(max_length=18, description="会员的统一社会信用代码")
    kind: str = Field(max_length=16, description="warning / criticism / censure")
    facts: str = Field(max_length=4000, description="违规事实")
    basis: str = Field(max_length=500, description="依据（行规行约条款）")
    reasons: str = Field(max_length=4000, description="理由")


class SanctionDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    sanction: bool = Field(description="true 作出惩戒决定 / false 不予处理")
    reasons: str = Field(max_length=4000, description="决定理由")
    publish_months: int | None = Field(None, ge=1, le=36, description="公开谴责的公示期（月）")


@router.get("/authorisations", response=list[AssociationAuthorisationOut], summary="行业协会授权")
def list_authorisations(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.authorisations(actor=actor)


@router.get("/members", response=list[MemberOut], summary="本会会员（含已退会）")
def list_members(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.members(actor=actor, current=False)


@router.post("/members", response={201: MemberOut}, summary="登记会员")
def add_member(request: HttpRequest, payload: MemberIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return Status(
        201, services.member_add(actor=actor, uscc=payload.uscc, joined_on=payload.joined_on)
    )


@router.post("/members/{membership_id}/leave", response=MemberOut, summary="登记会员退会")
def leave(request: HttpRequest, membership_id: RowId, payload: LeaveIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    m = services.member_leave(actor=actor, membership_id=membership_id, left_on=payload.left_on)
    return m


@router.get("/sanctions", response=list[SanctionOut], summary="本会的行业惩戒案件")
def list_sanctions(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.sanctions(actor=actor)


@router.post("/sanctions", response={201: SanctionOut}, summary="拟作出行业惩戒（立案）")
def propose(request: HttpRequest, payload: SanctionIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    subject_id = selectors.member_id(actor=actor, uscc=payload.member_uscc)
    s = services.sanction_propose(
        actor=actor,
        subject_id=subject_id,
        kind=payload.kind,
        facts=payload.facts,
        basis=payload.basis,
        reasons=payload.reasons,
    )
    return Status(201, selectors.sanction_get(actor=actor, sanction_id=s.pk))


@router.post("/sanctions/{sanction_id}/notify", response=SanctionOut, summary="告知会员")
def notify(request: HttpRequest, sanction_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.sanction_notify(actor=actor, sanction_id=sanction_id)
    return selectors.sanction_get(actor=actor, sanction_id=sanction_id)


@router.post(
    "/sanctions/{sanction_id}/decision",
    response=SanctionOut,
    summary="作出行业惩戒决定（记入会员信用档案）或不予处理",
)
def decide(request: HttpRequest, sanction_id: RowId, payload: SanctionDecisionIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.sanction_decide(
        actor=actor,
        sanction_id=sanction_id,
        sanction=payload.sanction,
        reasons=payload.reasons,
        publish_months=payload.publish_months,
    )
    return selectors.sanction_get(actor=actor, sanction_id=sanction_id)
