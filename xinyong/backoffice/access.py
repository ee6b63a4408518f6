"""Who may open a back-office page: any signed-in staff user; what they then see is decided
by the selectors from their role and department."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xinyong.accounts.actors import Actor


def staff_actor(request: HttpRequest) -> Actor:
    if not request.user.is_staff:
        raise PermissionDenied
    return Actor.for_user(request.user)
