"""A limit on reports issued from the portal, so that a script cannot have the platform
typeset thousands of reports (each costs a PDF, a signature and a row kept for ever).

Counted per client address (the address as the login throttle reads it, behind the
configured proxies) in fixed windows, plus one ceiling over all anonymous visitors, since a
bot may come from many addresses. The counts live in Django's cache: with several server
processes the cache must be shared (``CACHES``: database, Redis or Memcached) for the
limits to hold across them; the process-local default counts per process.

Settings (with their defaults): ``XINYONG_REPORT_ISSUE_LIMIT`` (20) reports per address
per ``XINYONG_REPORT_ISSUE_WINDOW`` seconds (3600); ``XINYONG_REPORT_ISSUE_ANON_LIMIT``
(2000) anonymous reports per window in all.

Verification (the page and the API) is counted the same way, per address only and far
more generously — a bank's desk verifies many reports — so that nobody can make the
platform write a log row per request without end: ``XINYONG_REPORT_VERIFY_LIMIT`` (120)
verifications per address per ``XINYONG_REPORT_VERIFY_WINDOW`` seconds (60)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from xinyong.accounts.throttle import client_address


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "XINYONG_REPORT_ISSUE_LIMIT", 20),
        getattr(settings, "XINYONG_REPORT_ISSUE_ANON_LIMIT", 2000),
        getattr(settings, "XINYONG_REPORT_ISSUE_WINDOW", 3600),
    )


def _count(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def issue_wait(request: HttpRequest, *, anonymous: bool) -> int:
    """Count one report asked for from this request's address; the seconds to wait before
    asking again if a limit is exceeded, else 0."""
    per_address, anon_total, window = _limits()
    now = int(time.time())
    slot = now // window
    wait = window - now % window
    if _count(f"reports:issue:{client_address(request)}:{slot}", window) > per_address:
        return wait
    if anonymous and _count(f"reports:issue:anonymous:{slot}", window) > anon_total:
        return wait
    return 0


def verify_wait(request: HttpRequest) -> int:
    """Count one verification from this request's address; the seconds to wait before
    verifying again if the limit is exceeded, else 0."""
    limit = getattr(settings, "XINYONG_REPORT_VERIFY_LIMIT", 120)
    window = getattr(settings, "XINYONG_REPORT_VERIFY_WINDOW", 60)
    now = int(time.time())
    slot = now // window
    if _count(f"reports:verify:{client_address(request)}:{slot}", window) > limit:
        return window - now % window
    return 0
