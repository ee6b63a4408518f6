"""API authentication: department business systems send ``Authorization: Bearer <token>``;
back-office users calling from the browser (the API's own docs page) are recognised by
their session — and then, like any form of the back office, an unsafe request needs the
CSRF token (``X-CSRFToken`` header) and, when the browser names it, this site's Origin.
A bearer token is never sent by a browser on its own, so token calls need no CSRF token."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from xinyong.accounts.actors import Actor
from xinyong.accounts.selectors import api_client_authenticate
from xinyong.accounts.services import api_client_mark_used
from xinyong.core.errors import FieldError, PermissionDenied
from xinyong.core.inputs import InputRefused, multipart_unreadable


class ClientToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        client = api_client_authenticate(token)
        if client is None:
            return None
        api_client_mark_used(client=client)
        request.actor = Actor.for_client(client)
        return client


def _csrf_refused(request: HttpRequest):
    """Django's CSRF check, which reads a form body for its token: a body the multipart
    parser refuses is the client's fault (400), not the server's."""
    try:
        return check_csrf(request)
    except (MultiPartParserError, SuspiciousOperation) as e:
        raise multipart_unreadable() from e


class StaffSession(APIKeyCookie):
    """A signed-in staff user's session cookie, with Django's CSRF check (the same as the
    back office's forms: token, and Origin or Referer) on every unsafe method. The check
    runs only when the cookie belongs to a staff user: anyone else gets the usual 401."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not (user.is_authenticated and user.is_staff):
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and _csrf_refused(request):
            raise InputRefused(
                403,
                [
                    FieldError(
                        "X-CSRFToken",
                        "csrf",
                        gettext(
                            "会话调用须附带 CSRF 令牌（X-CSRFToken）且来自本站；"
                            "业务系统请使用接口令牌（Authorization: Bearer）"
                        ),
                    )
                ],
            )
        return request.COOKIES.get(self.param_name) or "session"

    def authenticate(self, request: HttpRequest, key):
        if key is None:
            return None
        request.actor = Actor.for_user(request.user)
        return request.user


AUTH = [ClientToken(), StaffSession()]


def require_scope(request: HttpRequest, scope: str) -> Actor:
    """The request's actor, if a client holds ``scope`` (users act by their role)."""
    actor: Actor = request.actor
    if not actor.has_scope(scope):
        raise PermissionDenied(gettext("接口令牌没有“%(scope)s”权限") % {"scope": scope})
    return actor
