"""Staff sessions end with the browser and after 30 idle minutes; portal sessions last a
working day."""

import time

import pytest

from xinyong.accounts.middleware import LAST_SEEN
from xinyong.accounts.tests.conftest import PASSWORD


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_a_staff_session_cookie_ends_with_the_browser(client, users):
    r = client.post("/backoffice/login/", {"username": "market_clerk", "password": PASSWORD})
    assert r.status_code == 302
    cookie = r.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_a_portal_session_lasts_a_working_day(client, portal_user):
    r = client.post("/account/login/", {"username": "qiye_zhang", "password": PASSWORD})
    assert r.status_code == 302
    assert int(r.cookies["sessionid"]["max-age"]) == 8 * 3600
    idle_for(client, 120)  # the staff idle limit does not apply
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize(("minutes", "signed_in"), [(29, True), (31, False)])
def test_an_idle_staff_session_ends(client, users, minutes, signed_in):
    client.post("/backoffice/login/", {"username": "market_clerk", "password": PASSWORD})
    idle_for(client, minutes)
    r = client.get("/backoffice/")
    if signed_in:
        assert r.status_code == 200
    else:
        assert r.status_code == 302 and r["Location"].startswith("/backoffice/login/")
        assert "_auth_user_id" not in client.session


def test_an_idle_staff_session_no_longer_reaches_the_api(client, users):
    client.post("/backoffice/login/", {"username": "market_clerk", "password": PASSWORD})
    assert client.get("/api/v1/subjects?q=华为").status_code == 200
    idle_for(client, 31)
    assert client.get("/api/v1/subjects?q=华为").status_code == 401


def test_activity_keeps_a_staff_session_alive(client, users):
    client.post("/backoffice/login/", {"username": "market_clerk", "password": PASSWORD})
    idle_for(client, 25)
    assert client.get("/backoffice/").status_code == 200  # refreshes the last-seen time
    assert int(time.time()) - client.session[LAST_SEEN] < 5
