"""Back-office pages of effectiveness tracking (跟踪问效): the scorecards of a month (every
department for the credit office and the auditor, its own for a department), one
department's scorecards over twelve months, and the monthly reports with their PDF and
XLSX. Who sees which department is the access layer's (``Action.SCORECARD_VIEW``), asked
by ``stats.scorecards`` and ``stats.monthly``; a bad month or an unknown department is
refused (400) naming the field."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import act, staff_actor
from xinyong.core.downloads import file_response
from xinyong.core.errors import ValidationFailed
from xinyong.stats import monthly, scorecards
from xinyong.stats.choices import Figure
from xinyong.stats.services import monthly_report_generate


def _figures() -> list[tuple[str, str, str, str]]:
    """(key, name, numerator's name, denominator's name), in the pages' order."""
    return [(k, label, *scorecards.DEFINITIONS[k][:2]) for k, label in Figure.choices]


def _month(request: HttpRequest) -> str:
    raw = request.GET.get("month")
    return raw if raw is not None else scorecards.label(scorecards.last_month(timezone.localdate()))


@login_required
def month(request: HttpRequest):
    """The scorecards of a month (``?month=YYYY-MM``, default last month)."""
    actor = staff_actor(request)
    raw = _month(request)
    ctx = {"month": raw, "figures": _figures(), "cards": [], "errors": []}
    try:
        first = scorecards.parse_month(raw)
        ctx["cards"] = scorecards.month_cards(actor=actor, month=first)
        ctx["previous"] = scorecards.label(scorecards.shift(first, -1))
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        scorecards.departments_for(actor)  # who may not see any is refused all the same
        return render(request, "stats/scorecards.html", ctx, status=400)
    return render(request, "stats/scorecards.html", ctx)


@login_required
def department(request: HttpRequest, code: str):
    """One department's scorecards over the twelve months up to ``?month=``."""
    actor = staff_actor(request)
    raw = _month(request)
    ctx = {"month": raw, "figures": _figures(), "rows": [], "errors": []}
    try:
        first = scorecards.parse_month(raw)
        ctx["department"], ctx["rows"] = scorecards.trend(actor=actor, code=code, month=first)
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        return render(request, "stats/scorecard_department.html", ctx, status=400)
    return render(request, "stats/scorecard_department.html", ctx)


@login_required
def reports(request: HttpRequest):
    """The monthly reports; the credit office generates a finished month's (POST month)."""
    actor = staff_actor(request)
    if request.method == "POST":
        made = act(
            request,
            lambda: monthly_report_generate(actor=actor, month=request.POST.get("month", "")),
            lambda r: (
                _("已生成 %(month)s 的跟踪问效月报") % {"month": r[0].month}
                if r[1]
                else _("%(month)s 的跟踪问效月报此前已生成") % {"month": r[0].month}
            ),
        )
        if made is None and not access.allowed(actor, Action.MONTHLY_REPORT_GENERATE):
            return redirect(reverse("backoffice:monthly_reports"))
        if made is None:  # the month refused: the list again with the message, 400
            return _reports_page(request, actor, status=400)
        return redirect(reverse("backoffice:monthly_reports"))
    return _reports_page(request, actor)


def _reports_page(request, actor, status: int = 200):
    ctx = {
        "reports": monthly.reports_list(actor=actor),
        "may_generate": access.allowed(actor, Action.MONTHLY_REPORT_GENERATE),
        "last_month": scorecards.label(scorecards.last_month(timezone.localdate())),
    }
    return render(request, "stats/scorecard_reports.html", ctx, status=status)


@login_required
def report_file(request: HttpRequest, month: str, kind: str):
    """A report's PDF or XLSX with the departments the reader may see."""
    actor = staff_actor(request)
    try:
        data, content_type, name = monthly.download(actor=actor, month=month, kind=kind)
    except ValidationFailed as e:
        ctx = {"reports": [], "may_generate": False, "errors": e.errors}
        return render(request, "stats/scorecard_reports.html", ctx, status=400)
    return file_response(data, name, content_type=content_type)
