"""``{% allowed "repair_decide" obj as may %}``: whether the signed-in user may take an
action, asked of :func:`xinyong.accounts.access.allowed` — so that menus and buttons offer
only what the access rules would let through, and no template writes a rule of its own.
The endpoints still refuse on their own (server side); this only decides what is shown."""

from django import template

from xinyong.accounts import access
from xinyong.accounts.actors import Actor

register = template.Library()


def _actor(request) -> Actor | None:
    """The page's actor, once per request (a menu asks several times)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    actor = getattr(request, "_access_actor", None)
    if actor is None:
        actor = request._access_actor = Actor.for_user(user)
    return actor


@register.simple_tag(takes_context=True)
def allowed(context, action: str, obj=None) -> bool:
    actor = _actor(context.get("request"))
    return actor is not None and access.allowed(actor, access.Action(action), obj)


@register.simple_tag(takes_context=True)
def association_menu(context) -> bool:
    """Whether the page shows the industry association's menu (``access.association_menu``)."""
    actor = _actor(context.get("request"))
    return actor is not None and access.association_menu(actor)
