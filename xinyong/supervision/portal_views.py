"""Public pages of double-random inspections (一公开): the results column, the list of
plans and one plan's verification page (seed hash, digests, tasks; once the seed is
published, the draw re-run from the frozen list). Public data only, through selectors."""

from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from xinyong.core.params import whole_number
from xinyong.supervision import selectors


def results(request: HttpRequest):
    """抽查结果公示: published results, newest first, searchable by name, USCC or number."""
    q = (request.GET.get("q") or "").strip()[:50]
    page = whole_number(request.GET.get("page") or "1")
    errors = []
    if page is None or not 1 <= page <= selectors.COLUMN_MAX_PAGE:
        message = _("页码应为1到%(n)s之间的整数") % {"n": selectors.COLUMN_MAX_PAGE}
        errors.append({"field": "page", "message": message})
        page = 1
    rows, has_next = ([], False) if errors else selectors.results_public(q=q, page=page)
    return render(
        request,
        "supervision/portal/results.html",
        {
            "rows": rows,
            "has_next": has_next,
            "q": q,
            "page": page,
            "errors": errors,
            "plans": selectors.plans_public(limit=20),
        },
        status=400 if errors else 200,
    )


def plan(request: HttpRequest, number: str):
    """A plan's public verification page."""
    p = selectors.plan_public(number)
    verification = selectors.draw_verify_cached(p) if request.GET.get("rerun") == "1" else None
    tasks = selectors.plan_tasks_public(p)
    return render(
        request,
        "supervision/portal/plan.html",
        {
            "plan": p,
            "tasks": tasks,
            "verification": verification,
            "items": list(p.items.select_related("department")),
        },
    )
