"""Back-office pages of credit reports (信用报告): obtain a review, special or public report
for a subject, list the reports the department obtained with their downloads, submit a
batch and follow its progress. Thin: services write, selectors read; a refusal is shown
next to its field and writes nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import staff_actor
from xinyong.core.errors import Conflict, PermissionDenied, ValidationFailed
from xinyong.core.forms import submit
from xinyong.core.params import offset_param
from xinyong.reports import codesfile, selectors, services, special
from xinyong.reports.choices import PURPOSE_OTHER, PURPOSES, ReportKind
from xinyong.reports.forms import BatchForm, OfficeReportForm
from xinyong.reports.models import Report
from xinyong.reports.services.batch import batch_code_of
from xinyong.reports.services.issue import purpose_check
from xinyong.reports.tasks import enqueue_batch
from xinyong.subjects.selectors import subject_by_uscc

PAGE = 50


def purpose_compose(choice: str, text: str) -> str:
    """The purpose printed on the report: the common purpose chosen, then the free text
    (the purpose itself with 其他); checked by the one purpose rule (required here: the
    form asks for it only where a purpose is stated)."""
    choice, text = (choice or "").strip(), (text or "").strip()
    if choice and choice not in PURPOSES:
        raise ValidationFailed.one("purpose_choice", "purpose.unknown", _("请选择列出的用途"))
    if choice and choice != PURPOSE_OTHER:
        text = f"{choice}：{text}" if text else choice
    return purpose_check(text, required=True)


def _subject(code: str):
    """The subject of a code the form found well formed."""
    subject = subject_by_uscc(code)
    if subject is None:
        raise ValidationFailed.one(
            "uscc", "subject.unknown",
            _("平台上没有统一社会信用代码为 %(code)s 的主体") % {"code": code},
        )  # fmt: skip
    return subject


def _context(request: HttpRequest, actor, form: OfficeReportForm) -> dict:
    offset = offset_param(request.GET)
    reports = selectors.reports_requested(actor=actor, offset=offset, limit=PAGE + 1)
    return {
        "form": form,
        "domains": [d for d, _deps in special.available_domains()],
        "may_issue": access.allowed(actor, Action.REPORT_REVIEW)
        or access.allowed(actor, Action.REPORT_SPECIAL, None),
        "may_batch": access.allowed(actor, Action.REPORT_BATCH),
        "reports": [(r, _downloads(actor, r)) for r in reports[:PAGE]],
        "offset": offset,
        "next_offset": offset + PAGE if len(reports) > PAGE else None,
        "batches": selectors.batches_visible(actor=actor),
        "verify_url": f"{settings.XINYONG_PUBLIC_URL}/verify/",
        "max_years": services.policy().special_max_years,
    }


def _downloads(actor, report: Report) -> bool:
    return access.allowed(actor, Action.REPORT_FILE, report)


def _purpose(d: dict, *, required: bool) -> str:
    """The purpose composed; not stated and not required: none (a special report without
    one is refused by the service, after its fields)."""
    if required or d["purpose_choice"] or d["purpose_text"]:
        return purpose_compose(d["purpose_choice"], d["purpose_text"])
    return ""


@login_required
def report_page(request: HttpRequest):
    """信用报告: obtain a report for a subject; the reports the department obtained. Issued:
    the page again with the report's number and code (shown only here: no redirect). The
    input refused: each error next to its field (422); refused by the access rules: the
    rule's words above the form (403). Not through ``core.forms.submit`` for the first."""
    actor = staff_actor(request)
    if request.method != "POST":
        initial = {"uscc": request.GET.get("uscc", "")[:64], "kind": ReportKind.REVIEW}
        form = OfficeReportForm(initial=initial)
        return render(request, "reports/backoffice/reports.html", _context(request, actor, form))
    form, status, issued = OfficeReportForm(request.POST), 422, None
    if form.is_valid():
        d = form.cleaned_data
        try:
            issued = services.report_issue(
                actor=actor, kind=d["kind"], subject=_subject(d["uscc"]),
                purpose=_purpose(d, required=d["kind"] == ReportKind.REVIEW), **form.special(),
            )  # fmt: skip
        except ValidationFailed as e:
            form.fail(e)
        except PermissionDenied as e:
            form.add_error(None, str(e))
            status = 403
    if issued is None:
        ctx = _context(request, actor, form)
        return render(request, "reports/backoffice/reports.html", ctx, status=status)
    ctx = _context(request, actor, OfficeReportForm(initial={"kind": d["kind"]}))
    ctx |= {"issued": issued, "issued_link": services.verify_link(issued.report.number,
                                                                  issued.code)}  # fmt: skip
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
    """批量出具: up to ``batch_max`` codes (textarea and/or file), the kind and purpose.
    Accepted: to the batch's progress page; refused: each error next to its field (422),
    or the access rule's words above the form (403)."""
    actor = staff_actor(request)
    post = request.method == "POST"
    form = BatchForm(request.POST, request.FILES) if post else BatchForm(initial={"kind": "review"})
    ctx = {
        "form": form,
        "batch_max": services.policy().batch_max,
        "may_batch": access.allowed(actor, Action.REPORT_BATCH),
    }
    return submit(
        request, form, lambda d: _batch_submit(actor, d),
        page=lambda status: render(request, "reports/backoffice/batch_new.html", ctx,
                                   status=status),
        done=_("批量任务已提交，正在后台出具"),
        then=lambda batch: reverse("backoffice:report_batch", args=[batch.pk]),
        invalid=422, refused=403,
    )  # fmt: skip


def _batch_submit(actor, d: dict):
    """The purpose, the codes typed and those of the file (each refusal of the three told
    at once), then the service."""
    errors = []

    def read(what, default):
        try:
            return what()
        except ValidationFailed as e:
            errors.extend(e.errors)
            return default

    purpose = read(lambda: purpose_compose(d["purpose_choice"], d["purpose_text"]), "")
    codes = read(lambda: codesfile.codes_from_text(d["codes"]), [])
    if d["file"] is not None:
        codes += read(lambda: codesfile.codes_from_file(d["file"]), [])
    if errors:
        raise ValidationFailed(errors)
    return services.report_batch_submit(
        actor=actor, kind=d["kind"], purpose=purpose, codes=codes, enqueue=enqueue_batch
    )


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
