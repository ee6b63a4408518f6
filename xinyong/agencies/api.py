"""API of the credit service agencies.

``/agency/…`` is called by a filed agency's own systems with a token its bound account
issued (``Authorization: Bearer xya_…``; scoped): the authorisations given to it, and —
for a subject that authorised it and only within that authorisation — the subject's public
report (issued by the report service) and the records it shares by consent; every read
is audited and logged for the subject. A revoked, expired or removed-agency authorisation
is refused at the next call (403, the rule says which). The agency registers the reports
it issues (about an organisation or a person) and answers a removal notice (its
statement, multipart with an optional attachment). ``/agency-reports/verify`` is open to
anyone: was a report of this number and file registered by an agency in good standing?"""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import BaseModel, ConfigDict, Field

from xinyong.accounts.actors import Actor
from xinyong.agencies import selectors, services
from xinyong.agencies.choices import (
    AgencyScope,
    Coverage,
    Purpose,
    RemovalStatus,
    ReportSubjectKind,
    VerifyResult,
)
from xinyong.api.multipart import multipart_body, multipart_form
from xinyong.api.resolvers import choice_name
from xinyong.core.errors import FieldError, PermissionDenied
from xinyong.core.inputs import InputRefused, RowId
from xinyong.lists.choices import StatementAdoption
from xinyong.records.schemas import CreditFilePage


class AgencyToken(HttpBearer):
    """An agency's token, checked against the database on every call (no cache: a
    subject's revocation or the agency's removal takes effect at once)."""

    def authenticate(self, request: HttpRequest, token: str):
        found = selectors.token_authenticate(token)
        if found is None:
            return None
        request.agency_token = found
        return found


router = Router(tags=["agencies 信用服务机构"], auth=AgencyToken())
verify = Router(tags=["agencies 信用服务机构"])


def _token(request: HttpRequest, scope: str):
    token = request.agency_token
    if scope not in token.scopes:
        raise PermissionDenied(gettext("接口令牌没有“%(scope)s”权限") % {"scope": scope})
    return token


def _ended(e: services.AuthorisationEnded):
    return InputRefused(403, [FieldError("authorisation_id", e.rule, str(e))])


class AuthorisationOut(Schema):
    id: int
    subject_name: str
    subject_uscc: str | None = Field(description="统一社会信用代码（自然人为空）")
    purpose: str = Field(description=" / ".join(Purpose.values))
    purpose_label: str
    covers: list[str] = Field(description=" / ".join(Coverage.values))
    valid_until: datetime.date
    revoked: bool
    in_effect: bool = Field(description="当前是否有效（未撤回、未到期）")

    @staticmethod
    def resolve_subject_name(obj) -> str:
        return obj.subject.name if obj.subject.kind != "person" else obj.subject.name[:1] + "*"

    @staticmethod
    def resolve_subject_uscc(obj) -> str | None:
        return obj.subject.uscc

    @staticmethod
    def resolve_purpose_label(obj) -> str:
        return str(obj.get_purpose_display())

    @staticmethod
    def resolve_revoked(obj) -> bool:
        return obj.revoked_at is not None


class ReportOut(Schema):
    authorisation_id: int
    number: str = Field(description="平台出具的公共信用信息报告编号")
    verification_code: str
    issued_at: datetime.datetime
    valid_until: datetime.date
    pdf_sha256: str
    verify_url: str
    report: dict = Field(description="报告的机读内容（与 PDF 同源、经签名）")


class RecordsOut(Schema):
    authorisation_id: int
    page: CreditFilePage


class RecordsQuery(Schema):
    category: str | None = Field(None, max_length=32)
    offset: int = Field(0, ge=0, le=100000)


class RegisterIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: str = Field(max_length=64, description="机构自编的报告编号")
    subject_kind: str = Field(
        ReportSubjectKind.ORGANIZATION, max_length=16,
        description="报告所涉主体：organization 组织（填 subject）/ person 自然人（填 "
        "person_id_type 和 person_id_number；证件号码仅以加密和摘要形式保存）",
    )  # fmt: skip
    subject: str = Field("", max_length=18, description="组织的统一社会信用代码")
    person_id_type: str = Field(
        "", max_length=16, description="自然人证件类型：resident_id / passport"
    )
    person_id_number: str = Field("", max_length=32, description="自然人证件号码")
    kind: str = Field(description="credit_report / rating / repair")
    issued_on: datetime.date
    sha256: str = Field(max_length=64, description="报告文件的 SHA-256（十六进制）")


class RegisteredOut(Schema):
    id: int
    number: str
    subject_kind: str = Field(description=" / ".join(ReportSubjectKind.values))
    subject_name: str = Field(description="组织名称；自然人为空")
    person_id_masked: str = Field(description="自然人证件号码（脱敏）；组织为空")
    kind: str
    issued_on: datetime.date
    sha256: str

    @staticmethod
    def resolve_subject_name(obj) -> str:
        return obj.subject.name if obj.subject_id else ""


class RemovalOut(Schema):
    """A removal case of the agency: the notice, its statement, the decision."""

    id: int
    number: str = Field(description="告知书文号")
    status: str = Field(description=" / ".join(RemovalStatus.values))
    status_label: str
    issuer: str
    facts: str
    basis: str
    reasons: str
    notified_at: datetime.datetime
    statement_due: datetime.date = Field(description="陈述申辩截止日期（含当日）")
    statement: str
    statement_at: datetime.datetime | None
    statement_file_name: str
    decision_number: str
    decision_reasons: str
    statement_adoption: str = Field(description=" / ".join(StatementAdoption.values) + "，或空")
    decided_at: datetime.datetime | None

    resolve_status_label = choice_name("status")


class StatementIn(BaseModel):
    """The fields of the multipart form of a statement (the attachment is the optional
    file part ``attachment``)."""

    model_config = ConfigDict(extra="forbid")

    statement: str = Field(max_length=8000, description="陈述申辩意见（不超过 4000 字）")


class VerifyOut(Schema):
    result: str = Field(description=" / ".join(VerifyResult.values))
    result_label: str
    number: str
    agency: str = ""
    agency_uscc: str | None = None
    filing_number: str = ""
    agency_status: str = ""
    kind: str = ""
    subject_kind: str = Field("", description="organization / person；自然人不显示任何信息")
    subject: str = Field("", description="组织名称；自然人为空（不显示，脱敏后也不显示）")
    issued_on: datetime.date | None = None


class VerifyQuery(Schema):
    number: str = Field(max_length=64)
    sha256: str = Field(max_length=64)


@router.get("/authorisations", response=list[AuthorisationOut],
            summary="本机构获得的主体授权")  # fmt: skip
def authorisations(request: HttpRequest):
    token = _token(request, AgencyScope.SUBJECT_DATA)
    return selectors.agency_authorisations(token=token)


@router.get("/authorisations/{authorisation_id}/report", response=ReportOut,
            summary="获取授权主体的公共信用信息报告（授权须包括 public_report）")  # fmt: skip
def authorised_report(request: HttpRequest, authorisation_id: RowId):
    token = _token(request, AgencyScope.SUBJECT_DATA)
    try:
        a, issued = services.agency_read_report(token=token, authorisation_id=authorisation_id)
    except services.AuthorisationEnded as e:
        raise _ended(e) from None
    from xinyong.reports.services import verify_link

    r = issued.report
    return ReportOut(
        authorisation_id=a.pk, number=r.number, verification_code=issued.code,
        issued_at=r.issued_at, valid_until=r.valid_until, pdf_sha256=r.pdf_sha256,
        verify_url=verify_link(r.number, issued.code), report=r.twin,
    )  # fmt: skip


@router.get("/authorisations/{authorisation_id}/records", response=RecordsOut,
            summary="获取授权主体同意共享的信用记录（授权须包括 consented_records）")  # fmt: skip
def authorised_records(request: HttpRequest, authorisation_id: RowId,
                       query: Query[RecordsQuery]):  # fmt: skip
    token = _token(request, AgencyScope.SUBJECT_DATA)
    try:
        a, page = services.agency_read_records(
            token=token, authorisation_id=authorisation_id, category=query.category,
            offset=query.offset,
        )  # fmt: skip
    except services.AuthorisationEnded as e:
        raise _ended(e) from None
    return RecordsOut(authorisation_id=a.pk, page=page)


@router.post("/reports", response={201: RegisteredOut}, summary="登记本机构出具的信用报告",
             description="报告所涉主体为组织的，填 subject（统一社会信用代码）；为自然人的，"
             "subject_kind=person 并填 person_id_type 和 person_id_number（校验后仅以摘要、"
             "密文和脱敏形式保存，核验时不显示）。字段不合规则时 422，指明字段和规则，"
             "不写入任何内容。")  # fmt: skip
def register_report(request: HttpRequest, payload: RegisterIn):
    token = _token(request, AgencyScope.REPORTS_REGISTER)
    report = services.report_register(
        actor=Actor.for_user(token.user), subject_id=token.agency.subject_id,
        number=payload.number, subject_kind=payload.subject_kind, subject_uscc=payload.subject,
        person_id_type=payload.person_id_type, person_id_number=payload.person_id_number,
        kind=payload.kind, issued_on=payload.issued_on, sha256=payload.sha256,
    )  # fmt: skip
    return Status(201, report)


@router.get(
    "/removals", response=list[RemovalOut], summary="本机构的移出名录案件（告知、陈述申辩、决定）"
)
def removals(request: HttpRequest):
    token = _token(request, AgencyScope.REMOVAL_ANSWER)
    return selectors.agency_removals(token=token)


@router.post(
    "/removals/{removal_id}/statement", response=RemovalOut,
    summary="对移出名录告知陈述申辩（可附一个证明材料）",
    description="multipart/form-data：陈述申辩意见（statement）和可选的证明材料（attachment："
    "PDF、PNG 或 JPEG）。每个案件只能提交一次，须在陈述申辩截止日期（含当日）前提交；"
    "已提交、已办结或已逾期时 422（rule：removal.answered / removal.closed / removal.late），"
    "不写入任何内容。他机构的案件 404。",
    openapi_extra=multipart_body(
        StatementIn, "attachment", "证明材料（可选，一个 PDF、PNG 或 JPEG 文件）",
        file_required=False),
)  # fmt: skip
def removal_statement(request: HttpRequest, removal_id: RowId):
    token = _token(request, AgencyScope.REMOVAL_ANSWER)
    form = multipart_form(request, StatementIn)
    return services.agency_removal_statement(
        actor=Actor.for_user(token.user), subject_id=token.agency.subject_id,
        removal_id=removal_id, statement=form.statement,
        attachment=request.FILES.get("attachment"),
    )  # fmt: skip


@verify.get("/verify", response=VerifyOut, auth=None,
            summary="核验信用服务机构出具的报告（按编号和文件摘要）")  # fmt: skip
def verify_report(request: HttpRequest, query: Query[VerifyQuery]):
    out = services.report_verify(number=query.number, sha256=query.sha256)
    return VerifyOut(result_label=str(VerifyResult(out["result"]).label), **out)
