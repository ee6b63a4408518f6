"""Back-office pages of credit reports (信用报告): obtain a review, special or public report
for a subject, list the reports the department obtained with their downloads, submit a
batch and follow its progress. Thin: services write, selectors read; a refusal is shown
next to its field and writes nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import staff_actor
from xinyong.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from xinyong.core.inputs import form_date
from xinyong.core.params import offset_param
from xinyong.reports import codesfile, selectors, services, special
from xinyong.reports.choices import PURPOSE_OTHER, PURPOSES, ReportKind
from xinyong.reports.models import Report
from xinyong.reports.services.batch import batch_code_of
from xinyong.reports.services.issue import purpose_check
from xinyong.reports.tasks import enqueue_batch
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.selectors import subject_by_uscc

KINDS = (ReportKind.REVIEW, ReportKind.SPECIAL, ReportKind.PUBLIC)
PAGE = 50


def purpose_compose(choice: str, text: str) -> str:
    """The purpose printed on the report: the common purpose chosen, then the free text
    (the purpose itself with 其他); checked by the one purpose rule (required here: the
    form asks for it only where a purpose is stated)."""
    choice, text = (choice or "").strip(), (text or "").strip()
    if choice and choice not in PURPOSES:
        raise ValidationFailed.one("purpose", "purpose.unknown", _("请选择列出的用途"))
    if choice and choice != PURPOSE_OTHER:
        text = f"{choice}：{text}" if text else choice
    return purpose_check(text, required=True)


def _subject(uscc: str):
    try:
        code = validate_uscc(uscc)
    except IdentifierError as e:
        raise ValidationFailed.one("uscc", e.rule, e.message) from None
    subject = subject_by_uscc(code)
    if subject is None:
        raise ValidationFailed.one(
            "uscc", "subject.unknown",
            _("平台上没有统一社会信用代码为 %(code)s 的主体") % {"code": code},
        )  # fmt: skip
    return subject


def _context(request: HttpRequest, actor) -> dict:
    offset = offset_param(request.GET)
    reports = selectors.reports_requested(actor=actor, offset=offset, limit=PAGE + 1)
    return {
        "kinds": [(k, ReportKind(k).label) for k in KINDS],
        "purposes": PURPOSES,
        "domains": [d for d, _deps in special.available_domains()],
        "may_issue": access.allowed(actor, Action.REPORT_REVIEW)
        or access.allowed(actor, Action.REPORT_SPECIAL, None),
        "may_batch": access.allowed(actor, Action.REPORT_BATCH),
        "reports": [(r, _downloads(actor, r)) for r in reports[:PAGE]],
        "offset": offset,
        "next_offset": offset + PAGE if len(reports) > PAGE else None,
        "batches": selectors.batches_visible(actor=actor),
        "verify_url": f"{settings.XINYONG_PUBLIC_URL}/verify/",
        "form": request.POST or {"uscc": request.GET.get("uscc", "")[:64], "kind": "review"},
        "max_years": services.policy().special_max_years,
    }


def _errors(ctx: dict, errors: list[FieldError]) -> None:
    """Each error beside its field (``field_errors.<field>``: the messages)."""
    by_field: dict[str, list[str]] = {}
    for e in errors:
        by_field.setdefault(e.field.split(".")[0].split("[")[0], []).append(e.message)
    ctx["errors"], ctx["field_errors"] = errors, by_field


def _downloads(actor, report: Report) -> bool:
    return access.allowed(actor, Action.REPORT_FILE, report)


@login_required
def report_page(request: HttpRequest):
    """信用报告: obtain a report for a subject; the reports the department obtained."""
    actor = staff_actor(request)
    ctx = _context(request, actor)
    if request.method != "POST":
        return render(request, "reports/backoffice/reports.html", ctx)
    p = request.POST
    kind = p.get("kind", "")
    try:
        if kind not in KINDS:
            raise ValidationFailed.one("kind", "unknown_kind", _("请选择报告类型"))
        subject = _subject(p.get("uscc", ""))
        purpose = ""  # a special report without one: refused by the service, after its fields
        if kind == ReportKind.REVIEW or p.get("purpose_choice") or p.get("purpose_text"):
            purpose = purpose_compose(p.get("purpose_choice", ""), p.get("purpose_text", ""))
        special_kw = {}
        if kind == ReportKind.SPECIAL:
            special_kw = {
                "domains": p.getlist("domains"),
                "period_from": form_date(p.get("period_from", ""), "period_from"),
                "period_to": form_date(p.get("period_to", ""), "period_to"),
            }
        issued = services.report_issue(
            actor=actor, kind=kind, subject=subject, purpose=purpose, **special_kw
        )
    except ValidationFailed as e:
        _errors(ctx, e.errors)
        return render(request, "reports/backoffice/reports.html", ctx, status=422)
    except PermissionDenied as e:
        _errors(ctx, [FieldError("kind", "permission", str(e))])
        return render(request, "reports/backoffice/reports.html", ctx, status=403)
    ctx["issued"] = issued
    ctx["issued_link"] = services.verify_link(issued.report.number, issued.code)
    ctx.update(_context(request, actor) | {"form": {"kind": kind}})
    return render(request, "reports/backoffice/reports.html", ctx)


@login_required
def report_pdf(request: HttpRequest, pk: int):
    """A report's PDF for the department that obtained it (each download audited)."""
    actor = staff_actor(request)
    report, data = services.report_pdf_read(actor=actor, report_id=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@login_required
def batch_new(request: HttpRequest):
    """批量出具: up to ``batch_max`` codes (textarea and/or file), the kind and purpose."""
    actor = staff_actor(request)
    ctx = {
        "purposes": PURPOSES,
        "kinds": [(k, ReportKind(k).label) for k in (ReportKind.REVIEW, ReportKind.PUBLIC)],
        "batch_max": services.policy().batch_max,
        "may_batch": access.allowed(actor, Action.REPORT_BATCH),
        "form": request.POST or {"kind": "review"},
    }
    if request.method != "POST":
        return render(request, "reports/backoffice/batch_new.html", ctx)
    p = request.POST
    try:
        purpose = purpose_compose(p.get("purpose_choice", ""), p.get("purpose_text", ""))
        codes = codesfile.codes_from_text(p.get("codes", ""))
        upload = request.FILES.get("file")
        if upload is not None:
            codes += codesfile.codes_from_file(upload)
        batch = services.report_batch_submit(
            actor=actor, kind=p.get("kind", ""), purpose=purpose, codes=codes,
            enqueue=enqueue_batch,
        )  # fmt: skip
    except ValidationFailed as e:
        _errors(ctx, e.errors)
        return render(request, "reports/backoffice/batch_new.html", ctx, status=422)
    except PermissionDenied as e:
        _errors(ctx, [FieldError("kind", "permission", str(e))])
        return render(request, "reports/backoffice/batch_new.html", ctx, status=403)
    return redirect("backoffice:report_batch", pk=batch.pk)


@login_required
def batch_detail(request: HttpRequest, pk: int):
    """A batch's progress; done: its reports with their codes and the ZIP."""
    actor = staff_actor(request)
    batch = selectors.batch_get(actor=actor, batch_id=pk)
    downloads = access.allowed(actor, Action.REPORT_BATCH, batch)
    rows = []
    if batch.status == "done" and downloads:
        rows = [(r, batch_code_of(r)) for r in selectors.batch_reports(batch)]
    return render(
        request,
        "reports/backoffice/batch.html",
        {"batch": batch, "downloads": downloads, "rows": rows,
         "running": batch.status in ("queued", "running"),
         "percent": batch.done * 100 // batch.total if batch.total else 100,
         "verify_url": f"{settings.XINYONG_PUBLIC_URL}/verify/"},
    )  # fmt: skip


@login_required
def batch_zip(request: HttpRequest, pk: int):
    """Every report of a finished batch: PDFs, signed JSON twins and the index (audited)."""
    actor = staff_actor(request)
    try:
        batch, f = services.report_batch_zip(actor=actor, batch_id=pk)
    except Conflict as e:
        messages.error(request, e.error.message)
        return redirect("backoffice:report_batch", pk=pk)
    return FileResponse(
        f, as_attachment=True, filename=f"reports-batch-{batch.pk}.zip",
        content_type="application/zip",
    )  # fmt: skip
