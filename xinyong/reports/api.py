"""/api/v1/reports: issue reports (departments' systems), download them, verify them."""

from typing import Annotated

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Status
from pydantic import WithJsonSchema

from xinyong.accounts.actors import ANONYMOUS
from xinyong.accounts.choices import ApiScope
from xinyong.api.auth import AUTH, require_scope
from xinyong.api.errors import ErrorOut
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import InputRefused, RowId
from xinyong.reports import selectors, services, throttle
from xinyong.reports.choices import ReportKind, VerifyChannel
from xinyong.reports.schemas import (
    ReportBatchIn,
    ReportBatchOut,
    ReportIn,
    ReportIssuedOut,
    SignedReportOut,
    SigningKeysOut,
    VerificationOut,
)
from xinyong.reports.services.verify import CODE, NUMBER, SHA256
from xinyong.reports.tasks import enqueue_batch
from xinyong.subjects.selectors import subject_by_uscc
from xinyong.subjects.services import check_uscc

router = Router(tags=["reports"])


# -- issuing and downloading (departments' systems and staff sessions) --------------------
# POST "", GET "/{number}/pdf", GET "/{number}/json"; verification below ("/keys" before
# "/{number}").

API_KINDS = (ReportKind.PUBLIC, ReportKind.SPECIAL, ReportKind.REVIEW)
NumberPath = Path(..., max_length=32, description="报告编号（XY 开头）")


def _issued_out(issued) -> ReportIssuedOut:
    r = issued.report
    base = f"{settings.XINYONG_PUBLIC_URL}/api/v1/reports/{r.number}"
    return ReportIssuedOut(
        number=r.number, verification_code=issued.code, kind=r.kind,
        kind_label=str(ReportKind(r.kind).label), subject_name=r.subject_name,
        issued_at=r.issued_at, valid_until=r.valid_until, content_sha256=r.content_sha256,
        pdf_sha256=r.pdf_sha256, pdf_url=f"{base}/pdf", json_url=f"{base}/json",
        verify_url=services.verify_link(r.number, issued.code),
    )  # fmt: skip


@router.post(
    "",
    response={201: ReportIssuedOut},
    summary="出具信用报告（部门业务系统）",
    description=(
        "为一个法人或非法人组织、个体工商户出具公共信用信息报告（public）、专项信用报告（special，"
        "domains 为领域编码，查询期默认近三年）或信用审查报告（review，须写明 purpose）。"
        "subject 为统一社会信用代码：不符合编码规则的返回 422 并指出违反的规则，"
        "未登记的返回 404（field 为 subject）。需要令牌权限 reports。验证码只在此返回一次。"
    ),
)
def report_new(request: HttpRequest, payload: ReportIn):
    actor = require_scope(request, ApiScope.REPORTS)
    if payload.kind not in API_KINDS:
        raise ValidationFailed.one(
            "kind", "kind.api",
            _("接口可出具的报告类型为 public、special、review（自查版仅限信用主体本身在门户获取）"),
        )  # fmt: skip
    code = check_uscc(payload.subject, field="subject")
    subject = subject_by_uscc(code)
    if subject is None:
        raise InputRefused(
            404, [FieldError("subject", "subject.not_found",
                             _("未找到统一社会信用代码为“%(code)s”的主体") % {"code": code})],
        )  # fmt: skip
    issued = services.report_issue(
        actor=actor, kind=payload.kind, subject=subject, purpose=payload.purpose,
        domains=payload.domains, period_from=payload.period_from, period_to=payload.period_to,
    )  # fmt: skip
    return Status(201, _issued_out(issued))


def _own_report(request: HttpRequest, number: str):
    actor = require_scope(request, ApiScope.REPORTS)
    try:
        return selectors.report_for_reader(actor=actor, number=number)
    except NotFound:
        raise InputRefused(
            404, [FieldError("number", "report.not_found", _("没有该报告，或不是本部门申请的报告"))]
        ) from None


@router.get(
    "/{number}/pdf",
    summary="下载信用报告 PDF（申请部门）",
    description="本部门出具的报告的 PDF；非公开版报告的每次下载记入审计日志。",
    openapi_extra={
        "responses": {
            200: {
                "description": "报告 PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def report_pdf(request: HttpRequest, number: str = NumberPath):
    report = _own_report(request, number)
    response = HttpResponse(selectors.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@router.get(
    "/{number}/json",
    response=SignedReportOut,
    summary="下载信用报告数据文件（带签名，申请部门）",
    description=(
        "报告的机器可读版本 {report, signature}：signature.value 为平台以 Ed25519 对 report 的"
        "规范 JSON（键排序、无空白、UTF-8）所作签名，report.pdf_sha256 为 PDF 的摘要。"
    ),
)
def report_json(request: HttpRequest, number: str = NumberPath):
    return selectors.report_twin_signed(_own_report(request, number))


# -- batches (before "/{number}": a path of the verification would take "/batches") -----


def _batch_out(b) -> ReportBatchOut:
    return ReportBatchOut(
        id=b.pk, kind=b.kind, kind_label=b.get_kind_display(), purpose=b.purpose,
        status=b.status, status_label=b.get_status_display(), total=b.total, done=b.done,
        created_at=b.created_at, finished_at=b.finished_at, error=b.error,
        zip_url=f"/api/v1/reports/batches/{b.pk}/zip" if b.status == "done" else None,
    )  # fmt: skip


@router.post(
    "/batches",
    response={202: ReportBatchOut},
    summary="批量出具信用报告（如招标投标人审查）",
    description=(
        "最多 ReportPolicy.batch_max（默认 1,000）个主体，类型 public 或 review，须写明用途。"
        "所有代码先逐一校验：有误的代码（field=codes，rule 为校验规则，message 写明第几行）"
        "或平台上没有的主体使整批被拒收（422），不写入任何数据；重复的代码只出具一份。"
        "受理后返回 202，在后台逐份出具；用 GET 查询进度，完成后下载 ZIP。"
    ),
)
def submit_report_batch(request: HttpRequest, payload: ReportBatchIn):
    actor = require_scope(request, ApiScope.REPORTS)
    batch = services.report_batch_submit(
        actor=actor, kind=payload.kind, purpose=payload.purpose, codes=payload.codes,
        enqueue=enqueue_batch,
    )  # fmt: skip
    batch.refresh_from_db()
    return Status(202, _batch_out(batch))


@router.get(
    "/batches/{batch_id}",
    response=ReportBatchOut,
    summary="批量报告任务的进度",
    description="本部门的任务（平台运营方与审计可查看所有部门的）；其他部门的任务返回 404。",
)
def get_report_batch(request: HttpRequest, batch_id: RowId):
    actor = require_scope(request, ApiScope.REPORTS)
    return _batch_out(selectors.batch_get(actor=actor, batch_id=batch_id))


@router.get(
    "/batches/{batch_id}/zip",
    summary="下载批量报告（ZIP）",
    description=(
        "完成的任务的全部报告：每份 PDF 及其签名的 JSON 数据文件"
        '（{"report": …, "signature": {"alg": "Ed25519", "key_id", "public_key", "value"}}），'
        "以及 index.csv（统一社会信用代码、名称、报告编号、验证码、文件摘要）。仅限申请部门与"
        "平台运营方；未完成的任务返回 409。每次下载记入审计日志。"
    ),
    openapi_extra={"responses": {200: {"content": {"application/zip": {}}, "description": "ZIP"}}},
)
def get_report_batch_zip(request: HttpRequest, batch_id: RowId):
    actor = require_scope(request, ApiScope.REPORTS)
    batch, f = services.report_batch_zip(actor=actor, batch_id=batch_id)
    return FileResponse(
        f, as_attachment=True, filename=f"reports-batch-{batch.pk}.zip",
        content_type="application/zip",
    )  # fmt: skip


# -- verification: open to anyone -------------------------------------------------------


def _anyone(request: HttpRequest):
    """Verification needs no account: a request without ``Authorization`` is the public
    (logged as 社会公众). A token that does not authenticate is still refused (401), so a
    system learns that its token expired instead of being logged as the public."""
    if "Authorization" in request.headers:
        return None
    request.actor = ANONYMOUS
    return ANONYMOUS


OPEN = [*AUTH, _anyone]


def _format(pattern):
    """A parameter's format, documented (so generated clients and tests know it) but
    checked by the service, whose refusal names the field and the rule in words."""
    return Annotated[str, WithJsonSchema({"type": "string", "pattern": f"^{pattern.pattern}$"})]


Number, Code, Sha256 = _format(NUMBER), _format(CODE), _format(SHA256)
# In the description: a token or a staff session identifies the verifier, none is needed
# (ninja lists the two schemes; the empty requirement is added to them).
_OPEN_DOC = {"security": [{}]}
NOT_GENUINE_DOC = "未能核验：不是本平台出具的报告，或编号、验证码有误（两者答复相同）"


@router.get(
    "/keys",
    auth=OPEN,
    response=SigningKeysOut,
    summary="报告签名公钥：验证报告数据文件（JSON）电子签名所用的全部公钥",
    openapi_extra=_OPEN_DOC,
)
def signing_keys(request: HttpRequest):
    return SigningKeysOut(keys=selectors.signing_keys())


@router.get(
    "/{number}",
    auth=OPEN,
    response={200: VerificationOut, 404: ErrorOut, 429: ErrorOut},
    summary="核验报告真伪：报告编号与验证码，可附文件的 SHA-256",
    description=(
        "无需登录；携带接口令牌时以业务系统名义记录核验。编号或验证码有误与报告不存在答复"
        "相同（404，rule=report.not_genuine），以防探测编号。附 sha256 时比对报告文件摘要，"
        "不符返回 status=altered。同一网络地址核验过于频繁时返回 429（rule=throttle），"
        "Retry-After 为需等待的秒数。"
    ),
    openapi_extra={**_OPEN_DOC, "responses": {404: {"description": NOT_GENUINE_DOC}}},
)
def report_verify(
    request: HttpRequest,
    number: Number,
    code: Code,
    sha256: Sha256 = "",
):
    wait = throttle.verify_wait(request)
    if wait:
        message = _("核验过于频繁，请于 %(s)d 秒后再试") % {"s": wait}
        response = JsonResponse(
            {"detail": [{"field": "", "rule": "throttle", "message": message}]},
            status=429, json_dumps_params={"ensure_ascii": False},
        )  # fmt: skip
        response["Retry-After"] = str(wait)
        return response
    result = services.report_verify(
        actor=request.actor, number=number, code=code, pdf_sha256=sha256 or None,
        channel=VerifyChannel.API,
    )  # fmt: skip
    if not result.found:
        message = _("未能核验：不是本平台出具的报告，或编号、验证码有误")
        error = {"field": "number", "rule": "report.not_genuine", "message": message}
        return Status(404, {"detail": [error]})
    return Status(200, result.out())
