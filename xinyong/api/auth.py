"""API authentication: department business systems send ``Authorization: Bearer <token>``;
back-office users calling from the browser are recognised by their session."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from xinyong.accounts.actors import Actor
from xinyong.accounts.selectors import api_client_authenticate
from xinyong.accounts.services import api_client_mark_used
from xinyong.core.errors import PermissionDenied


class ClientToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        client = api_client_authenticate(token)
        if client is None:
            return None
        api_client_mark_used(client=client)
        request.actor = Actor.for_client(client)
        return client


def session_user(request: HttpRequest):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        request.actor = Actor.for_user(user)
        return user
    return None


AUTH = [ClientToken(), session_user]


def require_scope(request: HttpRequest, scope: str) -> Actor:
    """The request's actor, if a client holds ``scope`` (users act by their role)."""
    actor: Actor = request.actor
    if not actor.has_scope(scope):
        raise PermissionDenied(f"接口令牌没有“{scope}”权限")
    return actor
