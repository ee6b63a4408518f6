"""The back office's page of file exchange: each feed's daily count-and-digest as stored
(what the upper node compares with what it received) and the packages received lately."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.shortcuts import render

from xinyong.backoffice.access import staff_actor
from xinyong.exchange import fileselectors, nodes


@login_required
def digests(request: HttpRequest):
    """数据交换对账: the credit office and the auditor."""
    actor = staff_actor(request)
    rows = fileselectors.daily_digests(actor=actor)
    packages = fileselectors.packages_received(actor=actor)
    ctx = {"rows": rows, "packages": packages, "spec": nodes.SPEC, "days": fileselectors.DAYS_SHOWN}
    return render(request, "exchange/digests.html", ctx)
