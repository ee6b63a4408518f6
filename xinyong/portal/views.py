"""Public pages. No models here: the portal renders output schemas from selectors, so it
can only ever show what those schemas publish."""

from django.http import Http404, HttpRequest
from django.shortcuts import render

from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.records.schemas import file_query
from xinyong.records.selectors import public_records
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
        },
    )
