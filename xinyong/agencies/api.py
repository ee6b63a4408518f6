"""API of the credit service agencies.

``/agency/…`` is called by a filed agency's own systems with a token its bound account
issued (``Authorization: Bearer xya_…``; scoped): the authorisations given to it, and —
for a subject that authorised it and only within that authorisation — the subject's public
report (issued by the report service) and the records it shares by consent; every read
is audited and logged for the subject. A revoked, expired or removed-agency authorisation
is refused at the next call (403, the rule says which). ``/agency-reports/verify`` is open
to anyone: was a report of this number and file registered by an agency in good standing?"""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field

from xinyong.agencies import selectors, services
from xinyong.agencies.choices import AgencyScope, Coverage, Purpose, VerifyResult
from xinyong.core.errors import FieldError, PermissionDenied
from xinyong.core.inputs import InputRefused, RowId
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
    subject: str = Field(max_length=18, description="报告所涉主体的统一社会信用代码")
    kind: str = Field(description="credit_report / rating / repair")
    issued_on: datetime.date
    sha256: str = Field(max_length=64, description="报告文件的 SHA-256（十六进制）")


class RegisteredOut(Schema):
    id: int
    number: str
    kind: str
    issued_on: datetime.date
    sha256: str


class VerifyOut(Schema):
    result: str = Field(description=" / ".join(VerifyResult.values))
    result_label: str
    number: str
    agency: str = ""
    agency_uscc: str | None = None
    filing_number: str = ""
    agency_status: str = ""
    kind: str = ""
    subject: str = ""
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


@router.post("/reports", response={201: RegisteredOut}, summary="登记本机构出具的信用报告")
def register_report(request: HttpRequest, payload: RegisterIn):
    token = _token(request, AgencyScope.REPORTS_REGISTER)
    from xinyong.accounts.actors import Actor

    report = services.report_register(
        actor=Actor.for_user(token.user), subject_id=token.agency.subject_id,
        number=payload.number, subject_uscc=payload.subject, kind=payload.kind,
        issued_on=payload.issued_on, sha256=payload.sha256,
    )  # fmt: skip
    return Status(201, report)


@verify.get("/verify", response=VerifyOut, auth=None,
            summary="核验信用服务机构出具的报告（按编号和文件摘要）")  # fmt: skip
def verify_report(request: HttpRequest, query: Query[VerifyQuery]):
    out = services.report_verify(number=query.number, sha256=query.sha256)
    return VerifyOut(result_label=str(VerifyResult(out["result"]).label), **out)
