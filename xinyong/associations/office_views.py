"""Back-office pages: the departments' authorisations (and the credit office's overview),
and the association's own pages — its members' standing, members, campaigns, sanctions.
Thin: services write, selectors read, the access rules decide (a refusal is a 404 or the
rule's words)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xinyong.accounts.choices import DepartmentKind
from xinyong.accounts.models import Department
from xinyong.associations import forms, selectors, services
from xinyong.associations.choices import SanctionStatus
from xinyong.associations.printing import document_pdf
from xinyong.backoffice.access import staff_actor, take_step
from xinyong.catalog import selectors as catalog
from xinyong.core.downloads import file_response
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.params import offset_param


def _guard(call):
    """An object page: another's object, or none, is a 404 (its existence is not told)."""
    try:
        return call()
    except (NotFound, PermissionDenied):
        raise Http404 from None


def _page(call):
    """A list page the reader may not open at all: 403, as the back office's other pages."""
    try:
        return call()
    except PermissionDenied:
        raise DjangoPermissionDenied from None


def _grant_form(data=None):
    assocs = Department.objects.filter(kind=DepartmentKind.ASSOCIATION, is_active=True)
    items = [
        (d.code, d.name)
        for _c, d in catalog.catalog_items()
        if d.code not in ("industry_sanction", "industry_censure")
    ]
    return forms.GrantForm(data, associations=[(a.code, a.name) for a in assocs], items=items)


@login_required
def authorisations(request: HttpRequest):
    """Departments grant and end authorisations; the credit office sees them all."""
    actor = staff_actor(request)
    rows = _page(lambda: selectors.authorisations(actor=actor))
    form = _grant_form(request.POST if request.method == "POST" else None)
    if form.is_bound:
        call = lambda d: services.authorisation_grant(  # noqa: E731
            actor=actor,
            association_code=d["association"],
            items=d["items"],
            basis=d["basis"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
        )
        if take_step(request, form, call, _("已授权")):
            return redirect("backoffice:association_authorisations")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "associations/authorisations.html",
        {"rows": rows, "form": form, "end_form": forms.EndForm()},
        status=status,
    )


@login_required
def authorisation_end(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    if request.method != "POST":
        return redirect("backoffice:association_authorisations")
    form = forms.EndForm(request.POST)
    call = lambda d: services.authorisation_end(  # noqa: E731
        actor=actor, authorisation_id=pk, reason=d["reason"]
    )
    if not take_step(request, form, call, _("授权已终止，协会的报送和办理权限即时失效")):
        rows = _page(lambda: selectors.authorisations(actor=actor))
        return render(
            request,
            "associations/authorisations.html",
            {"rows": rows, "form": _grant_form(), "end_form": form},
            status=400,
        )
    return redirect("backoffice:association_authorisations")


@login_required
def home(request: HttpRequest):
    """The association's page of its members' public credit standing, 200 a page."""
    actor = staff_actor(request)
    page = _page(lambda: selectors.standing(actor=actor, offset=offset_param(request.GET)))
    return render(request, "associations/home.html", {"page": page, "rows": page.rows})


def _members(request: HttpRequest, actor):
    return _page(lambda: selectors.members_page(actor=actor, offset=offset_param(request.GET)))


@login_required
def members(request: HttpRequest):
    actor = staff_actor(request)
    page = _members(request, actor)
    form = forms.MemberForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        call = lambda d: services.member_add(  # noqa: E731
            actor=actor, uscc=d["uscc"], joined_on=d["joined_on"]
        )
        if take_step(request, form, call, _("已登记会员")):
            return redirect("backoffice:association_members")
    return render(
        request,
        "associations/members.html",
        {"page": page, "rows": page.rows, "form": form, "leave_form": forms.LeaveForm()},
        status=400 if form.is_bound else 200,
    )


@login_required
def member_leave(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    if request.method != "POST":
        return redirect("backoffice:association_members")
    form = forms.LeaveForm(request.POST)
    call = lambda d: services.member_leave(  # noqa: E731
        actor=actor, membership_id=pk, left_on=d["left_on"]
    )
    if not take_step(request, form, call, _("已登记退会")):
        page = _members(request, actor)
        return render(
            request,
            "associations/members.html",
            {"page": page, "rows": page.rows, "form": forms.MemberForm(), "leave_form": form},
            status=400,
        )
    return redirect("backoffice:association_members")


@login_required
def campaigns(request: HttpRequest):
    actor = staff_actor(request)
    rows = _page(lambda: selectors.campaigns(actor=actor))
    form = forms.CampaignForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        call = lambda d: services.campaign_open(actor=actor, title=d["title"], text=d["text"])  # noqa: E731
        if take_step(request, form, call, _("已发起行业自律承诺")):
            return redirect("backoffice:association_campaigns")
    return render(
        request,
        "associations/campaigns.html",
        {"rows": rows, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def campaign(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    offset = offset_param(request.GET)
    c, page = _guard(lambda: selectors.campaign_get(actor=actor, campaign_id=pk, offset=offset))
    if request.method == "POST":
        form = forms.Form(request.POST)
        take_step(
            request,
            form,
            lambda d: services.campaign_close(actor=actor, campaign_id=pk),
            _("承诺征集已结束"),
        )
        return redirect("backoffice:association_campaign", pk=pk)
    return render(
        request, "associations/campaign.html", {"c": c, "page": page, "signatures": page.rows}
    )


@login_required
def sanctions(request: HttpRequest):
    actor = staff_actor(request)
    rows = _page(lambda: selectors.sanctions(actor=actor))
    options = _page(lambda: selectors.member_options(actor=actor))
    form = forms.ProposeForm(request.POST if request.method == "POST" else None, members=options)
    if form.is_bound:
        call = lambda d: services.sanction_propose(  # noqa: E731
            actor=actor,
            subject_id=d["subject"],
            kind=d["kind"],
            facts=d["facts"],
            basis=d["basis"],
            reasons=d["reasons"],
        )
        if take_step(request, form, call, lambda s: _("已立案 %(n)s") % {"n": s.number}):
            return redirect("backoffice:association_sanctions")
    return render(
        request,
        "associations/sanctions.html",
        {"rows": rows, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def sanction(request: HttpRequest, pk: int):
    """One case and its next step: notify, then decide (sanction or drop); a decision
    may then be revoked, with its ground and reasons."""
    actor = staff_actor(request)
    s = _guard(lambda: selectors.sanction_get(actor=actor, sanction_id=pk))
    data = request.POST if request.method == "POST" else None
    if s.status == SanctionStatus.DECIDED:
        form = forms.RevokeForm(data)
        call = lambda d: services.sanction_revoke(  # noqa: E731
            actor=actor, sanction_id=pk, ground=d["ground"], reasons=d["reasons"]
        )
        done = _("惩戒决定已撤销，信用档案中的记录已撤销，会员已收到通知")
    else:
        form = forms.DecideForm(data)
        steps = {
            "notify": lambda d: services.sanction_notify(actor=actor, sanction_id=pk),
            "sanction": lambda d: services.sanction_decide(
                actor=actor,
                sanction_id=pk,
                sanction=True,
                reasons=d["reasons"],
                publish_months=d["publish_months"],
            ),
            "drop": lambda d: services.sanction_decide(
                actor=actor, sanction_id=pk, sanction=False, reasons=d["reasons"]
            ),
        }
        call = lambda d: steps[d["step"]](d)  # noqa: E731
        done = _("已办理")
    if form.is_bound and take_step(request, form, call, done):
        return redirect("backoffice:association_sanction", pk=pk)
    return render(
        request,
        "associations/sanction.html",
        {"s": s, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def sanction_notice(request: HttpRequest, pk: int, which: str = "notice"):
    """The case's notice, decision or revocation as a PDF (404 when it has none yet)."""
    actor = staff_actor(request)
    found = document_pdf(_guard(lambda: selectors.sanction_get(actor=actor, sanction_id=pk)), which)
    if found is None:
        raise Http404
    name, pdf = found
    return file_response(pdf, name)
