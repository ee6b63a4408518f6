"""Pages of integrity demonstration units: the organiser's campaigns, one campaign with its
units and the application form, one unit with its assessment and, once awarded, the
revocation (back office); the published campaigns and their units (portal). Thin: the
services write, the selectors read, the access layer decides what is offered."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.actors import Actor
from xinyong.backoffice.access import act, staff_actor, take_step
from xinyong.core.errors import NotFound
from xinyong.core.forms import submit
from xinyong.core.inputs import form_date
from xinyong.core.params import whole_number
from xinyong.declarations.selectors import verify_departments
from xinyong.demonstration import selectors, services
from xinyong.demonstration.choices import UnitKind
from xinyong.demonstration.forms import AssessForm, CampaignForm, OnlineForm, ReasonForm, UnitForm
from xinyong.remedies.selectors import bound_subject
from xinyong.remedies.views import PORTAL_LOGIN


def _post(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
def campaigns(request: HttpRequest):
    """The reader's campaigns and a new one."""
    actor = staff_actor(request)
    named = verify_departments() if access.names_department(actor) else ()
    form = CampaignForm(_post(request), departments=named)
    if form.is_bound and take_step(
        request, form,
        lambda d: services.campaign_create(
            actor=actor, title=d["title"], kind=d["kind"], year=d["year"],
            criteria=d["criteria"], apply_until=form_date(d["apply_until"], "apply_until"),
            valid_years=d["valid_years"], department_code=d.get("department", ""),
        ),
        _("创建活动已建立"),
    ):  # fmt: skip
        return redirect("backoffice:demonstration")
    may_create = access.allowed(actor, access.Action.DEMONSTRATION_MANAGE)
    ctx = {"campaigns": selectors.campaigns_of(actor=actor), "form": form, "may_create": may_create}
    return render(request, "demonstration/backoffice/campaigns.html", ctx,
                  status=400 if form.is_bound else 200)  # fmt: skip


def _campaign(actor, pk: int):
    try:
        return selectors.campaign_get(actor=actor, campaign_id=pk)
    except NotFound:
        raise Http404 from None


@login_required
def campaign(request: HttpRequest, pk: int):
    """One campaign: its criteria, its units, a new application; publishing the results."""
    actor = staff_actor(request)
    c = _campaign(actor, pk)
    form = UnitForm(_post(request) if "name" in request.POST else None,
                    area=UnitKind.is_area(c.kind))  # fmt: skip
    if form.is_bound and take_step(
        request, form,
        lambda d: services.unit_apply(
            actor=actor, campaign_id=pk, name=d["name"], applicant=d["applicant"],
            statement=d["statement"], subject_uscc=d.get("subject_uscc", ""),
            area=d.get("area", ""), members=d.get("members", ""),
        ),
        _("申报已录入"),
    ):  # fmt: skip
        return redirect("backoffice:demonstration_campaign", pk)
    if request.method == "POST" and request.POST.get("step") == "publish":
        act(request, lambda: services.campaign_publish(actor=actor, campaign_id=pk),
            _("评审结果已公布"))  # fmt: skip
        return redirect("backoffice:demonstration_campaign", pk)
    ctx = {
        "c": c, "units": selectors.campaign_units(actor=actor, campaign=c), "form": form,
        "may_manage": access.allowed(actor, access.Action.DEMONSTRATION_MANAGE, c),
        "may_decide": access.allowed(actor, access.Action.DEMONSTRATION_DECIDE, c),
        "is_area": UnitKind.is_area(c.kind), "today": timezone.localdate(),
    }  # fmt: skip
    return render(request, "demonstration/backoffice/campaign.html", ctx,
                  status=400 if form.is_bound else 200)  # fmt: skip


@login_required
def unit(request: HttpRequest, pk: int):
    """One unit: its application and members, the assessment form while applied for, and
    the revocation (or keeping after a finding) once awarded."""
    actor = staff_actor(request)
    try:
        u = selectors.unit_get(actor=actor, unit_id=pk)
    except NotFound:
        raise Http404 from None
    criteria = u.campaign.criteria
    assess = AssessForm(_post(request) if "award" in request.POST else None, criteria=criteria)
    if assess.is_bound and take_step(
        request, assess,
        lambda d: services.unit_assess(
            actor=actor, unit_id=pk,
            met=[n if (n := whole_number(v)) is not None else v for v in d["met"]],
            notes={i: d.get(f"note_{i}", "") for i in range(len(criteria))},
            award=d["award"] == "award", reason=d["reason"],
        ),
        _("评审意见已保存"),
    ):  # fmt: skip
        return redirect("backoffice:demonstration_unit", pk)
    decide = ReasonForm(_post(request) if "step" in request.POST else None)
    steps = {"revoke": services.unit_revoke, "keep": services.unit_breach_clear}
    if decide.is_bound and take_step(
        request, decide,
        lambda d: steps[d["step"]](actor=actor, unit_id=pk, reason=d["reason"]),
        _("已办理"),
    ):  # fmt: skip
        return redirect("backoffice:demonstration_unit", pk)
    ctx = {
        "u": u, "assess": assess, "decide": decide,
        "may_decide": access.allowed(actor, access.Action.DEMONSTRATION_DECIDE, u.campaign),
    }  # fmt: skip
    bound = assess.is_bound or decide.is_bound
    return render(request, "demonstration/backoffice/unit.html", ctx,
                  status=400 if bound else 200)  # fmt: skip


@login_required(login_url=PORTAL_LOGIN)
def account_units(request: HttpRequest, pk: int):
    """A bound account: its subject's applications and titles, and an application to an
    open school or enterprise campaign."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    today = timezone.localdate()
    campaigns = selectors.online_campaigns(subject=subject, today=today)
    form = OnlineForm(_post(request), campaigns=campaigns)
    ctx = {"subject": subject, "form": form, "units": selectors.own_units(subject=subject),
           "campaigns": campaigns}  # fmt: skip
    return submit(
        request, form,
        lambda d: services.unit_apply_online(
            actor=actor, subject_id=pk, campaign_id=whole_number(d["campaign"]) or 0,
            statement=d["statement"],
        ),
        page=lambda status: render(request, "demonstration/portal/account.html", ctx,
                                   status=status),
        done=_("申报已提交，组织部门评审后统一公布结果"),
        then=reverse("portal:account_demonstration", args=[pk]),
    )  # fmt: skip


# -- the portal -------------------------------------------------------------------------
def public_list(request: HttpRequest):
    """诚信示范单位: the published campaigns."""
    return render(request, "demonstration/portal/list.html",
                  {"campaigns": selectors.public_campaigns()})  # fmt: skip


def public_campaign(request: HttpRequest, pk: int):
    """A published campaign's units in their term, and the titles revoked."""
    try:
        c, awarded, revoked = selectors.public_campaign(campaign_id=pk, today=timezone.localdate())
    except NotFound:
        raise Http404 from None
    return render(request, "demonstration/portal/campaign.html",
                  {"c": c, "awarded": awarded, "revoked": revoked})  # fmt: skip
