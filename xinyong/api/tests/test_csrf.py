"""Cross-site writes through the API: a page on another site can make a signed-in staff
member's browser send a request with their session cookie, but not read their CSRF token
nor set an Authorization header. So a session call that writes needs the token (and this
site's Origin); a bearer-token call from a business system needs neither."""

import json

import pytest
from django.test import Client

from xinyong.ingest.models import Batch
from xinyong.ingest.tests.conftest import penalty
from xinyong.records.models import Record
from xinyong.sanctions.models import CreditCheck

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example"
UNKNOWN = "91339900MA1X2Y3B1X"  # a valid USCC nobody registered
WRITES = [
    ("/api/v1/records/batches", {"item": "administrative_penalty", "rows": [penalty(1)]}),
    ("/api/v1/checks", {"subject": UNKNOWN, "matter": "government_procurement"}),
]


@pytest.fixture
def browser(users):
    """A browser signed in as a department clerk, enforcing CSRF as a real one would."""
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["market_clerk"])
    return c


def _written() -> tuple[int, int, int]:
    return Batch.objects.count(), Record.objects.count(), CreditCheck.objects.count()


@pytest.mark.parametrize(("path", "body"), WRITES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_session_write_from_another_site_is_refused(browser, org_with_rep, path, body,
                                                    content_type):  # fmt: skip
    r = browser.post(path, json.dumps(body), content_type=content_type,
                     headers={"Origin": EVIL})  # fmt: skip
    assert r.status_code == 403, r.content
    assert r.json()["detail"] == [
        {"field": "X-CSRFToken", "rule": "csrf", "message": r.json()["detail"][0]["message"]}
    ]
    assert _written() == (0, 0, 0)


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_session_write_without_token_is_refused_even_without_origin(browser, org_with_rep,
                                                                    path, body):  # fmt: skip
    r = browser.post(path, json.dumps(body), content_type="application/json")
    assert r.status_code == 403 and r.json()["detail"][0]["rule"] == "csrf"
    assert _written() == (0, 0, 0)


def _token(browser) -> str:
    """The CSRF token the API's docs page hands the signed-in user (as Swagger UI sends it)."""
    assert browser.get("/api/v1/docs").status_code == 200
    return browser.cookies["csrftoken"].value


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_session_write_with_the_token_from_this_site_works(browser, org_with_rep, path, body):
    token = _token(browser)
    r = browser.post(path, json.dumps(body), content_type="application/json",
                     headers={"X-CSRFToken": token, "Origin": "http://testserver"})  # fmt: skip
    assert r.status_code == 200, r.content
    assert _written() != (0, 0, 0)


def test_a_valid_token_does_not_make_a_foreign_origin_acceptable(browser, org_with_rep):
    token = _token(browser)
    path, body = WRITES[0]
    r = browser.post(path, json.dumps(body), content_type="application/json",
                     headers={"X-CSRFToken": token, "Origin": EVIL})  # fmt: skip
    assert r.status_code == 403 and r.json()["detail"][0]["rule"] == "csrf"
    assert _written() == (0, 0, 0)


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_bearer_token_calls_need_no_csrf_token(market_token, org_with_rep, path, body):
    c = Client(enforce_csrf_checks=True)
    r = c.post(path, json.dumps(body), content_type="application/json",
               headers={"Authorization": f"Bearer {market_token}", "Origin": EVIL})  # fmt: skip
    assert r.status_code == 200, r.content


@pytest.mark.parametrize(("path", "body"), WRITES)
def test_body_not_declared_json_is_refused_with_a_token_too(market_token, org_with_rep,
                                                            path, body):  # fmt: skip
    r = Client().post(path, json.dumps(body), content_type="text/plain",
                      headers={"Authorization": f"Bearer {market_token}"})  # fmt: skip
    assert r.status_code == 415
    (error,) = r.json()["detail"]
    assert (error["field"], error["rule"]) == ("Content-Type", "content_type.json")
    assert _written() == (0, 0, 0)


def test_reads_with_a_session_need_no_token(browser, org_with_rep):
    assert browser.get("/api/v1/records/batches").status_code == 200


def test_a_session_of_someone_not_staff_is_no_api_login(client, org_with_rep):
    from xinyong.accounts import services as accounts
    from xinyong.accounts.actors import SYSTEM
    from xinyong.accounts.choices import Role

    public = accounts.user_create(actor=SYSTEM, username="citizen", password="Xinyong-demo-2026",
                                  role=Role.PUBLIC)  # fmt: skip
    client.force_login(public)
    r = client.post("/api/v1/checks", {"subject": UNKNOWN, "matter": "government_procurement"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 401 and r.json()["detail"][0]["rule"] == "auth.token"
    assert _written() == (0, 0, 0)
