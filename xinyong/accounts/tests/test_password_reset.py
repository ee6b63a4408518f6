"""Password reset by e-mail, as a portal user goes through it (Django's mail outbox), and
what it must not do: reach staff accounts, say who has an account, work twice."""

import io
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from xinyong.accounts.models import User
from xinyong.accounts.tests.conftest import PASSWORD
from xinyong.audit.models import AuditEvent

NEW = "Zhang-San-new-2026"


def reset_link(message) -> str:
    return re.search(r"https?://testserver(/account/password-reset/\S+/)", message.body).group(1)


def test_the_whole_flow_from_the_login_page(client, portal_user):
    login_page = client.get("/account/login/").content.decode()
    assert 'href="/account/password-reset/"' in login_page
    r = client.post("/account/password-reset/", {"email": "ZHANG@example.com"})
    assert r.status_code == 302 and r["Location"] == "/account/password-reset/sent/"
    assert "重置链接已发送" in client.get(r["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["zhang@example.com"]
    assert message.subject == "信用xinyong 门户账号：重置密码"
    assert "张三，您好" in message.body and "qiye_zhang" in message.body
    link = reset_link(message)
    r = client.get(link)  # Django moves the token into the session and out of the URL
    assert r.status_code == 302
    form = client.get(r["Location"])
    assert "设置新密码" in form.content.decode() and 'name="new_password1"' in form.content.decode()
    r = client.post(r["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert r.status_code == 302 and r["Location"] == "/account/password-reset/complete/"
    assert "密码已重置" in client.get(r["Location"]).content.decode()
    # The new password signs in, the old one no longer does.
    assert (
        client.post("/account/login/", {"username": "qiye_zhang", "password": PASSWORD}).status_code
        == 200
    )
    r = client.post("/account/login/", {"username": "qiye_zhang", "password": NEW})
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="user.save", object_id=str(portal_user.pk)).last()
    assert event.detail == {"username": "qiye_zhang", "password": "reset_by_email"}
    assert event.actor_label == "qiye_zhang"
    # The link works once.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "重置链接无效或已过期" in again


def test_a_weak_or_mismatched_password_changes_nothing(client, portal_user):
    client.post("/account/password-reset/", {"email": "zhang@example.com"})
    r = client.get(reset_link(mail.outbox[0]))
    page = client.post(r["Location"], {"new_password1": "12345678", "new_password2": "12345678"})
    assert page.status_code == 200 and 'class="errors"' in page.content.decode()
    page = client.post(r["Location"], {"new_password1": NEW, "new_password2": NEW + "x"})
    assert page.status_code == 200
    portal_user.refresh_from_db()
    assert portal_user.check_password(PASSWORD)


def test_staff_accounts_are_never_reset_by_email(client, users):
    clerk = users["market_clerk"]
    User.objects.filter(pk=clerk.pk).update(email="clerk@scjg.example.gov.cn")
    r = client.post("/account/password-reset/", {"email": "clerk@scjg.example.gov.cn"})
    assert r.status_code == 302 and mail.outbox == []  # same answer, no mail
    # Even a well-formed link (as if leaked) cannot set a staff password.
    clerk.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(clerk.pk))
    token = default_token_generator.make_token(clerk)
    page = client.get(f"/account/password-reset/{uid}/{token}/", follow=True).content.decode()
    assert "重置链接无效或已过期" in page and "new_password1" not in page
    assert "市信用办" in client.get("/backoffice/login/").content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, portal_user):
    r = client.post("/account/password-reset/", {"email": "nobody@example.com"})
    assert r.status_code == 302 and r["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_a_reset_lifts_the_accounts_lockout(client, portal_user):
    for n in range(5):
        client.post("/account/login/", {"username": "qiye_zhang", "password": f"guess-{n}"})
    assert (
        client.post("/account/login/", {"username": "qiye_zhang", "password": PASSWORD}).status_code
        == 429
    )
    client.post("/account/password-reset/", {"email": "zhang@example.com"})
    r = client.get(reset_link(mail.outbox[0]))
    client.post(r["Location"], {"new_password1": NEW, "new_password2": NEW})
    r = client.post("/account/login/", {"username": "qiye_zhang", "password": NEW})
    assert r.status_code == 302


def test_the_reset_pages_speak_english_when_chosen(client, portal_user):
    client.cookies["django_language"] = "en"
    assert "Send reset link" in client.get("/account/password-reset/").content.decode()
    client.post("/account/password-reset/", {"email": "zhang@example.com"})
    assert mail.outbox[0].subject == "xinyong portal account: reset your password"
    assert "Dear 张三" in mail.outbox[0].body


def run_staff_password(monkeypatch, *args, typed: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(typed + "\n"))
    out = io.StringIO()
    call_command("staff_password", *args, stdout=out)
    return out.getvalue()


def test_the_credit_office_sets_a_staff_password_and_lifts_the_lockout(client, users, monkeypatch):
    for n in range(5):
        client.post("/backoffice/login/", {"username": "market_clerk", "password": f"g-{n}"})
    out = run_staff_password(monkeypatch, "market_clerk", typed=NEW)
    assert "已为 market_clerk 设置新密码" in out
    r = client.post("/backoffice/login/", {"username": "market_clerk", "password": NEW})
    assert r.status_code == 302
    event = AuditEvent.objects.filter(action="user.save").last()
    assert event.detail == {"username": "market_clerk", "password": "set_by_credit_office"}


def test_the_staff_password_command_refuses_weak_passwords_and_portal_accounts(
    users, portal_user, monkeypatch
):
    with pytest.raises(CommandError, match="password"):
        run_staff_password(monkeypatch, "market_clerk", typed="12345678")
    with pytest.raises(CommandError, match="电子邮件"):
        run_staff_password(monkeypatch, "qiye_zhang", typed=NEW)
    assert users["market_clerk"].check_password(PASSWORD)
