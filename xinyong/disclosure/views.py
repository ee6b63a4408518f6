"""Back-office pages of dual publicity."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest
from django.shortcuts import render

from xinyong.backoffice.access import staff_actor
from xinyong.core.errors import PermissionDenied
from xinyong.disclosure import selectors


@login_required
def timeliness(request: HttpRequest):
    try:
        rows = selectors.timeliness_report(actor=staff_actor(request))
    except PermissionDenied:
        raise DjangoPermissionDenied from None
    return render(request, "disclosure/timeliness.html", {"rows": rows})
