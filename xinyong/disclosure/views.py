"""Back-office pages of dual publicity: timeliness per department, withdrawals against
their deadline, and the rules the credit office keeps (publicity periods, working-day
calendar)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.backoffice.access import staff_actor, take_step
from xinyong.core import services as core_services
from xinyong.core import workdays
from xinyong.core.errors import FieldError
from xinyong.disclosure import selectors, services
from xinyong.disclosure.choices import PenaltyClass
from xinyong.disclosure.forms import (
    PublicityRuleForm,
    WorkdayOverrideForm,
    YearConfirmForm,
    sent_form,
)


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
        "can_edit": access.allowed(actor, Action.ADMINISTER),
        "classes": dict(PenaltyClass.choices),
        "year": _year(request.GET.get("year")),
    }
    ctx["overrides"] = workdays.overrides_of(ctx["year"])
    ctx["uncovered"] = workdays.uncovered_years([ctx["year"]])
    ctx["day_form"], ctx["year_form"] = WorkdayOverrideForm(), YearConfirmForm(year=ctx["year"])
    what = sent_form(request.POST) if request.method == "POST" else None
    if what == "rule":
        form = PublicityRuleForm(request.POST)
        save = lambda d: services.publicity_rule_save(actor=actor, **d)  # noqa: E731
        if take_step(request, form, save, _("已保存")):
            return redirect(f"{reverse('backoffice:publicity_rules')}?year={ctx['year']}")
        ctx["rule_form"] = form
        return render(request, "disclosure/rules.html", ctx, status=400)
    if request.method == "POST" and what is None:
        ctx["errors"] = [FieldError("form", "enum", _("未知的表单"))]
        return render(request, "disclosure/rules.html", ctx, status=400)
    if request.method == "POST":
        form = WorkdayOverrideForm(request.POST) if what == "day" else YearConfirmForm(request.POST)
        save = (
            (lambda d: _day(actor, d))
            if what == "day"
            else (lambda d: core_services.calendar_year_confirm(actor=actor, **d))
        )
        if take_step(request, form, save, _("已保存")):
            return redirect(f"{reverse('backoffice:publicity_rules')}?year={ctx['year']}")
        unset = what == "day" and form["action"].value() == "unset"  # a row's button
        ctx["unset_form" if unset else f"{what}_form"] = form
        return render(request, "disclosure/rules.html", ctx, status=400)
    return render(request, "disclosure/rules.html", ctx)


def _year(raw) -> int:
    today = timezone.localdate()
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return today.year
    return year if 2000 <= year <= 2100 else today.year


def _day(actor, d: dict) -> None:
    """A day declared (or, ``action`` unset, taken back)."""
    if d["action"] == "unset":
        core_services.workday_override_delete(actor=actor, day=d["day"])
    else:
        core_services.workday_override_save(
            actor=actor, day=d["day"], is_workday=d["is_workday"], name=d["name"],
            basis=d["basis"],
        )  # fmt: skip
