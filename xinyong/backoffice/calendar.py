"""The working-day calendar in the back office: a month view every staff user may read (the
calendar deadlines are counted on), and the credit office's import of a whole year from the
State Council's notice — pasted, previewed as the holidays and make-up working days it
gives, then confirmed. Who may import: ``Action.ADMINISTER`` (the service decides)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import staff_actor
from xinyong.backoffice.forms import NoticeImportForm
from xinyong.core import services, workdays
from xinyong.core.errors import ValidationFailed
from xinyong.core.notice import notice_parse
from xinyong.core.params import whole_number

WEEKDAYS = [gettext_lazy("周一"), gettext_lazy("周二"), gettext_lazy("周三"), gettext_lazy("周四"),
            gettext_lazy("周五"), gettext_lazy("周六"), gettext_lazy("周日")]  # fmt: skip


def _month(params) -> tuple[int, int]:
    """The month asked for (``year``, ``month``), or this month; out-of-range values clamp."""
    today = timezone.localdate()
    year = whole_number(params.get("year"))
    month = whole_number(params.get("month"))
    year = year if year is not None and 2000 <= year <= 2100 else today.year
    month = month if month is not None and 1 <= month <= 12 else today.month
    return year, month


def _shift(year: int, month: int, by: int) -> dict:
    n = year * 12 + month - 1 + by
    y, m = divmod(n, 12)
    return {"year": y, "month": m + 1} if 2000 <= y <= 2100 else {}


@login_required
def calendar_month(request: HttpRequest):
    """工作日历: one month, each day coloured by what it is for deadlines."""
    actor = staff_actor(request)
    year, month = _month(request.GET)
    weeks = workdays.month_days(year, month)
    ctx = {
        "year": year,
        "month": month,
        "weeks": weeks,
        "weekdays": WEEKDAYS,
        "previous": _shift(year, month, -1),
        "next": _shift(year, month, 1),
        "previous_year": _shift(year, month, -12),
        "next_year": _shift(year, month, 12),
        "months": range(1, 13),
        "uncovered": workdays.uncovered_years([year]),
        "may_import": access.allowed(actor, Action.ADMINISTER),
    }
    return render(request, "backoffice/calendar.html", ctx)


@login_required
def calendar_import(request: HttpRequest):
    """导入放假安排: paste the notice, see what it gives, confirm."""
    actor = staff_actor(request)
    access.require(
        actor, Action.ADMINISTER, message=_("只有平台运营人员（信用办）可以维护工作日历")
    )
    form = NoticeImportForm(request.POST if request.method == "POST" else None)
    ctx: dict = {"form": form}
    if not form.is_bound:
        return render(request, "backoffice/calendar_import.html", ctx)
    form.is_valid()  # the text as written: the notice's reader says what is wrong with it
    ctx["text"] = text = form.cleaned_data["text"]
    try:
        if form.confirmed():
            row = services.calendar_notice_import(actor=actor, text=text)
            messages.success(
                request,
                _("已导入 %(year)d 年放假安排并确认该年度工作日历") % {"year": row.year},
            )
            url = reverse("backoffice:calendar")
            return redirect(f"{url}?year={row.year}&month=1")
        notice = notice_parse(text)
    except ValidationFailed as e:
        form.fail(e)
        return render(request, "backoffice/calendar_import.html", ctx, status=400)
    kept = {d.day for d in notice.days}
    ctx |= {
        "notice": notice,
        "groups": _groups(notice),
        "removed": [o for o in workdays.overrides_of(notice.year) if o.day not in kept],
        "confirmed": not workdays.uncovered_years([notice.year]),
    }
    return render(request, "backoffice/calendar_import.html", ctx)


def _groups(notice) -> list[dict]:
    """The notice by holiday, as the preview lists it: days off and make-up working days."""
    groups: dict[str, dict] = {}
    for d in notice.days:
        name = d.name.removesuffix("调休上班") if d.is_workday else d.name
        g = groups.setdefault(name, {"name": name, "off": [], "on": []})
        g["on" if d.is_workday else "off"].append(d.day)
    return sorted(groups.values(), key=lambda g: min(g["off"] or [datetime.date.max]))
