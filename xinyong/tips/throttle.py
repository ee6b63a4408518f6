"""Limits on filing tips and on looking up receipt codes, per client address in fixed
windows (counted in Django's cache as :mod:`xinyong.reports.throttle` does): a script can
neither flood departments with tips nor try receipt codes. ``XINYONG_TIP_FILE_LIMIT``
filings per ``XINYONG_TIP_FILE_WINDOW`` seconds; ``XINYONG_TIP_LOOKUP_LIMIT`` look-ups per
``XINYONG_TIP_LOOKUP_WINDOW`` seconds."""

import time

from django.conf import settings
from django.http import HttpRequest

from xinyong.accounts.throttle import client_address
from xinyong.reports.throttle import _count


def _wait(request: HttpRequest, kind: str, limit: int, window: int) -> int:
    now = int(time.time())
    slot = now // window
    if _count(f"tips:{kind}:{client_address(request)}:{slot}", window) > limit:
        return window - now % window
    return 0


def file_wait(request: HttpRequest) -> int:
    """Count one filing from this address; seconds to wait if over the limit, else 0."""
    return _wait(request, "file", settings.XINYONG_TIP_FILE_LIMIT, settings.XINYONG_TIP_FILE_WINDOW)


def lookup_wait(request: HttpRequest) -> int:
    """Count one receipt look-up from this address; seconds to wait if over, else 0."""
    return _wait(request, "lookup", settings.XINYONG_TIP_LOOKUP_LIMIT,
                 settings.XINYONG_TIP_LOOKUP_WINDOW)  # fmt: skip
