"""API clients in the back office (信用办): the list, the issue form that shows the new
token once, and revoking. The same services as ``manage.py api_client``; the rule of who
may is ``Action.ADMINISTER`` (``accounts.access``)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xinyong.accounts import services
from xinyong.accounts.choices import ApiScope
from xinyong.accounts.models import ApiClient
from xinyong.accounts.selectors import api_clients_list
from xinyong.backoffice.access import act, staff_actor
from xinyong.backoffice.forms import ApiClientIssueForm
from xinyong.core.errors import ValidationFailed

VALID_DAYS = 365  # as the command's default


@login_required
def client_list(request: HttpRequest):
    """接口客户端: the list and the issue form; after issuing, the token once (the page
    itself, not a redirect: the token is shown nowhere else). A refusal: the form again,
    each error next to its field (400)."""
    actor = staff_actor(request)
    clients = api_clients_list(actor=actor)  # refuses all but the credit office
    form = ApiClientIssueForm(request.POST if request.method == "POST" else None)
    ctx, status = {"form": form}, 200
    if form.is_bound and form.is_valid():
        try:
            client, token = _issue(actor, form.cleaned_data)
        except ValidationFailed as e:
            form.fail(e)
        else:
            ctx |= {"issued": client, "token": token, "form": ApiClientIssueForm()}
            clients = api_clients_list(actor=actor)
    if form.errors:
        status = 400
    scope_names = dict(ApiScope.choices)
    ctx["clients"] = [(c, [scope_names.get(s, s) for s in c.scopes]) for c in clients]
    return render(request, "backoffice/api_clients.html", ctx, status=status)


def _issue(actor, d: dict):
    return services.api_client_issue(
        actor=actor,
        name=d["name"],
        department=d["department"],
        scopes=d["scopes"],
        expires_at=timezone.now() + datetime.timedelta(days=VALID_DAYS),
    )


@login_required
@require_POST
def client_revoke(request: HttpRequest, pk: int):
    actor = staff_actor(request)
    client = get_object_or_404(ApiClient, pk=pk)
    act(
        request,
        lambda: services.api_client_revoke(actor=actor, client=client),
        _("已停用接口客户端：%(name)s") % {"name": client.name},
    )
    return redirect("backoffice:api_clients")
