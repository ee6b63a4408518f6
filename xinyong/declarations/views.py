"""Pages of self-declaration: the bound account declares and follows its declarations
(portal, /account/…); the verifying department's queue and a declaration's page with the
decision (back office). Thin: services write, selectors read."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.backoffice.access import staff_actor, take_step
from xinyong.core.downloads import stored_file_response
from xinyong.core.forms import submit
from xinyong.declarations import selectors, services
from xinyong.declarations.forms import DecisionForm, DeclarationForm
from xinyong.remedies.selectors import bound_subject
from xinyong.remedies.views import PORTAL_LOGIN


@login_required(login_url=PORTAL_LOGIN)
def account_declarations(request: HttpRequest, pk: int):
    """The bound subject's declarations with where each stands, and a new one."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    departments = selectors.verify_departments()
    post = request.method == "POST"
    form = (DeclarationForm(request.POST, request.FILES, departments=departments) if post
            else DeclarationForm(departments=departments))  # fmt: skip
    mine = selectors.subject_declarations(actor=actor, subject=subject)
    ctx = {"subject": subject, "form": form, "declarations": mine}
    return submit(
        request, form,
        lambda d: services.declaration_submit(
            actor=actor, subject_id=pk, kind=d["kind"], title=d["title"], content=d["content"],
            pledge=d["pledge"], evidence=d["evidence"], department_code=d["department"],
        ),
        page=lambda status: render(request, "declarations/account.html", ctx, status=status),
        done=lambda d: _("自主申报已提交（%(number)s），核实结果将通知您") % {"number": d.number},
        then=reverse("portal:account_declarations", args=[pk]),
    )  # fmt: skip


@login_required
def queue(request: HttpRequest):
    """Back office: the declarations the reader verifies, late ones first; its latest
    decisions below (a record still pending says so)."""
    actor = staff_actor(request)
    rows = selectors.declaration_queue(actor=actor)
    return render(request, "declarations/queue.html",
                  {"declarations": rows,
                   "recent": selectors.declarations_recent(actor=actor)})  # fmt: skip


@login_required
def detail(request: HttpRequest, pk: int):
    """Back office: one declaration, its pledge and evidence, and the decision."""
    actor = staff_actor(request)
    declaration = selectors.declaration_get(actor=actor, declaration_id=pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        steps = {
            "verify": lambda d: services.declaration_verify(
                actor=actor, declaration_id=pk, note=d["reason"]
            ),
            "refuse": lambda d: services.declaration_refuse(
                actor=actor, declaration_id=pk, reason=d["reason"]
            ),
        }
        if take_step(request, form, lambda d: steps[d["decision"]](d), _("已办理")):
            return redirect("backoffice:declarations")
    return render(request, "declarations/detail.html", {"d": declaration, "form": form},
                  status=400 if form.is_bound else 200)  # fmt: skip


@login_required
def evidence(request: HttpRequest, pk: int):
    """Back office: an evidence file, for those who verify the declaration (audited)."""
    actor = staff_actor(request)
    return stored_file_response(lambda: selectors.declaration_evidence(actor=actor, evidence_id=pk))
