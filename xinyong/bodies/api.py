"""API of public bodies' notices for the addressees' systems (scope ``notices``): the
superior body, the audit department and the discipline inspection body — departments of
the platform — pull the notices addressed to them (a list decision about a public
institution or state-owned enterprise, a staff misconduct notice), read one with its text
(audited), and acknowledge it. Who may is the access layer's: another department's
notice is not found; a notice the caller sees but is not addressed to (it issued it, or
oversees it) is refused naming the rule; one already acknowledged is refused too."""

import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import require_scope
from xinyong.api.resolvers import choice_name, related
from xinyong.bodies import selectors, services
from xinyong.bodies.choices import NoticeState
from xinyong.core.inputs import RowId

router = Router(tags=["bodies 机关事业单位和国有企业通报"])


class BodyNoticeOut(Schema):
    id: int
    source: str = Field(description="list_notice 名单认定通报 / "
                        "misconduct 工作人员违规失信行为通报")  # fmt: skip
    source_name: str
    title: str = Field(description="通报事由")
    number: str = Field(description="文号")
    body_name: str = Field(description="机关事业单位或国有企业名称")
    body_uscc: str | None = Field(description="其统一社会信用代码")
    issuer: str = Field(description="通报部门编码")
    issuer_name: str
    role: str = Field(description="superior 上级主管单位 / audit 审计部门 / unit 所在单位 / "
                      "discipline 纪检监察机关")  # fmt: skip
    role_name: str
    addressee: str = Field(description="送达对象名称")
    sent_at: datetime.datetime
    due: datetime.date = Field(description="签收期限")
    late: bool = Field(description="逾期未签收")
    acknowledged_at: datetime.datetime | None
    ack_method: str = Field(description="online 线上签收 / paper 纸质签收（未签收为空）")
    ack_signer: str

    resolve_source_name = choice_name("source")
    resolve_body_name = related("body.name")
    resolve_body_uscc = related("body.uscc")
    resolve_issuer = related("issuer.code")
    resolve_issuer_name = related("issuer.name")
    resolve_role_name = choice_name("role")
    resolve_addressee = related("addressee_name")


class BodyNoticeTextOut(BodyNoticeOut):
    text: str = Field(description="通报正文（按发出时的文本）")

    @staticmethod
    def resolve_text(obj) -> str:
        return selectors.receipt_text(obj)


class BodyNoticeListParams(Schema):
    status: NoticeState | None = Field(
        None, description="outstanding 待签收 / acknowledged 已签收；不填为全部",
        examples=["outstanding"],
    )  # fmt: skip


@router.get("/notices", response=list[BodyNoticeOut],
            summary="送达本部门的通报（按签收期限排序，最多 500 条）")  # fmt: skip
def list_notices(request: HttpRequest, params: Query[BodyNoticeListParams]):
    actor = require_scope(request, ApiScope.NOTICES)
    return selectors.notices_addressed(actor=actor, status=params.status or "")


@router.get("/notices/{receipt_id}", response=BodyNoticeTextOut,
            summary="一份通报及其正文（查阅留痕）")  # fmt: skip
def get_notice(request: HttpRequest, receipt_id: RowId):
    actor = require_scope(request, ApiScope.NOTICES)
    return selectors.receipt_get(actor=actor, receipt_id=receipt_id)


@router.post("/notices/{receipt_id}/acknowledge", response=BodyNoticeOut,
             summary="签收送达本部门的通报（仅送达部门；已签收的不能再签收）")  # fmt: skip
def acknowledge(request: HttpRequest, receipt_id: RowId):
    actor = require_scope(request, ApiScope.NOTICES)
    services.receipt_acknowledge(actor=actor, receipt_id=receipt_id)
    return selectors.receipt_get(actor=actor, receipt_id=receipt_id, audit=False)
