"""Pages of rewarded tips. Portal: anyone finds the subject and files a tip (the receipt
code shown once, on the answer to the filing), and follows it with the code. Back office:
the department's queue and a tip's page with its steps, the handling officer's audited
look at the tipster, the credit office's routing table and periods. Thin: services write,
selectors read; what a page shows of a tip is what :mod:`xinyong.tips.schemas` gives."""

import math

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.backoffice.access import operator_actor, staff_actor, take_step
from xinyong.core.downloads import stored_file_response
from xinyong.core.errors import NotFound, PermissionDenied, ValidationFailed
from xinyong.core.forms import Form
from xinyong.subjects import selectors as subjects
from xinyong.subjects.schemas import SubjectOut
from xinyong.tips import selectors, services, throttle
from xinyong.tips.choices import TRANSFERABLE
from xinyong.tips.forms import (
    AcknowledgeForm,
    DecideForm,
    DomainForm,
    FollowForm,
    IdentityForm,
    PaidForm,
    PolicyForm,
    RewardForm,
    RouteForm,
    TipForm,
    TransferForm,
)
from xinyong.tips.models import TipTransfer
from xinyong.tips.schemas import TipOut


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user) if request.user.is_authenticated else ANONYMOUS


def _throttled(request: HttpRequest, wait: int) -> HttpResponse:
    ctx = {"minutes": max(1, math.ceil(wait / 60))}
    response = render(request, "tips/throttled.html", ctx, status=429)
    response["Retry-After"] = str(wait)
    return response


# -- portal ----------------------------------------------------------------------------
def home(request: HttpRequest):
    """失信行为有奖举报: how it works, the subject found by name or USCC, following a tip."""
    q = request.GET.get("q", "")
    ctx: dict = {"q": q}
    if q:
        try:
            page = subjects.subject_search(q=q, page=1)
            ctx["results"] = [SubjectOut.from_orm(s) for s in page.results]
        except ValidationFailed as e:
            ctx["errors"] = e.errors
            return render(request, "tips/home.html", ctx, status=400)
    return render(request, "tips/home.html", ctx)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest, pk: int):
    """The tip about one subject (picked from the search or from its page). Filed: the
    receipt code, shown on this answer only."""
    try:
        subject = subjects.subject_get(pk=pk)
    except NotFound:
        raise Http404(_("主体不存在")) from None
    actor = _actor(request)
    domains = selectors.tip_domains()
    post = request.method == "POST"
    if post:
        wait = throttle.file_wait(request)
        if wait:
            return _throttled(request, wait)
    form = TipForm(request.POST if post else None, request.FILES if post else None,
                   domains=domains)  # fmt: skip
    ctx = {"subject": subject, "form": form}
    if not post:
        return render(request, "tips/new.html", ctx)
    if not form.is_valid():
        return render(request, "tips/new.html", ctx, status=400)
    d = form.cleaned_data
    try:
        tip, code = services.tip_file(
            actor=actor, subject_id=subject.pk, content=d["content"],
            occurred_on=d["occurred_on"], place=d["place"], domain_code=d["domain"],
            anonymous=d["anonymous"] != "no", name=d["name"], contact=d["contact"],
            evidence=d["evidence"],
        )  # fmt: skip
    except ValidationFailed as e:
        form.fail(e)
        return render(request, "tips/new.html", ctx, status=400)
    return render(request, "tips/filed.html", {"tip": tip, "code": code, "subject": subject})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest):
    """Where a tip stands, for whoever holds its receipt code (sent by POST: the code stays
    out of addresses and logs)."""
    post = request.method == "POST"
    form = FollowForm(request.POST if post else None)
    ctx: dict = {"form": form}
    if not post:
        return render(request, "tips/follow.html", ctx)
    wait = throttle.lookup_wait(request)
    if wait:
        return _throttled(request, wait)
    if not form.is_valid():
        return render(request, "tips/follow.html", ctx, status=400)
    try:
        ctx["tip"] = selectors.tip_follow(receipt=form.cleaned_data["receipt"])
    except ValidationFailed as e:
        form.fail(e)
        return render(request, "tips/follow.html", ctx, status=400)
    except NotFound as e:
        form.add_error("receipt", str(e))
        return render(request, "tips/follow.html", ctx, status=404)
    return render(request, "tips/follow.html", ctx)


# -- back office -----------------------------------------------------------------------
def _office_actor(request: HttpRequest) -> Actor:
    from django.core.exceptions import PermissionDenied as Forbidden

    from xinyong.accounts import access

    actor = staff_actor(request)
    if not access.allowed(actor, access.Action.TIP_QUEUE):
        raise Forbidden
    return actor


@login_required
def queue(request: HttpRequest):
    """The reader's open tips by deadline, overdue first (``?overdue=1``: only those), and
    the latest closed ones."""
    actor = _office_actor(request)
    overdue_only = request.GET.get("overdue") == "1"
    ctx = {
        "tips": [TipOut.from_orm(t) for t in selectors.tip_queue(actor=actor,
                                                                 overdue_only=overdue_only)],
        "closed": [TipOut.from_orm(t) for t in selectors.tips_closed(actor=actor)],
        "counts": selectors.tip_counts(actor=actor),
        "overdue_only": overdue_only,
    }  # fmt: skip
    return render(request, "tips/queue.html", ctx)


_FORMS = {
    "route": RouteForm, "acknowledge": AcknowledgeForm, "decide": DecideForm,
    "reward": RewardForm, "paid": PaidForm, "identity": IdentityForm, "transfer": TransferForm,
}  # fmt: skip


def _done(result) -> str:
    if isinstance(result, TipTransfer):
        return _("已转办至%(name)s") % {"name": result.to_department.name}
    return _("已办理")


def _back(actor: Actor, pk: int):
    """After a step: the tip's page, or the queue when the reader no longer sees the tip
    (its department sent it on to another)."""
    try:
        selectors.tip_get(actor=actor, tip_id=pk)
    except NotFound:
        return redirect("backoffice:tips")
    return redirect("backoffice:tip", pk=pk)


def _steps(actor: Actor, pk: int) -> dict:
    return {
        "route": lambda d: services.tip_route(actor=actor, tip_id=pk,
                                              department_code=d["department"]),
        "acknowledge": lambda d: services.tip_acknowledge(
            actor=actor, tip_id=pk, accept=d["decision"] == "accept", reason=d["reason"]),
        "claim": lambda d: services.tip_claim(actor=actor, tip_id=pk),
        "decide": lambda d: services.tip_decide(
            actor=actor, tip_id=pk, substantiated=d["decision"] == "substantiated",
            reason=d["reason"], summary=d["summary"]),
        "reward": lambda d: services.tip_reward(actor=actor, tip_id=pk, amount=d["amount"],
                                                basis=d["basis"]),
        "paid": lambda d: services.tip_reward_paid(actor=actor, tip_id=pk, paid_on=d["paid_on"]),
        "transfer": lambda d: services.tip_transfer(actor=actor, tip_id=pk,
                                                    department_code=d["department"],
                                                    reason=d["reason"]),
    }  # fmt: skip


@never_cache
@login_required
def detail(request: HttpRequest, pk: int):
    """One tip: the facts, evidence, deadlines, transfers and the steps the reader may take
    (``step`` names the form sent; a department that transfers the tip away is sent back to
    its queue). The handling officer may look at a verified tipster's identity,
    for a stated purpose: shown on this answer only, the read audited."""
    from xinyong.accounts import access

    actor = _office_actor(request)
    try:
        tip = selectors.tip_get(actor=actor, tip_id=pk)
    except NotFound:
        raise Http404 from None
    step = request.POST.get("step", "") if request.method == "POST" else ""
    kw = {"route": {"departments": selectors.departments()},
          "transfer": {"departments": selectors.transfer_targets(tip)}}  # fmt: skip
    forms = {name: cls(request.POST if step == name else None, **kw.get(name, {}))
             for name, cls in _FORMS.items()}  # fmt: skip
    ctx: dict = {"forms": forms}
    status = 200
    if step == "identity":
        form = forms["identity"]
        if form.is_valid():
            try:
                ctx["identity"] = selectors.tip_identity(
                    actor=actor, tip_id=pk, purpose=form.cleaned_data["purpose"]
                )
                ctx["identity_read"] = True
            except ValidationFailed as e:
                form.fail(e)
                status = 400
            except (NotFound, PermissionDenied) as e:
                form.add_error(None, str(e))
                status = 403
        else:
            status = 400
    elif step in ("claim", *_FORMS):
        form = forms.get(step) or Form(request.POST)
        if take_step(request, form, _steps(actor, pk)[step], _done):
            return _back(actor, pk)
        status = 400
    elif step:
        status = 400
    tip = selectors.tip_get(actor=actor, tip_id=pk)
    ctx.update(
        tip=TipOut.from_orm(tip),
        may_route=access.allowed(actor, access.Action.TIP_ROUTE, tip),
        may_handle=access.allowed(actor, access.Action.TIP_HANDLE, tip),
        may_identity=access.allowed(actor, access.Action.TIP_IDENTITY_READ, tip),
        may_transfer=(access.allowed(actor, access.Action.TIP_TRANSFER, tip)
                      and tip.status in TRANSFERABLE),
        may_claim=(access.allowed(actor, access.Action.TIP_HANDLE, tip)
                   and tip.status == "accepted" and tip.handler_id is None),
        handler=tip.handler.username if tip.handler_id else "",
    )  # fmt: skip
    return render(request, "tips/detail.html", ctx, status=status)


@login_required
def evidence(request: HttpRequest, pk: int):
    """An evidence file, for the staff of the tip's department (audited)."""
    actor = _office_actor(request)
    return stored_file_response(lambda: selectors.tip_evidence(actor=actor, evidence_id=pk))


@login_required
def settings_page(request: HttpRequest):
    """举报分派和期限设置: the routing table (domain → competent department) and the
    periods. Each form sent alone (``form``: policy, or domain)."""
    actor = operator_actor(request)
    sent = request.POST.get("form", "") if request.method == "POST" else ""
    post = request.POST if request.method == "POST" else None
    policy = services.tip_policy()
    departments = selectors.departments()
    policy_form = PolicyForm(post if sent == "policy" else None,
                             initial={"ack_workdays": policy.ack_workdays,
                                      "decide_workdays": policy.decide_workdays})  # fmt: skip
    domain_form = DomainForm(post if sent == "domain" else None, departments=departments,
                             initial={"active": True, "order": 0})  # fmt: skip
    calls = {
        "policy": (policy_form, lambda d: services.tip_policy_save(
            actor=actor, ack_workdays=d["ack_workdays"], decide_workdays=d["decide_workdays"])),
        "domain": (domain_form, lambda d: services.tip_domain_save(
            actor=actor, code=d["code"], name=d["name"], department_code=d["department"],
            order=d["order"], active=d["active"])),
    }  # fmt: skip
    status = 200
    if sent:
        if sent not in calls:
            status = 400
        else:
            form, call = calls[sent]
            if take_step(request, form, call, _("已保存")):
                return redirect("backoffice:tip_settings")
            status = 400
    ctx = {
        "policy_form": policy_form,
        "domain_form": domain_form,
        "policy": policy,
        "domains": selectors.routing_table(),
    }
    return render(request, "tips/settings.html", ctx, status=status)
