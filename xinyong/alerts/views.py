"""Pages of early warning. Back office: a department's queue (filters), one alert with the
rule's explanation and the evidence (each item linked) and the steps; the credit office's
rules and every rule's precision. Portal: the warning notices a bound account holds.
Thin: services write, selectors read; who sees what is the access layer's."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.alerts import rules as rule_services
from xinyong.alerts import selectors, services
from xinyong.alerts.choices import AlertStatus, Outcome
from xinyong.alerts.forms import RuleForm, StepForm
from xinyong.backoffice.access import operator_actor, staff_actor, take_step
from xinyong.core.downloads import document_response
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.remedies.selectors import bound_subject
from xinyong.remedies.views import PORTAL_LOGIN


@login_required
def queue(request: HttpRequest):
    """The reader's alerts: filters by state, rule, outcome and the subject's name."""
    actor = staff_actor(request)
    g = request.GET
    filters = {k: g.get(k, "")[:100] for k in ("status", "rule", "outcome", "q")}
    try:
        alerts = selectors.alert_queue(actor=actor, **filters)
    except PermissionDenied:
        raise Http404 from None
    statuses = [("open_all", _("未关闭")), *AlertStatus.choices]
    return render(request, "alerts/queue.html", {
        "alerts": alerts, "filters": filters, "statuses": statuses,
        "rules": selectors.rules_list(), "outcomes": Outcome.choices,
    })  # fmt: skip


@login_required
def detail(request: HttpRequest, pk: int):
    """One alert: why (the rule's explanation), on what (the evidence), its story, and the
    department's steps."""
    actor = staff_actor(request)
    form = StepForm(request.POST if request.method == "POST" else None)
    try:  # another department's alert is not found, before any step
        alert = selectors.alert_get(actor=actor, alert_id=pk, audit=not form.is_bound)
    except NotFound:
        raise Http404 from None
    if form.is_bound:
        steps = {
            "acknowledge": lambda d: services.alert_acknowledge(actor=actor, alert_id=pk),
            "close": lambda d: services.alert_close(
                actor=actor, alert_id=pk, outcome=d["outcome"], note=d["note"]
            ),
        }
        if take_step(request, form, lambda d: steps[d["step"]](d), _("已办理")):
            return redirect("backoffice:alert", pk=pk)
    notice = selectors.alert_notice(alert)
    return render(
        request,
        "alerts/detail.html",
        {
            "a": alert, "form": form, "explanation": selectors.explanation(alert.rule),
            "evidence": selectors.evidence_rows(alert), "notice": notice,
        },
        status=400 if form.is_bound else 200,
    )  # fmt: skip


@login_required
def notice_pdf(request: HttpRequest, pk: int):
    """A warning notice as issued, for the staff who see it (audited)."""
    actor = staff_actor(request)
    return document_response(lambda: selectors.notice_read(actor=actor, notice_id=pk))


@login_required
def precision(request: HttpRequest):
    """Each rule's figures: raised, closed, confirmed, false alarms and precision."""
    actor = staff_actor(request)
    try:
        per_rule, per_dept = selectors.precision(actor=actor)
    except PermissionDenied:
        raise Http404 from None
    return render(request, "alerts/precision.html", {"per_rule": per_rule, "per_dept": per_dept})


@login_required
def rules(request: HttpRequest):
    """The credit office's rules, each with its explanation, and a new one."""
    actor = operator_actor(request)
    post = request.method == "POST"
    form = RuleForm(request.POST) if post else RuleForm(initial={"active": True, "params": "{}"})
    if post and take_step(
        request, form, lambda d: rule_services.rule_save(actor=actor, data=form.data_for_service()),
        lambda r: _("已新增预警规则“%(name)s”") % {"name": r.name},
    ):  # fmt: skip
        return redirect("backoffice:alert_rules")
    return render(request, "alerts/rules.html", {"rules": selectors.rules_list(), "form": form},
                  status=400 if post else 200)  # fmt: skip


@login_required
def rule(request: HttpRequest, pk: int):
    """One rule, changed by the credit office (its version goes up)."""
    actor = operator_actor(request)
    try:
        found = selectors.rule_get(pk)
    except NotFound:
        raise Http404 from None
    post = request.method == "POST"
    form = RuleForm(request.POST, creating=False) if post else RuleForm.for_rule(found)
    if post and take_step(
        request, form,
        lambda d: rule_services.rule_save(actor=actor, rule_id=pk, data=form.data_for_service()),
        _("预警规则已修改"),
    ):  # fmt: skip
        return redirect("backoffice:alert_rules")
    return render(request, "alerts/rule.html", {"rule": found, "form": form,
                                                "explanation": selectors.explanation(found)},
                  status=400 if post else 200)  # fmt: skip


# -- portal --------------------------------------------------------------------------------
@login_required(login_url=PORTAL_LOGIN)
def account_warnings(request: HttpRequest, pk: int):
    """The warning notices the bound subject received (never the departments' alerts)."""
    actor = Actor.for_user(request.user)
    try:
        subject = bound_subject(actor=actor, subject_id=pk)
    except NotFound:
        raise Http404 from None
    notices = selectors.subject_notices(actor=actor, subject=subject)
    return render(request, "alerts/account.html", {"subject": subject, "notices": notices})


@login_required(login_url=PORTAL_LOGIN)
def account_notice_pdf(request: HttpRequest, pk: int):
    """A warning notice as PDF, for the subject's bound account (audited)."""
    actor = Actor.for_user(request.user)
    return document_response(lambda: selectors.notice_read(actor=actor, notice_id=pk))
