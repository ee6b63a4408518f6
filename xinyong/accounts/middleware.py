"""Staff sessions are short: a back-office session reaches non-public data, so it ends when
the browser closes and after ``XINYONG_STAFF_IDLE_MINUTES`` without a request, while a
portal session lasts ``SESSION_COOKIE_AGE``. Django has one session age for everyone, so
this middleware (after AuthenticationMiddleware) shortens the staff ones."""

import time

from django.conf import settings
from django.contrib.auth import logout

LAST_SEEN = "xinyong_staff_seen"  # session key: epoch seconds of the last staff request
# The last-seen time is rewritten at most this often, so that most requests do not write
# the session row.
_RESOLUTION = 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = int(time.time())
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            seen = request.session.get(LAST_SEEN)
            if seen is not None and now - seen > settings.XINYONG_STAFF_IDLE_MINUTES * 60:
                logout(request)  # then answered as anonymous: pages redirect to the login
        response = self.get_response(request)
        user = getattr(request, "user", None)  # login() or logout() may have replaced it
        if user is not None and user.is_authenticated and user.is_staff:
            session = request.session
            if not session.get_expire_at_browser_close():
                session.set_expiry(0)  # a cookie without Max-Age: gone with the browser
            if now - session.get(LAST_SEEN, 0) >= _RESOLUTION:
                session[LAST_SEEN] = now
        return response
