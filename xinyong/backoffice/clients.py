"""API clients in the back office (信用办): the list, the issue form that shows the new
token once, and revoking. The same services as ``manage.py api_client``; the rule of who
may is ``Action.ADMINISTER`` (accounts/access.py)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinyong.accounts import services
from xinyong.accounts.choices import ApiScope
from xinyong.accounts.models import ApiClient, Department
from xinyong.accounts.selectors import api_clients_list
from xinyong.backoffice.access import act, staff_actor
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.fieldlabels import error_lines

VALID_DAYS = 365  # as the command's default
LABELS = {
    "name": gettext_lazy("业务系统名称"),
    "department": gettext_lazy("所属部门"),
    "scopes": gettext_lazy("权限范围"),
}


@login_required
def client_list(request: HttpRequest):
    """接口客户端: the list and the issue form; after issuing, the token once."""
    actor = staff_actor(request)
    clients = api_clients_list(actor=actor)  # refuses all but the credit office
    ctx = {"form": {}, "status": 200}
    if request.method == "POST":
        ctx |= _issue(request, actor)
    scope_names = dict(ApiScope.choices)
    ctx |= {
        "clients": [(c, [scope_names.get(s, s) for s in c.scopes]) for c in clients],
        "departments": Department.objects.order_by("code"),
        "scopes": ApiScope.choices,
    }
    return render(request, "backoffice/api_clients.html", ctx, status=ctx.pop("status"))


def _issue(request: HttpRequest, actor) -> dict:
    p = request.POST
    form = {"name": p.get("name", ""), "department": p.get("department", ""),
            "scopes": p.getlist("scopes")}  # fmt: skip
    department = Department.objects.filter(pk=_int(form["department"])).first()
    try:
        if department is None:
            raise ValidationFailed([FieldError("department", "required", _("请选择所属部门"))])
        client, token = services.api_client_issue(
            actor=actor,
            name=form["name"],
            department=department,
            scopes=form["scopes"],
            expires_at=timezone.now() + datetime.timedelta(days=VALID_DAYS),
        )
    except ValidationFailed as e:
        return {"form": form, "errors": error_lines(e.errors, LABELS), "status": 400}
    return {"issued": client, "token": token}


def _int(value) -> int | None:
    return int(value) if str(value).isdecimal() and len(str(value)) < 10 else None


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
