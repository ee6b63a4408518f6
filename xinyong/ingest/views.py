"""Back-office pages of ingestion: upload a file, follow its batch, download its report,
withdraw a record, and the data-quality page per department. Thin: services write,
selectors read."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from xinyong.accounts import access
from xinyong.audit.choices import AuditAction
from xinyong.backoffice.access import staff_actor
from xinyong.catalog import selectors as catalog
from xinyong.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from xinyong.core.exports import csv_lines
from xinyong.core.labels import batch_label
from xinyong.core.params import offset_param
from xinyong.ingest import recovery, selectors, services
from xinyong.ingest.choices import BatchStatus, RowOutcome
from xinyong.ingest.errornames import field_names, named_errors, named_omitted
from xinyong.ingest.forms import UploadForm, WithdrawForm, too_large
from xinyong.ingest.schemas import BatchPageOut
from xinyong.ingest.tasks import enqueue_batch
from xinyong.records import selectors as record_selectors
from xinyong.records.choices import Channel

ROWS_PAGE = 100


@login_required
def batch_list(request: HttpRequest):
    actor = staff_actor(request)
    offset = offset_param(request.GET)
    batches = selectors.batch_list(actor=actor, limit=51, offset=offset)
    return render(
        request,
        "ingest/batch_list.html",
        {
            "batches": [BatchPageOut.of(b) for b in batches[:50]],
            "offset": offset,
            "next_offset": offset + 50 if len(batches) > 50 else None,
        },
    )


def _upload_limit_mb() -> int:
    return settings.XINYONG_UPLOAD_MAX_BYTES // (1 << 20)


# CSRF is checked below, after the size check: reading the token would read the whole body.
@csrf_exempt
@login_required
def batch_upload(request: HttpRequest):
    actor = staff_actor(request)
    items = selectors.submittable_items(actor=actor)
    ctx = {
        "items": items,
        "form": UploadForm(items=items),
        "limit_mb": _upload_limit_mb(),
        "is_operator": access.names_department(actor),
    }
    if request.method != "POST":
        return csrf_protect(lambda r: render(r, "ingest/upload.html", ctx))(request)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0  # the multipart parser refuses such a request by itself
    if declared > settings.XINYONG_UPLOAD_MAX_BYTES + (1 << 16):
        # Refused before the body is read: nothing is received or stored.
        ctx["errors"] = [too_large()]
        return render(request, "ingest/upload.html", ctx, status=413)
    return csrf_protect(_upload_post)(request, actor, ctx)


def _upload_post(request: HttpRequest, actor, ctx: dict):
    form = UploadForm(request.POST, request.FILES, items=ctx["items"])
    ctx["form"] = form
    if not form.is_valid():
        return render(request, "ingest/upload.html", ctx, status=400)
    upload, d = form.cleaned_data["file"], form.cleaned_data
    path = getattr(upload, "temporary_file_path", None)
    try:
        batch = services.batch_submit(
            actor=actor,
            item_code=d["item"],
            channel=Channel.UPLOAD,
            file_format=form.file_format,
            payload=Path(path()) if path else upload.read(),
            file_name=upload.name,
            provider_code=d["provider"] or None,
        )
    except ValidationFailed as e:
        form.fail(e)
        return render(request, "ingest/upload.html", ctx, status=400)
    except (NotFound, PermissionDenied) as e:
        form.add_error("item", str(e))
        status = 403 if isinstance(e, PermissionDenied) else 400  # a refusal, not a bad form
        return render(request, "ingest/upload.html", ctx, status=status)
    enqueue_batch(batch.pk)
    messages.success(request, _("文件已接收，批次 %(id)d 正在处理") % {"id": batch.pk})
    return redirect("backoffice:batch", pk=batch.pk)


@login_required
def batch_detail(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    batch = selectors.batch_get(actor=actor, batch_id=pk)
    outcome = request.GET.get("outcome") or RowOutcome.REJECTED
    if outcome not in RowOutcome.values:
        outcome = RowOutcome.REJECTED
    # A cursor (the last row shown), not an offset: a deep page is an index probe.
    after = min(offset_param(request.GET, "after"), selectors.MAX_ROW_NO)
    rows = selectors.batch_rows(batch=batch, outcome=outcome, after=after, limit=ROWS_PAGE + 1)
    shown = rows[:ROWS_PAGE]
    page = BatchPageOut.of(batch)
    names = field_names(catalog.version_definition(batch.item_version_id))
    for r in shown:
        r.named = named_errors(r.errors, names)
    return render(
        request,
        "ingest/batch_detail.html",
        {
            "batch": page,
            "batch_errors": named_errors(batch.errors, names),
            "errors_omitted": named_omitted(page.errors_omitted, names),
            "retry": recovery.may_retry(actor, batch) and recovery.retry_refusal(batch) is None,
            "payload_days": settings.XINYONG_BATCH_PAYLOAD_DAYS,
            "running": batch.status in (BatchStatus.RECEIVED, BatchStatus.PROCESSING),
            "rows": shown,
            "outcome": outcome,
            "outcomes": RowOutcome.choices,
            "after": after,
            "next_after": shown[-1].row_no if len(rows) > ROWS_PAGE else None,
        },
    )


@login_required
@require_POST
def batch_retry(request: HttpRequest, pk: int):
    """Queue a failed or stuck batch again (the credit office any, the providing
    department's clerk its own); back to the batch page with the outcome."""
    actor = staff_actor(request)
    try:
        recovery.batch_retry(actor=actor, batch_id=pk, enqueue=enqueue_batch)
    except ValidationFailed as e:
        for err in e.errors:
            messages.error(request, err.message)
    except Conflict as e:
        messages.error(request, e.error.message)
    else:
        messages.success(request, _("批次 %(id)d 已重新排队，稍后自动处理") % {"id": pk})
    return redirect("backoffice:batch", pk=pk)


@login_required
def batch_report(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    batch = selectors.batch_get(actor=actor, batch_id=pk, audit=AuditAction.BATCH_REPORT_DOWNLOAD)
    response = StreamingHttpResponse(
        csv_lines(selectors.batch_report_lines(batch=batch)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="batch-{batch.pk}-report.csv"'
    return response


@login_required
def quality(request: HttpRequest):
    actor = staff_actor(request)
    try:
        report = selectors.provider_quality(
            actor=actor,
            provider_code=request.GET.get("provider") or None,
            item_code=request.GET.get("item") or None,
        )
    except PermissionDenied:
        raise Http404 from None
    return render(request, "ingest/quality.html", {"q": report})


@login_required
@require_POST
def record_withdraw(request: HttpRequest, pk: int):
    """Withdraw one record (its department's decision was revoked or changed); back to the
    subject's credit file with the outcome."""
    actor = staff_actor(request)
    form, batch = WithdrawForm(request.POST), None
    if form.is_valid():
        try:
            batch = services.record_withdraw(
                actor=actor, record_id=pk, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as e:
            form.fail(e)
    for field in form:  # the subject's page says what was wrong, naming the field
        for e in field.errors:
            messages.error(request, f"{field.label}：{e}")
    for e in form.non_field_errors():
        messages.error(request, e)
    if batch is not None:
        messages.success(
            request,
            _("记录已撤销，公示随即撤下（%(batch)s），历史版本已保留")
            % {"batch": batch_label(batch.pk)},
        )
    subject = record_selectors.record_subject_id(record_id=pk)
    if subject is None:  # no such record (a stale page, a typed address)
        raise Http404
    return redirect(reverse("backoffice:subject", args=[subject]) + "#records")
