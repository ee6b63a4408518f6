"""The portal's commitment pages: the public column (信用承诺公示) and, for a bound
account, signing online, its own commitments and the statement on a proposed breach.
Thin: the services write, :mod:`xinyong.commitments.portal` reads."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.commitments import portal, services
from xinyong.commitments.portal_forms import SignForm, StatementForm
from xinyong.core.errors import ValidationFailed
from xinyong.core.forms import submit
from xinyong.remedies.selectors import bound_subject

PORTAL_LOGIN = "portal:account_login"


def column(request: HttpRequest):
    """信用承诺公示: organisations' public commitments, newest first, searchable."""
    ctx: dict = {
        "params": request.GET,
        "kinds": portal.kind_choices(),
        "statuses": portal.status_choices(),
    }
    try:
        query = portal.column_query(request.GET)
        rows, has_next = portal.column_search(query)
    except ValidationFailed as e:
        ctx.update(errors=e.errors, query=None)
        return render(request, "commitments/portal/column.html", ctx, status=400)
    ctx.update(query=query, rows=rows, has_next=has_next)
    return render(request, "commitments/portal/column.html", ctx)


@login_required(login_url=PORTAL_LOGIN)
def sign(request: HttpRequest, pk: int):
    """签署信用承诺: choose the matter and kind, read the template's text in full, sign.
    Reasons the subject is barred from notify-and-commit come before the form."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    post = request.method == "POST"
    chosen = request.POST if post else request.GET
    matters = portal.sign_matters()
    form_kw = {"matters": matters, "departments": portal.active_departments()}
    if post:
        form = SignForm(request.POST, **form_kw)
    else:
        initial = {k: request.GET.get(k, "") for k in ("matter", "kind", "department")}
        form = SignForm(initial=initial, **form_kw)
    matter, kind = chosen.get("matter", ""), chosen.get("kind", "")
    terms = portal.sign_terms(matter, kind)
    ctx = {
        "subject": subject,
        "form": form,
        "terms": terms,
        "asked": bool(matter or kind),
        "matters": matters,
        "barred": portal.barred_reasons(subject.pk, today=timezone.localdate()),
    }
    return submit(
        request, form,
        lambda d: services.commitment_sign(
            actor=actor, subject_id=subject.pk, matter=d["matter"], kind=d["kind"],
            reason=d["reason"], signatory=d["signatory"], department=d["department"],
            pledge=d["pledge"],
        ),
        page=lambda status: render(request, "commitments/portal/sign.html", ctx, status=status),
        done=lambda c: _("信用承诺已签署，承诺编号 %(number)s") % {"number": c.number},
        then=lambda c: reverse("portal:account_commitment", args=[c.pk]),
    )  # fmt: skip


@login_required(login_url=PORTAL_LOGIN)
def mine(request: HttpRequest):
    """我的信用承诺: the commitments of the subjects this account is bound to."""
    actor = Actor.for_user(request.user)
    return render(
        request,
        "commitments/portal/mine.html",
        {"rows": portal.own_commitments(actor=actor)},
    )


@login_required(login_url=PORTAL_LOGIN)
def detail(request: HttpRequest, pk: int):
    """One own commitment, and the statement on a breach proposed within its period."""
    actor = Actor.for_user(request.user)
    c = portal.own_commitment(actor=actor, commitment_id=pk)
    form = StatementForm(request.POST if request.method == "POST" else None)
    return submit(
        request, form,
        lambda d: services.commitment_statement(
            actor=actor, commitment_id=pk, statement=d["statement"]
        ),
        page=lambda status: render(
            request, "commitments/portal/detail.html", {"c": c, "form": form}, status=status
        ),
        done=_("陈述申辩已提交，受理部门复核后将通知您结果"),
        then=reverse("portal:account_commitment", args=[pk]),
    )  # fmt: skip
