"""Pages of the reports app: verify.py (the public verification page and the published
keys), account.py (a company's reports on the portal), backoffice.py (review reports and
batches)."""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _

from xinyong.accounts.actors import ANONYMOUS, Actor
from xinyong.core.errors import ValidationFailed


def request_actor(request: HttpRequest) -> Actor:
    """Who asks on an open page (the portal, the verification page): the signed-in
    account, or the anonymous visitor."""
    user = request.user
    return Actor.for_user(user) if user.is_authenticated else ANONYMOUS


def form_date(value, field: str) -> datetime.date | None:
    """A date typed in a form (YYYY-MM-DD), None when left empty; anything else refused
    naming the field (the one date rule of the reports' forms)."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.one(field, "date.invalid", _("日期格式应为 YYYY-MM-DD")) from None
