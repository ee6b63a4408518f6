"""The portal's columns beside search: credit lists (each public list with its own
search), policy documents, and the online services page. Thin views over the lists and
policies selectors."""

from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from xinyong.core.errors import ValidationFailed
from xinyong.lists.schemas import PublicEntryOut
from xinyong.lists.selectors import public_list_search, public_list_type, public_list_types
from xinyong.policies.selectors import policy_get, policy_search


def lists_index(request: HttpRequest):
    """信用名单: every public list with its legal basis and a search box each. The home
    page's lists tab sends ``?list=…&q=…`` here: on to that list's search."""
    types = public_list_types()
    chosen = request.GET.get("list")
    if chosen and chosen in {t.code for t in types}:
        query = urlencode({"q": request.GET.get("q", "")})
        return redirect(f"{reverse('portal:list', args=[chosen])}?{query}")
    return render(request, "portal/lists.html", {"types": types})


def list_detail(request: HttpRequest, code: str):
    """One public list: its entries in force, searchable by name, USCC or decision
    number."""
    list_type = public_list_type(code=code)
    q = request.GET.get("q", "")
    try:
        page_no = int(request.GET.get("page") or 1)
    except ValueError:
        page_no = 0
    ctx: dict = {"list_type": list_type, "q": q, "types": public_list_types()}
    try:
        found = public_list_search(
            list_type=list_type, q=q, page=page_no, today=timezone.localdate()
        )
    except ValidationFailed as e:
        ctx["errors"] = e.errors
        return render(request, "portal/list.html", ctx, status=400)
    ctx.update(found=found, rows=[PublicEntryOut.of(e) for e in found.entries])
    return render(request, "portal/list.html", ctx)


def policies(request: HttpRequest):
    """政策法规: the platform's policy texts, searchable by title and text."""
    q = request.GET.get("q", "")
    try:
        hits = policy_search(q=q)
    except ValidationFailed as e:
        return render(request, "portal/policies.html", {"q": q, "errors": e.errors}, status=400)
    return render(request, "portal/policies.html", {"q": q, "hits": hits})


def policy_detail(request: HttpRequest, slug: str):
    return render(request, "portal/policy.html", {"doc": policy_get(slug=slug)})


def services(request: HttpRequest):
    """网上办事: the one entry to what a subject can do online, and who must sign in."""
    return render(request, "portal/services.html")
