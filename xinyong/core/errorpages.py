"""The site's error pages (``handler400/403/404/500`` in ``xinyong.urls``): in the site's
frame and language, each with a way back — the portal's home, or the back office's
dashboard when the request was for a back-office (or admin) page. Django's own defaults
are a bare English "Not Found" / "403 Forbidden".

The 500 page renders without the request's context processors, as Django's own does: a
500 may come from the database itself, so its page touches neither the session, the user
nor the database (500.html does not extend base.html)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext

_BACKOFFICE = ("/backoffice/", "/admin/")


def area(request: HttpRequest) -> str:
    """Which part of the site the visitor was in: its error page leads back there."""
    return "backoffice" if request.path.startswith(_BACKOFFICE) else "portal"


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", {"area": area(request)}, status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # The refusal's own words where a rule gave them (services write them for people).
    reason = str(exception or "")
    return render(request, "403.html", {"area": area(request), "reason": reason}, status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # The exception's text names fields and rule ids: not for the page.
    return render(request, "400.html", {"area": area(request)}, status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):  # a client reads the API's one error shape
        message = gettext("服务器内部错误，请稍后再试")
        body = {"detail": [{"field": "", "rule": "server", "message": message}]}
        return JsonResponse(body, status=500, json_dumps_params={"ensure_ascii": False})
    body = loader.get_template("500.html").render({"area": area(request)})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token, or from another site (``CSRF_FAILURE_VIEW``):
    most often a page left open until its session ended."""
    return render(request, "403_csrf.html", {"area": area(request)}, status=403)
