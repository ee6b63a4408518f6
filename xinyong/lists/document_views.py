"""Pages and files of the procedure's documents: the PDFs of a case (prior notice,
decision, rectification order) in the back office and on the subject's account page, the
online statement and defence (陈述申辩) the subject files within the period, and its
attachments for the case's clerk and reviewer. Thin: services write and render, selectors
read; refusals name the field and the rule."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts.actors import Actor
from xinyong.backoffice.access import staff_actor
from xinyong.core.downloads import document_response, stored_file_response
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.forms import submit
from xinyong.lists import selectors, services
from xinyong.lists.choices import StatementAdoption
from xinyong.lists.forms import StatementForm
from xinyong.lists.services.papers import entry_document_read
from xinyong.sanctions.services.papers import rectification_order_read

PORTAL_LOGIN = "portal:account_login"


# -- back office --------------------------------------------------------------------------
@login_required
def entry_document(request: HttpRequest, pk: int, kind: str):
    """A case's prior notice or decision as PDF (each download audited)."""
    actor = staff_actor(request)
    return document_response(lambda: entry_document_read(actor=actor, entry_id=pk, kind=kind))


@login_required
def rectification_pdf(request: HttpRequest, pk: int):
    """A rectification order as PDF (each download audited)."""
    actor = staff_actor(request)
    return document_response(lambda: rectification_order_read(actor=actor, order_id=pk))


@login_required
def statement_file(request: HttpRequest, pk: int):
    """An attachment of an online statement, for the case's department (audited)."""
    actor = staff_actor(request)
    return stored_file_response(lambda: selectors.statement_file(actor=actor, file_id=pk))


def case_documents(actor, entry) -> dict:
    """What the case page shows of documents and online statements."""
    return {
        "documents": [(k, k.label) for k in selectors.documents_available(entry)],
        "statements": selectors.statements(actor=actor, entry=entry),
        "adoptions": StatementAdoption.choices,
    }


# -- the subject's account ------------------------------------------------------------------
@login_required(login_url=PORTAL_LOGIN)
def account_document(request: HttpRequest, pk: int, kind: str):
    """The bound subject's prior notice or decision as PDF (each download audited)."""
    actor = Actor.for_user(request.user)
    return document_response(
        lambda: entry_document_read(actor=actor, entry_id=pk, kind=kind, own=True)
    )


@login_required(login_url=PORTAL_LOGIN)
def account_rectification_pdf(request: HttpRequest, pk: int):
    """A rectification order addressed to the bound subject, as PDF (audited)."""
    actor = Actor.for_user(request.user)
    return document_response(lambda: rectification_order_read(actor=actor, order_id=pk, own=True))


@login_required(login_url=PORTAL_LOGIN)
def account_statement(request: HttpRequest, pk: int):
    """File the statement and defence on one case, within the period of its prior notice,
    with attachments; after the period the page says so and the form is gone."""
    actor = Actor.for_user(request.user)
    try:
        entry = selectors.document_entry(actor=actor, entry_id=pk, own=True)
    except (NotFound, PermissionDenied):
        raise Http404 from None
    today = timezone.localdate()
    post = request.method == "POST"
    form = StatementForm(request.POST, request.FILES) if post else StatementForm()
    ctx = {
        "entry": entry,
        "open": selectors.statement_open(entry, today),
        "ended": selectors.statement_ended(entry, today),
        "statements": selectors.statements(actor=actor, entry=entry),
        "documents": selectors.documents_available(entry),
        "form": form,
    }
    return submit(
        request, form,
        lambda d: services.entry_statement_file(
            actor=actor, entry_id=pk, text=d["statement_text"], files=d["files"]
        ),
        page=lambda status: render(request, "lists/account_statement.html", ctx, status=status),
        done=_("陈述申辩已提交，认定部门将在作出决定前予以复核"),
        then=reverse("portal:account_subject", args=[entry.subject_id]),
    )  # fmt: skip
