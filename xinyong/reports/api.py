"""/api/v1/reports: issue reports (departments' systems), download them, verify them."""

from ninja import Router

router = Router(tags=["reports"])


# -- issuing and downloading (departments' systems and staff sessions) --------------------
# Routes of their own paths: POST "", GET "/{number}/pdf", GET "/{number}/json"; they do not
# overlap "/keys" or "/{number}" (verification), which other blocks of this router add.

from django.conf import settings  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from ninja import Path, Status  # noqa: E402

from xinyong.accounts.choices import ApiScope  # noqa: E402
from xinyong.api.auth import require_scope  # noqa: E402
from xinyong.core.errors import FieldError, NotFound, ValidationFailed  # noqa: E402
from xinyong.core.inputs import InputRefused  # noqa: E402
from xinyong.reports import selectors as report_selectors  # noqa: E402
from xinyong.reports import services as report_services  # noqa: E402
from xinyong.reports.choices import ReportKind  # noqa: E402
from xinyong.reports.schemas import ReportIn, ReportIssuedOut, SignedReportOut  # noqa: E402
from xinyong.subjects.selectors import subject_by_uscc  # noqa: E402
from xinyong.subjects.services import check_uscc  # noqa: E402

API_KINDS = (ReportKind.PUBLIC, ReportKind.SPECIAL, ReportKind.REVIEW)
NumberPath = Path(..., max_length=32, description="报告编号（XY 开头）")


def _issued_out(issued) -> ReportIssuedOut:
    r = issued.report
    base = f"{settings.XINYONG_PUBLIC_URL}/api/v1/reports/{r.number}"
    return ReportIssuedOut(
        number=r.number, verification_code=issued.code, kind=r.kind,
        kind_label=str(ReportKind(r.kind).label), subject_name=r.twin["subject"]["name"],
        issued_at=r.issued_at, valid_until=r.valid_until, content_sha256=r.content_sha256,
        pdf_sha256=r.pdf_sha256, pdf_url=f"{base}/pdf", json_url=f"{base}/json",
        verify_url=report_services.verify_link(r.number, issued.code),
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
            "接口可出具的报告类型为 public、special、review（自查版仅限信用主体本身在门户获取）",
        )  # fmt: skip
    code = check_uscc(payload.subject, field="subject")
    subject = subject_by_uscc(code)
    if subject is None:
        raise InputRefused(
            404, [FieldError("subject", "subject.not_found",
                             f"未找到统一社会信用代码为“{code}”的主体")],
        )  # fmt: skip
    issued = report_services.report_issue(
        actor=actor, kind=payload.kind, subject=subject, purpose=payload.purpose,
        domains=payload.domains, period_from=payload.period_from, period_to=payload.period_to,
    )  # fmt: skip
    return Status(201, _issued_out(issued))


def _own_report(request: HttpRequest, number: str):
    actor = require_scope(request, ApiScope.REPORTS)
    try:
        return report_selectors.report_for_reader(actor=actor, number=number)
    except NotFound:
        raise InputRefused(
            404, [FieldError("number", "report.not_found", "没有该报告，或不是本部门申请的报告")]
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
    response = HttpResponse(report_selectors.report_pdf(report), content_type="application/pdf")
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
    return report_selectors.signed_twin(_own_report(request, number))
