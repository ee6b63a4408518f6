"""Back-office pages of dual publicity: timeliness per department, withdrawals against
their deadline, and the rules the credit office keeps (publicity periods, working-day
calendar)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.backoffice.access import refused, staff_actor, take_step
from xinyong.core import services as core_services
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.disclosure import selectors, services
from xinyong.disclosure.choices import PenaltyClass
from xinyong.disclosure.forms import PublicityRuleForm


@login_required
def timeliness(request: HttpRequest):
    rows = selectors.timeliness_report(actor=staff_actor(request))
    return render(request, "disclosure/timeliness.html", {"rows": rows})


@login_required
def withdrawals(request: HttpRequest):
    """Withdrawn decisions against the 3-working-day rule."""
    report = selectors.withdrawal_report(actor=staff_actor(request), today=timezone.localdate())
    return render(request, "disclosure/withdrawals.html", {"report": report})


@login_required
def rules(request: HttpRequest):
    """The publicity rules and the working-day calendar; the platform operator edits them."""
    actor = staff_actor(request)
    ctx = {
        "rules": selectors.publicity_rule_list(),
        "can_edit": actor.writes_all_departments,
        "classes": dict(PenaltyClass.choices),
        "year": _year(request.GET.get("year")),
    }
    ctx["overrides"] = workdays.overrides_of(ctx["year"])
    ctx["uncovered"] = workdays.uncovered_years([ctx["year"]])
    if request.method == "POST" and request.POST.get("form") == "rule":
        form = PublicityRuleForm(request.POST)
        save = lambda d: services.publicity_rule_save(actor=actor, **d)  # noqa: E731
        if take_step(request, form, save, _("已保存")):
            return redirect(f"{reverse('backoffice:publicity_rules')}?year={ctx['year']}")
        ctx["rule_form"] = form
        return render(request, "disclosure/rules.html", ctx, status=400)
    if request.method == "POST":
        try:
            _save(request, actor)
        except ValidationFailed as e:
            ctx["errors"] = e.errors
            return render(request, "disclosure/rules.html", ctx, status=400)
        except (PermissionDenied, NotFound) as e:
            refused(request, e)
        else:
            messages.success(request, _("已保存"))
        return redirect(f"{reverse('backoffice:publicity_rules')}?year={ctx['year']}")
    return render(request, "disclosure/rules.html", ctx)


def _year(raw) -> int:
    today = timezone.localdate()
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _save(request: HttpRequest, actor) -> None:
    """The calendar's forms (a day, a year's confirmation): the calendar's own."""
    form = request.POST
    what = form.get("form")
    if what == "day":
        try:
            day = datetime.date.fromisoformat(form.get("day", ""))
        except ValueError:
            raise ValidationFailed(
                [FieldError("day", "date.format", _("日期应为 YYYY-MM-DD"))]
            ) from None
        if form.get("action") == "unset":
            core_services.workday_override_delete(actor=actor, day=day)
        else:
            core_services.workday_override_save(
                actor=actor, day=day, is_workday=form.get("is_workday") == "on",
                name=form.get("name", ""), basis=form.get("basis", ""),
            )  # fmt: skip
    elif what == "year":
        core_services.calendar_year_confirm(
            actor=actor, year=_year(form.get("year")), basis=form.get("basis", "")
        )
    else:
        raise ValidationFailed([FieldError("form", "enum", _("未知的表单"))])
