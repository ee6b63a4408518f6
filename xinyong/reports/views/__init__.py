"""Pages of the reports app: verify.py (the public verification page and the published
keys), account.py (a company's reports on the portal), backoffice.py (review reports and
batches)."""

from django.http import HttpRequest

from xinyong.accounts.actors import ANONYMOUS, Actor


def request_actor(request: HttpRequest) -> Actor:
    """Who asks on an open page (the portal, the verification page): the signed-in
    account, or the anonymous visitor."""
    user = request.user
    return Actor.for_user(user) if user.is_authenticated else ANONYMOUS
