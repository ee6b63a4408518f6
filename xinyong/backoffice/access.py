"""Who may open a back-office page: any signed-in staff user; what they then see is decided
by the selectors from their role and department."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xinyong.accounts.actors import Actor
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.core.errors import PermissionDenied as DomainPermissionDenied


def staff_actor(request: HttpRequest) -> Actor:
    if not request.user.is_staff:
        raise PermissionDenied
    return Actor.for_user(request.user)


def operator_actor(request: HttpRequest) -> Actor:
    """Pages that keep reference data (settings, models, rules): the platform operator."""
    from xinyong.accounts import access

    actor = staff_actor(request)
    if not access.allowed(actor, access.Action.ADMINISTER):
        raise PermissionDenied
    return actor


def refused(request: HttpRequest, error: Exception) -> None:
    """Tell the user the access rules refused a step, in the rule's own words; tagged
    ``denied`` so that a refusal can be told from a form's errors (the authorization
    matrix test does)."""
    messages.error(request, str(error), extra_tags="denied")


def act(request: HttpRequest, call, done=None):
    """One step taken from a back-office page: a refusal becomes error messages in the
    rule's own words, the outcome a success message (``done``: text, or a function of the
    result). The result, or None when refused."""
    try:
        result = call()
    except ValidationFailed as e:
        for err in e.errors:
            messages.error(request, err.message)
        return None
    except (DomainPermissionDenied, NotFound) as e:
        refused(request, e)
        return None
    if done is not None:
        messages.success(request, done(result) if callable(done) else done)
    return result


def take_step(request: HttpRequest, form, call, done) -> bool:
    """A step from a back-office form (:class:`xinyong.core.forms.Form`): True when it was
    taken (``done``: the success message, or a function of the result) or refused by the
    access rules (said as a ``denied`` message) — the page then redirects; False when the
    form or the service found the input wrong: the form holds the errors, next to their
    fields, and the page shows it again (400)."""
    if not form.is_valid():
        return False
    try:
        result = call(form.cleaned_data)
    except ValidationFailed as e:
        form.fail(e)
        return False
    except (DomainPermissionDenied, NotFound) as e:
        refused(request, e)
        return True
    messages.success(request, done(result) if callable(done) else done)
    return True
