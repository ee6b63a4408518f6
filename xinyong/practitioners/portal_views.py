"""The portal's column of practitioners (从业人员信息公示, issue #18 item 7): the professions
whose rule publishes something, a search of their practitioners by the whole published
name or licence number, and a practitioner's public page — only the fields the rule
publishes, with its text. Thin: the selectors read, the access layer decides."""

from django.http import Http404, HttpRequest
from django.shortcuts import render

from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.practitioners import selectors


def _actor(request: HttpRequest) -> Actor:
    return Actor.for_user(request.user) if request.user.is_authenticated else ANONYMOUS


def column(request: HttpRequest):
    """从业人员信息公示: the publishing professions, and the search when one is asked."""
    actor = _actor(request)
    profession = request.GET.get("profession", "")
    q = request.GET.get("q", "")
    ctx: dict = {
        "professions": selectors.public_professions(actor=actor),
        "profession": profession[:48],
        "q": q[: selectors.Q_MAX],
        "asked": "q" in request.GET,  # a profession alone only preselects it
    }
    if not ctx["asked"]:
        return render(request, "practitioners/portal/column.html", ctx)
    try:
        ctx["found"] = selectors.public_search(actor=actor, profession=profession, q=q)
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        if selectors.carries_identifier(q):
            ctx["q"] = ""  # an identifier typed is not echoed back
        return render(request, "practitioners/portal/column.html", ctx, status=400)
    return render(request, "practitioners/portal/column.html", ctx)


def practitioner(request: HttpRequest, pk: int):
    """A practitioner's public page; a profession publishing nothing: not found."""
    try:
        shown = selectors.public_practitioner(actor=_actor(request), practitioner_id=pk)
    except NotFound:
        raise Http404 from None
    return render(request, "practitioners/portal/practitioner.html", {"p": shown})
