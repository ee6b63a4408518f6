"""API for an industry association's own system (its token: a client of the association's
department, acting as the association — no government department's power) and for the
departments that authorise it. Records go through the ingestion API (``POST /records``),
limited to members and authorised items; these endpoints keep the member list, run the
self-discipline commitment campaigns (open, read who signed, close) and the sanction
procedure (to its decision, and its revocation)."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.api.resolvers import related
from xinyong.associations import selectors, services
from xinyong.core.inputs import Offset, RowId

router = Router(tags=["associations 行业协会商会"])
PAGE_MAX = selectors.PAGE  # rows a list answers at most
PAGED = f"分页：limit（最多 {PAGE_MAX}）与 offset；返回条数少于 limit 即为最后一页。"


class AssociationPageParams(Schema):
    offset: Offset = Field(default=0, description="跳过的条数")
    limit: int = Field(
        default=PAGE_MAX, ge=1, le=PAGE_MAX, description=f"每页条数，最多 {PAGE_MAX}"
    )


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

    resolve_association = related("association.code")
    resolve_association_name = related("association.name")
    resolve_granted_by = related("granted_by.code")


class MemberOut(Schema):
    id: int
    name: str
    uscc: str | None
    joined_on: datetime.date
    left_on: datetime.date | None

    resolve_name = related("subject.name")
    resolve_uscc = related("subject.uscc")


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uscc: str = Field(max_length=18, description="会员的统一社会信用代码（须已在主体库登记）")
    joined_on: datetime.date = Field(description="入会日期")


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    left_on: datetime.date = Field(description="退会日期")


class AssociationCampaignOut(Schema):
    id: int
    title: str = Field(description="名称")
    text: str = Field(description="承诺内容")
    status: str = Field(description="open 征集中 / closed 已结束")
    created_at: datetime.datetime = Field(description="发起时间")
    signed: int = Field(description="已签署的会员数")


class AssociationCampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200, description="名称")
    text: str = Field(max_length=8000, description="承诺内容（会员在门户网站上签署）")


class CampaignSignatureOut(Schema):
    member: str = Field(description="会员名称")
    member_uscc: str | None = Field(description="会员的统一社会信用代码")
    signed_at: datetime.datetime = Field(description="签署时间")

    resolve_member = related("subject.name")
    resolve_member_uscc = related("subject.uscc")


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
        description=(
            "proposed 拟处理 / notified 已告知 / decided 已决定 / dropped 不予处理 / revoked 已撤销"
        )
    )
    statement_due: datetime.date | None
    statement: str
    decision_reasons: str
    publish_until: datetime.date | None = Field(description="公开谴责的公示截止日期")
    revoke_ground: str = Field(
        description="撤销事由：error 决定有误 / review 经复核撤销 / other 其他原因；未撤销为空"
    )
    revoke_reasons: str = Field(description="撤销理由；未撤销为空")

    resolve_member = related("subject.name")
    resolve_member_uscc = related("subject.uscc")


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


class SanctionRevocationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ground: str = Field(
        max_length=16, description="撤销事由：error 决定有误 / review 经复核撤销 / other 其他原因"
    )
    reasons: str = Field(max_length=4000, description="撤销理由（必填）")


@router.get("/authorisations", response=list[AssociationAuthorisationOut], summary="行业协会授权")
def list_authorisations(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.authorisations(actor=actor)


@router.get(
    "/members",
    response=list[MemberOut],
    summary="本会会员（含已退会）",
    description="最新入会的在前，" + PAGED,
)
def list_members(request: HttpRequest, params: Query[AssociationPageParams]):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.members(actor=actor, current=False, offset=params.offset, limit=params.limit)


@router.post("/members", response={201: MemberOut}, summary="登记会员")
def add_member(request: HttpRequest, payload: MemberIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return Status(
        201, services.member_add(actor=actor, uscc=payload.uscc, joined_on=payload.joined_on)
    )


@router.post("/members/{membership_id}/leave", response=MemberOut, summary="登记会员退会")
def leave(request: HttpRequest, membership_id: RowId, payload: LeaveIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return services.member_leave(actor=actor, membership_id=membership_id, left_on=payload.left_on)


@router.get("/campaigns", response=list[AssociationCampaignOut], summary="本会的行业自律承诺")
def list_campaigns(request: HttpRequest):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.campaigns(actor=actor)


@router.post(
    "/campaigns",
    response={201: AssociationCampaignOut},
    summary="发起行业自律承诺（会员在门户网站签署）",
)
def open_campaign(request: HttpRequest, payload: AssociationCampaignIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    c = services.campaign_open(actor=actor, title=payload.title, text=payload.text)
    return Status(201, selectors.campaign_one(actor=actor, campaign_id=c.pk))


@router.get("/campaigns/{campaign_id}", response=AssociationCampaignOut, summary="一项行业自律承诺")
def get_campaign(request: HttpRequest, campaign_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.campaign_one(actor=actor, campaign_id=campaign_id)


@router.get(
    "/campaigns/{campaign_id}/signatures",
    response=list[CampaignSignatureOut],
    summary="承诺的签署情况",
    description="按签署时间排序，" + PAGED,
)
def list_signatures(request: HttpRequest, campaign_id: RowId, params: Query[AssociationPageParams]):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    return selectors.signatures(
        actor=actor, campaign_id=campaign_id, offset=params.offset, limit=params.limit
    )


@router.post(
    "/campaigns/{campaign_id}/close", response=AssociationCampaignOut, summary="结束承诺征集"
)
def close_campaign(request: HttpRequest, campaign_id: RowId):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.campaign_close(actor=actor, campaign_id=campaign_id)
    return selectors.campaign_one(actor=actor, campaign_id=campaign_id)


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


@router.post(
    "/sanctions/{sanction_id}/revocation",
    response=SanctionOut,
    summary="撤销行业惩戒决定（信用档案中的记录随即撤销，会员收到通知）",
)
def revoke(request: HttpRequest, sanction_id: RowId, payload: SanctionRevocationIn):
    actor = require_scope(request, ApiScope.RECORDS_WRITE)
    services.sanction_revoke(
        actor=actor, sanction_id=sanction_id, ground=payload.ground, reasons=payload.reasons
    )
    return selectors.sanction_get(actor=actor, sanction_id=sanction_id)
