"""Login throttling with django-axes, for every password login (back office, portal,
admin): the pieces axes lets a project supply through its settings.

Two limits, because one is either too tight for an office behind one NAT address or too
loose for a password sprayer: ``AXES_FAILURE_LIMIT`` wrong passwords for one account from
one address lock that account at that address (an attacker elsewhere cannot lock the real
user out), and ``XINYONG_LOGIN_ADDRESS_LIMIT`` wrong passwords from one address over all
accounts lock the address. Both end ``AXES_COOLOFF_TIME`` after the last counted failure;
attempts during a lockout are refused without being counted, so the time the page names
holds. The credit office lifts a lockout in the admin (访问尝试) or with
``xinyong axes_reset_username <name>`` / ``axes_reset_ip <address>`` / ``axes_reset``."""

import datetime
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with a separate limit per address. Axes compares the largest
    count of its lockout parameters with one limit; here the address's count is scaled so
    that ``XINYONG_LOGIN_ADDRESS_LIMIT`` failures reach that limit exactly. Relies on
    ``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]``."""

    def failure_counts(self, request, credentials=None) -> tuple[int, int]:
        """Failures within the cool-off: (this account from this address, this address)."""
        per_account, per_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        )
        return per_account, per_address

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = self.failure_counts(request, credentials)
        limit = get_failure_limit(request, credentials)
        return max(per_account, per_address * limit // settings.XINYONG_LOGIN_ADDRESS_LIMIT)

    def locked_until(self, request, credentials=None, *, by_account: bool) -> datetime.datetime:
        """When the lockout ends: the cool-off after the last failure that counts for it
        (at most; an older group of failures may expire earlier)."""
        per_account, per_address = self.get_user_attempts(request, credentials)
        attempts = per_account if by_account else per_address
        last = attempts.aggregate(t=Max("attempt_time"))["t"] or timezone.now()
        return last + get_cool_off(request)


def client_address(request: HttpRequest) -> str:
    """The address a login came from. Behind ``XINYONG_PROXY_COUNT`` reverse proxies it is
    the entry the outermost proxy appended to X-Forwarded-For (entries further left are
    whatever the client sent, so never trusted); without proxies, the peer address."""
    hops = settings.XINYONG_PROXY_COUNT
    if hops:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page a locked-out login gets (HTTP 429): in the user's language, saying whether
    the account or the whole address is locked, until when, and how to get help."""
    handler = LoginThrottle()
    per_account, _per_address = handler.failure_counts(request, credentials)
    by_account = per_account >= get_failure_limit(request, credentials)
    until = handler.locked_until(request, credentials, by_account=by_account)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {
        "by_account": by_account,
        "until": timezone.localtime(until),
        "minutes": minutes,
        "portal": request.path.startswith("/account/"),
    }
    response: HttpResponse = render(
        request, "accounts/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(minutes * 60)
    return response
