"""Login throttling as an attacker and a real user meet it, on both login pages: five wrong
passwords lock the account at that address for 15 minutes (the right password included),
thirty lock the address, nobody else is locked, and the credit office can unlock."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F

from xinyong.accounts.tests.conftest import PASSWORD

BACKOFFICE, PORTAL = "/backoffice/login/", "/account/login/"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, url, username, password, address=HOME):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def cool_off_passes():
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))


LOGINS = [(BACKOFFICE, "market_clerk"), (PORTAL, "portal_user")]


@pytest.fixture
def accounts(users, portal_user):
    return {**users, "portal_user": portal_user}


@pytest.mark.parametrize(("url", "who"), LOGINS)
def test_fifty_wrong_passwords_then_the_right_one_is_refused_until_the_cool_off(
    client, accounts, url, who
):
    user = accounts[who]
    for n in range(1, 51):
        r = sign_in(client, url, user.username, f"guess-{n}")
        assert r.status_code == (200 if n < 5 else 429), n
    r = sign_in(client, url, user.username, PASSWORD)
    assert r.status_code == 429 and not signed_in_as(client, user)
    page = r.content.decode()
    assert "登录已暂时锁定" in page and "该账号在您当前的网络地址" in page
    assert "请于 15 分钟后" in page and int(r["Retry-After"]) == 15 * 60
    assert "Account locked" not in page  # not axes' own English text
    cool_off_passes()
    r = sign_in(client, url, user.username, PASSWORD)
    assert r.status_code == 302 and signed_in_as(client, user)


def test_attempts_during_a_lockout_do_not_extend_it(client, accounts):
    for n in range(5):
        sign_in(client, BACKOFFICE, "market_clerk", f"guess-{n}")
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=10))
    r = sign_in(client, BACKOFFICE, "market_clerk", "guess-again")
    assert r.status_code == 429 and "请于 5 分钟后" in r.content.decode()


def test_the_locked_page_speaks_english_when_english_is_chosen(client, accounts):
    client.cookies["django_language"] = "en"
    for n in range(5):
        r = sign_in(client, PORTAL, "qiye_zhang", f"guess-{n}")
    assert r.status_code == 429
    assert "Sign-in temporarily locked" in r.content.decode()


@pytest.mark.parametrize(("url", "who", "other"), [
    (BACKOFFICE, "market_clerk", "tax_clerk"), (PORTAL, "portal_user", "market_clerk")
])  # fmt: skip
def test_one_locked_account_locks_nobody_else(client, accounts, url, who, other):
    user = accounts[who]
    for n in range(20):
        sign_in(client, url, user.username, f"guess-{n}")
    assert sign_in(client, url, user.username, PASSWORD).status_code == 429
    # Another account from the same address signs in.
    other_url = BACKOFFICE if accounts[other].is_staff else PORTAL
    r = sign_in(client, other_url, accounts[other].username, PASSWORD)
    assert r.status_code == 302 and signed_in_as(client, accounts[other])
    client.logout()
    # The same account from another address signs in: an attacker cannot lock a user out.
    r = sign_in(client, url, user.username, PASSWORD, address=ELSEWHERE)
    assert r.status_code == 302 and signed_in_as(client, user)


def test_a_password_sprayer_locks_its_own_address(client, accounts):
    for n in range(29):
        sign_in(client, BACKOFFICE, f"guess_user_{n}", "Xinyong-2026")
    r = sign_in(client, BACKOFFICE, "market_clerk", PASSWORD)
    assert r.status_code == 302  # 29 failures over many accounts: still open
    client.logout()
    sign_in(client, PORTAL, "guess_user_29", "Xinyong-2026")  # both pages count together
    r = sign_in(client, BACKOFFICE, "market_clerk", PASSWORD)
    assert r.status_code == 429 and "您当前的网络地址登录失败次数过多" in r.content.decode()
    r = sign_in(client, BACKOFFICE, "market_clerk", PASSWORD, address=ELSEWHERE)
    assert r.status_code == 302


def test_the_admin_login_is_throttled_too(client, accounts):
    for n in range(5):
        r = client.post("/admin/login/", {"username": "operator", "password": f"guess-{n}"})
    assert r.status_code == 429
    r = client.post("/admin/login/?next=/admin/", {"username": "operator", "password": PASSWORD})
    assert r.status_code == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, accounts, settings):
    """A client cannot escape the lockout by sending its own X-Forwarded-For entries."""
    settings.XINYONG_PROXY_COUNT = 1
    for n in range(5):
        client.post(
            BACKOFFICE,
            {"username": "market_clerk", "password": f"guess-{n}"},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME}",  # spoofed, then what the proxy saw
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
    r = client.post(
        BACKOFFICE,
        {"username": "market_clerk", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {HOME}",
    )
    assert r.status_code == 429


def test_the_credit_office_unlocks_by_command(client, accounts):
    for n in range(5):
        sign_in(client, BACKOFFICE, "market_clerk", f"guess-{n}")
    call_command("axes_reset_username", "market_clerk")
    assert sign_in(client, BACKOFFICE, "market_clerk", PASSWORD).status_code == 302


def test_the_credit_office_unlocks_in_the_admin(client, accounts):
    for n in range(5):
        sign_in(client, BACKOFFICE, "market_clerk", f"guess-{n}")
    attempt = AccessAttempt.objects.get(username="market_clerk")
    clerk = client_for(accounts["tax_clerk"])
    assert clerk.get("/admin/axes/accessattempt/").status_code == 403  # a department cannot
    office = client_for(accounts["operator"])
    page = office.get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "market_clerk" in page.content.decode()
    r = office.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not AccessAttempt.objects.exists()
    assert sign_in(client, BACKOFFICE, "market_clerk", PASSWORD).status_code == 302


def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_api_tokens_are_not_throttled_by_password_failures(client, accounts, market_token):
    """The API takes bearer tokens, not passwords: a locked address still reaches it."""
    for n in range(40):
        sign_in(client, BACKOFFICE, f"guess_user_{n}", "Xinyong-2026")
    r = client.get(
        "/api/v1/subjects?q=华为", HTTP_AUTHORIZATION=f"Bearer {market_token}", REMOTE_ADDR=HOME
    )
    assert r.status_code == 200


def test_the_unlock_page_of_the_admin_is_in_chinese(client, accounts):
    sign_in(client, BACKOFFICE, "market_clerk", "guess")
    page = client_for(accounts["operator"]).get("/admin/axes/accessattempt/").content.decode()
    assert "登录失败记录（删除即解锁）" in page and "失败次数" in page
