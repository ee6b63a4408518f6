"""The public verification page (/verify/, what a report's QR code opens) and the page of
the keys that sign reports (/verify/keys/). Open to everyone; thin: the service answers,
the page shows the answer in words."""

from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.fieldlabels import error_lines
from xinyong.reports import selectors, services, throttle
from xinyong.reports.choices import VerifyChannel
from xinyong.reports.services.verify import PDF_MAX_MB
from xinyong.reports.views import request_actor
from xinyong.reports.views.portal import throttled

# The form's fields by the names the service's errors use.
LABELS = {
    "number": _("报告编号"),
    "code": _("验证码"),
    "pdf": _("报告文件"),
    "sha256": _("报告文件"),
}


def _errors(errors: list[FieldError]) -> list[dict]:
    return error_lines(errors, LABELS)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest):
    """GET with ``n`` and ``c`` (the QR code's link) answers at once; the form posts the
    number, the code and optionally the PDF, whose digest is compared with the report's."""
    data = request.POST if request.method == "POST" else request.GET
    number, code = data.get("n", ""), data.get("c", "")
    ctx = {"n": number, "c": code, "max_mb": PDF_MAX_MB}
    if request.method != "POST" and not (number and code):
        return render(request, "reports/verify.html", ctx)
    wait = throttle.verify_wait(request)
    if wait:
        return throttled(request, wait, verify=True)
    try:
        digest = None
        upload = request.FILES.get("pdf") if request.method == "POST" else None
        if upload is not None:
            digest = services.report_pdf_digest(upload)
        result = services.report_verify(
            actor=request_actor(request), number=number, code=code, pdf_sha256=digest,
            channel=VerifyChannel.PAGE,
        )  # fmt: skip
    except ValidationFailed as e:
        ctx["errors"] = _errors(e.errors)
        return render(request, "reports/verify.html", ctx, status=400)
    ctx.update(
        result=result,
        report=result.out(),
        issuer=result.row["issuer"] if result.row else "",
        compared=digest is not None,
    )
    return render(request, "reports/verify.html", ctx)


def keys(request: HttpRequest):
    """Every key that signed reports, the current one marked: what an offline verifier
    trusts (taken from here, never from the report file itself)."""
    return render(request, "reports/verify_keys.html", {"keys": selectors.signing_keys()})
