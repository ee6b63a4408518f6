"""Public pages. No models here: the portal renders output schemas from selectors, so it
can only ever show what those schemas publish."""

from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils import timezone

from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.disclosure import selectors as disclosure
from xinyong.lists.schemas import PublicEntryOut
from xinyong.lists.selectors import public_entries, roll_entries, rolls
from xinyong.records.schemas import file_query
from xinyong.records.selectors import public_records
from xinyong.remedies.schemas import CorrectionNoticeOut
from xinyong.remedies.selectors import correction_notices
from xinyong.subjects import selectors
from xinyong.subjects.schemas import SubjectDetailOut, SubjectOut


def home(request: HttpRequest):
    return render(request, "portal/home.html", {"counts": selectors.subject_counts()})


def search(request: HttpRequest):
    q = request.GET.get("q", "")
    try:
        page_no = int(request.GET.get("page", "1"))
    except ValueError:
        page_no = 0
    ctx: dict = {"q": q}
    try:
        page = selectors.subject_search(q=q, page=page_no)
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        return render(request, "portal/search.html", ctx, status=400)
    ctx.update(
        page=page,
        results=[SubjectOut.from_orm(s) for s in page.results],
    )
    return render(request, "portal/search.html", ctx)


def subject_detail(request: HttpRequest, pk: int):
    try:
        subject = selectors.subject_get(pk=pk)
    except NotFound:
        raise Http404("主体不存在") from None
    category, offset = file_query(request.GET)
    return render(
        request,
        "portal/subject.html",
        {
            "subject": SubjectDetailOut.from_orm(subject),
            "file": public_records(subject=subject, category=category, offset=offset),
            "entries": [
                PublicEntryOut.of(e)
                for e in public_entries(subject_id=subject.pk, today=timezone.localdate())
            ],
        },
    )


def publicity(request: HttpRequest):
    """信用双公示: published licences and penalties, searchable and filterable."""
    ctx: dict = {"params": request.GET, "departments": disclosure.column_departments()}
    try:
        query = disclosure.column_query(request.GET)
    except ValidationFailed as e:
        ctx.update(errors=e.errors, query=None)
        return render(request, "portal/publicity.html", ctx, status=400)
    rows, has_next = disclosure.column_search(query)
    ctx.update(query=query, rows=rows, has_next=has_next)
    return render(request, "portal/publicity.html", ctx)


def publicity_detail(request: HttpRequest, pk: int):
    try:
        detail = disclosure.column_detail(record_id=pk)
    except NotFound:
        raise Http404("该信息不存在或已不在公示期内") from None
    return render(request, "portal/publicity_detail.html", {"d": detail})


def roll(request: HttpRequest):
    """红黑榜: the honor and dishonor roll of a month, with each entry's legal basis."""
    period = request.GET.get("period") or None
    found, red, black = roll_entries(period=period, today=timezone.localdate())
    if period and found is None:
        raise Http404("该期红黑榜未发布")
    return render(
        request,
        "portal/roll.html",
        {
            "roll": found,
            "periods": rolls(),
            "red": [PublicEntryOut.of(e) for e in red],
            "black": [PublicEntryOut.of(e) for e in black],
        },
    )


def corrections(request: HttpRequest):
    """更正公告: entries revoked after a successful objection, to restore reputations."""
    rows = [CorrectionNoticeOut.of(o) for o in correction_notices()]
    return render(request, "portal/corrections.html", {"rows": rows})
