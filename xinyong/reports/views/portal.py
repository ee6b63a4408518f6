"""Portal pages of reports anyone can use: the public report of an organisation asked for
from its subject page (free, no sign-in), the page of an issued report and its files.

A public report's number and verification code are the capability to its files (whoever
was handed the report may fetch it again); any report's files also go to whoever asked
for it (``Action.REPORT_FILE``), non-public ones audited. Anything else is not found."""

import math

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.reports import selectors, services, throttle
from xinyong.reports.choices import ReportKind
from xinyong.reports.views import request_actor
from xinyong.subjects.selectors import subject_get


def throttled(request: HttpRequest, wait: int, *, verify: bool = False) -> HttpResponse:
    """HTTP 429 with the minutes to wait (``verify``: for verifications, not reports)."""
    minutes = max(1, math.ceil(wait / 60))
    ctx = {"minutes": minutes, "verify": verify}
    response = render(request, "reports/throttled.html", ctx, status=429)
    response["Retry-After"] = str(wait)
    return response


def result_url(number: str, code: str = "") -> str:
    url = reverse("portal:report", args=[number])
    return f"{url}?{urlencode({'c': code})}" if code else url


@require_POST
def subject_report(request: HttpRequest, pk: int):
    """下载公共信用信息报告 on an organisation's page: issue its public report now."""
    try:
        subject = subject_get(pk=pk)
    except NotFound:
        raise Http404(_("主体不存在")) from None
    actor = request_actor(request)
    wait = throttle.issue_wait(request, anonymous=actor.is_anonymous)
    if wait:
        return throttled(request, wait)
    try:
        issued = services.report_issue(actor=actor, kind=ReportKind.PUBLIC, subject=subject)
    except ValidationFailed as e:
        for err in e.errors:
            messages.error(request, err.message)
        return redirect("portal:subject", pk=pk)
    return redirect(result_url(issued.report.number, issued.code))


def _reader_report(request: HttpRequest, number: str, *, audit: bool):
    code = request.GET.get("c", "")
    try:
        report = selectors.report_for_reader(
            actor=request_actor(request), number=number, code=code, audit=audit
        )
    except NotFound:
        raise Http404(_("没有该报告，或无权获取")) from None
    genuine = selectors.report_genuine(number, code) is not None
    return report, (code.strip().upper() if genuine else "")


@require_GET
def report_page(request: HttpRequest, number: str):
    """The report just issued (or asked for again): number, verification code, validity
    and its two files."""
    report, code = _reader_report(request, number, audit=False)
    query = f"?{urlencode({'c': code})}" if code else ""
    return render(
        request,
        "reports/result.html",
        {
            "report": report,
            "code": code,
            "kind_label": ReportKind(report.kind).label,
            "subject_name": report.twin["subject"]["name"],
            "expired": report.valid_until < timezone.localdate(),
            "pdf_url": reverse("portal:report_pdf", args=[report.number]) + query,
            "json_url": reverse("portal:report_json", args=[report.number]) + query,
            "verify_url": services.verify_link(report.number, code) if code else "",
        },
    )


@require_GET
def report_pdf(request: HttpRequest, number: str):
    report, _code = _reader_report(request, number, audit=True)
    response = HttpResponse(selectors.report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@require_GET
def report_json(request: HttpRequest, number: str):
    report, _code = _reader_report(request, number, audit=True)
    twin = selectors.report_twin_signed(report)
    response = JsonResponse(twin, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{report.number}.json"'
    return response
