"""The public verification page (/verify/, what a report's QR code opens) and the page of
the keys that sign reports (/verify/keys/). Open to everyone; thin: the service answers,
the page shows the answer in words."""

from django.http import HttpRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from xinyong.core.errors import ValidationFailed
from xinyong.reports import selectors, services, throttle
from xinyong.reports.choices import VerifyChannel
from xinyong.reports.forms import VerifyForm
from xinyong.reports.services.verify import PDF_MAX_MB
from xinyong.reports.views import request_actor
from xinyong.reports.views.portal import throttled


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest):
    """GET with ``n`` and ``c`` (the QR code's link) answers at once; the form posts the
    number, the code and optionally the PDF, whose digest is compared with the report's.
    Refused: the form again, each error next to its field (400)."""
    post = request.method == "POST"
    data = request.POST if post else request.GET
    number, code = data.get("n", ""), data.get("c", "")
    if not post and not (number and code):  # the form, filled in with what the link had
        form = VerifyForm(initial={"n": number, "c": code}, max_mb=PDF_MAX_MB)
        return render(request, "reports/verify.html", {"form": form})
    wait = throttle.verify_wait(request)
    if wait:
        return throttled(request, wait, verify=True)
    form = VerifyForm(data, request.FILES if post else None, max_mb=PDF_MAX_MB)
    ctx = {"form": form}
    if not form.is_valid():
        return render(request, "reports/verify.html", ctx, status=400)
    d = form.cleaned_data
    try:
        digest = services.report_pdf_digest(d["pdf"]) if d["pdf"] is not None else None
        result = services.report_verify(
            actor=request_actor(request), number=d["n"], code=d["c"], pdf_sha256=digest,
            channel=VerifyChannel.PAGE,
        )  # fmt: skip
    except ValidationFailed as e:
        form.fail(e)
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
