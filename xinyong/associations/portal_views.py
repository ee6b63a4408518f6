"""The member's portal pages, through its bound account: the campaigns of its associations
to sign, its sanction cases, the notice and its statement. Thin: services write, selectors
read; another's subject or case is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.associations import forms, selectors, services
from xinyong.associations.printing import document_pdf
from xinyong.core.downloads import file_response
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.forms import submit
from xinyong.remedies.selectors import bound_subject

PORTAL_LOGIN = "portal:account_login"


@login_required(login_url=PORTAL_LOGIN)
def account(request: HttpRequest, pk: int):
    """The bound subject's associations: campaigns to sign, sanction cases told to it."""
    actor = Actor.for_user(request.user)
    subject = bound_subject(actor=actor, subject_id=pk)
    form = forms.SignForm(request.POST if request.method == "POST" else None)
    ctx = {
        "subject": subject,
        "form": form,
        "campaigns": selectors.open_campaigns(actor=actor, subject=subject),
        "sanctions": selectors.subject_sanctions(actor=actor, subject=subject),
        "memberships": selectors.public_memberships(subject.pk)["belongs"],
    }
    return submit(
        request,
        form,
        lambda d: services.campaign_sign(actor=actor, campaign_id=d["campaign"], subject_id=pk),
        page=lambda status: render(request, "associations/portal/account.html", ctx, status=status),
        done=_("已签署行业自律承诺"),
        then=reverse("portal:account_associations", args=[pk]),
    )


def _case(actor, pk: int):
    try:
        s = selectors.sanction_get(actor=actor, sanction_id=pk)
    except (NotFound, PermissionDenied):
        raise Http404 from None
    if s.notified_at is None or not access.allowed(actor, Action.ASSOCIATION_STATEMENT, s):
        raise Http404  # the member's own pages: its bound account only, once told
    return s


@login_required(login_url=PORTAL_LOGIN)
def sanction(request: HttpRequest, pk: int):
    """A sanction case told to the member: the facts, the notice and its statement."""
    actor = Actor.for_user(request.user)
    s = _case(actor, pk)
    form = forms.StatementForm(request.POST if request.method == "POST" else None)
    return submit(
        request,
        form,
        lambda d: services.sanction_statement(actor=actor, sanction_id=pk, text=d["statement"]),
        page=lambda status: render(
            request, "associations/portal/sanction.html", {"s": s, "form": form}, status=status
        ),
        done=_("陈述申辩已提交"),
        then=reverse("portal:account_association_sanction", args=[pk]),
    )


@login_required(login_url=PORTAL_LOGIN)
def sanction_notice(request: HttpRequest, pk: int, which: str = "notice"):
    """The case's notice, decision or revocation as a PDF (404 when it has none yet)."""
    found = document_pdf(_case(Actor.for_user(request.user), pk), which)
    if found is None:
        raise Http404
    name, pdf = found
    return file_response(pdf, name)
