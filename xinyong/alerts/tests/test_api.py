"""The API a department's business system pulls its alerts through (scope ``alerts``):
list, read (with the evidence), acknowledge, close — a bad close is refused naming the
field, nothing written; another department's system never sees the alert; a token
without the scope is refused."""

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.choices import ApiScope

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts"


def _token(department, scopes):
    _client, token = accounts.api_client_issue(actor=SYSTEM, name=f"{department.code}系统",
                                               department=department, scopes=scopes)  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def test_a_business_system_pulls_acknowledges_and_closes_its_alerts(client, departments, alert):
    h = _token(departments["market"], [ApiScope.ALERTS])
    (row,) = client.get(URL, {"status": "open"}, headers=h).json()
    assert row["number"] == alert.number and row["rule"] == "related_person_listed"
    assert row["evidence"][0]["kind"] == "entry" and "张三" in row["evidence"][0]["label"]
    assert "关联人失信" in row["explanation"] and row["department"] == "SCJG"
    r = client.post(f"{URL}/{alert.pk}/acknowledge", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    r = client.post(f"{URL}/{alert.pk}/close", {"outcome": "maybe", "note": ""},
                    content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["detail"]}
    assert fields == {"outcome", "note"}
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    r = client.post(f"{URL}/{alert.pk}/close", {"outcome": "confirmed", "note": "已约谈"},
                    content_type="application/json", headers=h)  # fmt: skip
    assert r.status_code == 200 and r.json()["outcome"] == "confirmed"
    assert client.get(f"{URL}/{alert.pk}", headers=h).json()["status"] == "closed"


def test_another_department_and_a_token_without_the_scope_see_nothing(client, departments,
                                                                      alert):  # fmt: skip
    other = _token(departments["tax"], [ApiScope.ALERTS])
    assert client.get(URL, headers=other).json() == []
    assert client.get(f"{URL}/{alert.pk}", headers=other).status_code == 404
    r = client.post(f"{URL}/{alert.pk}/close", {"outcome": "confirmed", "note": "x"},
                    content_type="application/json", headers=other)  # fmt: skip
    assert r.status_code == 404
    unscoped = _token(departments["market"], [ApiScope.RECORDS_WRITE])
    assert client.get(URL, headers=unscoped).status_code == 403
    assert client.get(URL).status_code == 401
    alert.refresh_from_db()
    assert alert.status == "open"
