"""The statistics pages: the back office's dashboard with its charts and their XLSX, and
the portal's public statistics. Thin: the filter is parsed by ``schemas.stats_filter``,
who sees which department's figures is the access layer's (``access.stats_department``,
through the selectors), the figures are the selectors'."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.backoffice.access import staff_actor
from xinyong.core.errors import ValidationFailed
from xinyong.core.fieldlabels import error_lines
from xinyong.stats import selectors
from xinyong.stats.schemas import FILTER_LABELS, StatsFilter, default_period, stats_filter
from xinyong.stats.xlsx import chart_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: HttpRequest, actor):
    """The page's filter and charts, or the errors (each naming its field)."""
    try:
        f, code = stats_filter(request.GET, today=timezone.localdate())
        return f, code, selectors.dashboard(actor=actor, f=f), []
    except ValidationFailed as e:
        return None, "", [], error_lines(e.errors, FILTER_LABELS)


@login_required
def dashboard(request: HttpRequest):
    """统计分析: charts of the period and department chosen, each with its table and XLSX."""
    actor = staff_actor(request)
    departments = selectors.department_choices(actor)  # the access rule refuses non-staff
    f, code, charts, errors = _filtered(request, actor)
    start, end = default_period(timezone.localdate())
    shown = f or StatsFilter(start, end)
    ctx = {
        "charts": charts,
        "errors": errors,
        "departments": departments,
        "q": {
            "date_from": request.GET.get("date_from") or shown.date_from.isoformat(),
            "date_to": request.GET.get("date_to") or shown.date_to.isoformat(),
            "department": request.GET.get("department") or "",
        },
        "query": f.query(code) if f else "",
    }
    return render(request, "stats/dashboard.html", ctx, status=400 if errors else 200)


@login_required
def chart_download(request: HttpRequest, key: str):
    """One chart's figures as XLSX, with the page's filter."""
    if key not in selectors.CHART_KEYS:
        raise Http404
    actor = staff_actor(request)
    try:
        f, code = stats_filter(request.GET, today=timezone.localdate())
        (chart,) = selectors.dashboard(actor=actor, f=f, only=key)
    except ValidationFailed as e:
        text = "\n".join(
            f"{e['label']}：{e['message']}" for e in error_lines(e.errors, FILTER_LABELS)
        )
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    period = _("统计期间：%(a)s 至 %(b)s") % {"a": f.date_from, "b": f.date_to}
    department = _("部门：%(d)s") % {"d": selectors.department_label(actor, code)}
    body = chart_xlsx(chart, period=period, department=department)
    response = HttpResponse(body, content_type=XLSX)
    name = f"stats-{key}-{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_statistics(request: HttpRequest):
    """The portal's 统计数据: platform-wide counts only, no subject and no names."""
    return render(request, "stats/public.html", {"figures": selectors.public_figures()})
