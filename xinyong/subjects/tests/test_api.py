"""The subjects API as an integrating engineer meets it: auth, scopes, clear 4xx bodies."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from xinyong.accounts.actors import SYSTEM
from xinyong.accounts.services import api_client_issue, api_client_revoke
from xinyong.audit.models import AuditEvent
from xinyong.subjects.models import Subject

HUAWEI = "914403001922038216"


def _client(token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(headers=headers)


def _post(c: Client, url: str, body, **extra):
    return c.post(url, data=json.dumps(body), content_type="application/json", **extra)


def _detail(resp) -> list[dict]:
    return resp.json()["detail"]


def test_register_then_read_and_search(market_token):
    c = _client(market_token)
    r = _post(
        c,
        "/api/v1/subjects",
        {"uscc": HUAWEI.lower(), "name": "华为技术有限公司", "legal_form": "有限责任公司"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["uscc"] == HUAWEI and r.json()["kind_label"] == "法人和非法人组织"
    got = c.get(f"/api/v1/subjects/{HUAWEI}")
    assert got.status_code == 200 and got.json()["name"] == "华为技术有限公司"
    found = c.get("/api/v1/subjects", {"q": "华为"})
    assert [s["uscc"] for s in found.json()["results"]] == [HUAWEI]
    assert c.get("/api/v1/subjects/914403001922038217").status_code == 404
    # A search text meant as a code that is none: the rule it breaks, not an empty page.
    bad = c.get("/api/v1/subjects", {"q": "914403001922038217"})
    assert bad.status_code == 422
    assert [(d["field"], d["rule"]) for d in _detail(bad)] == [("q", "uscc.check_character")]


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"uscc": "914403001922038217", "name": "甲"}, "uscc", "uscc.check_character"),
        ({"uscc": "9I4403001922038216", "name": "甲"}, "uscc", "uscc.charset"),
        ({"uscc": HUAWEI, "name": "甲" * 201}, "name", "string_too_long"),
        ({"uscc": HUAWEI, "name": "甲", "capital": 5}, "capital", "extra_forbidden"),
        ({"uscc": HUAWEI}, "name", "missing"),
        (
            {"uscc": HUAWEI, "name": "甲", "established_on": "2024-02-30"},
            "established_on",
            "date_from_datetime_parsing",
        ),
    ],
)
def test_malformed_input_gets_422_naming_field_and_rule(market_token, body, field, rule):
    before = (Subject.objects.count(), AuditEvent.objects.count())
    r = _post(_client(market_token), "/api/v1/subjects", body)
    assert r.status_code == 422, r.content
    first = _detail(r)[0]
    assert first["field"] == field
    assert first["rule"].startswith(rule.split("_from")[0])
    assert first["message"]
    assert (Subject.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_is_409(market_token):
    c = _client(market_token)
    assert (
        _post(c, "/api/v1/subjects", {"uscc": HUAWEI, "name": "华为技术有限公司"}).status_code
        == 201
    )
    r = _post(c, "/api/v1/subjects", {"uscc": HUAWEI, "name": "华为"})
    assert r.status_code == 409
    assert _detail(r)[0] | {"message": ""} == {
        "field": "uscc",
        "rule": "subject.uscc_unique",
        "message": "",
    }


def test_not_json_is_a_clear_error(market_token):
    r = _client(market_token).post(
        "/api/v1/subjects", data="{not json", content_type="application/json"
    )
    assert r.status_code in (400, 422)
    assert Subject.objects.count() == 0


def test_tokens_missing_tampered_expired_revoked_are_401(departments, market_token):
    assert _client(None).get("/api/v1/subjects", {"q": "华为"}).status_code == 401
    tampered = market_token[:-2] + ("AA" if not market_token.endswith("AA") else "BB")
    r = _client(tampered).get("/api/v1/subjects", {"q": "华为"})
    assert r.status_code == 401 and _detail(r)[0]["field"] == "Authorization"
    _, expired = api_client_issue(
        actor=SYSTEM,
        name="过期系统",
        department=departments["tax"],
        scopes=["subjects:read"],
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert _client(expired).get("/api/v1/subjects", {"q": "华为"}).status_code == 401
    client, revoked = api_client_issue(
        actor=SYSTEM, name="停用系统", department=departments["tax"], scopes=["subjects:read"]
    )
    assert _client(revoked).get("/api/v1/subjects", {"q": "华为"}).status_code == 200
    api_client_revoke(actor=SYSTEM, client=client)
    assert _client(revoked).get("/api/v1/subjects", {"q": "华为"}).status_code == 401


def test_last_use_is_recorded(departments):
    from xinyong.accounts.models import ApiClient

    client, token = api_client_issue(
        actor=SYSTEM, name="记录系统", department=departments["tax"], scopes=["subjects:read"]
    )
    assert client.last_used_at is None
    _client(token).get("/api/v1/subjects", {"q": "华为"})
    assert ApiClient.objects.get(pk=client.pk).last_used_at is not None


def test_missing_scope_is_403(departments):
    _, token = api_client_issue(
        actor=SYSTEM, name="只读系统", department=departments["tax"], scopes=["subjects:read"]
    )
    r = _post(_client(token), "/api/v1/subjects", {"uscc": HUAWEI, "name": "华为技术有限公司"})
    assert r.status_code == 403 and "subjects:write" in _detail(r)[0]["message"]
    assert Subject.objects.count() == 0


def test_related_persons_are_masked_and_scoped(departments, market_token):
    c = _client(market_token)
    _post(c, "/api/v1/subjects", {"uscc": HUAWEI, "name": "华为技术有限公司"})
    body = {
        "role": "legal_representative",
        "id_number": "11010519491231002X",
        "name": "张三",
        "valid_from": "2020-01-01",
    }
    r = _post(c, f"/api/v1/subjects/{HUAWEI}/related-persons", body)
    assert r.status_code == 201 and r.json()["id_masked"] == "110105********002X"
    listed = c.get(f"/api/v1/subjects/{HUAWEI}/related-persons")
    assert listed.status_code == 200
    assert "11010519491231002X" not in listed.content.decode()
    assert [p["name"] for p in listed.json()] == ["张三"]
    _, tax = api_client_issue(
        actor=SYSTEM, name="税务系统", department=departments["tax"], scopes=["persons:read"]
    )
    assert _client(tax).get(f"/api/v1/subjects/{HUAWEI}/related-persons").json() == []
    bad = _post(
        c, f"/api/v1/subjects/{HUAWEI}/related-persons", body | {"id_number": "110105194912310021"}
    )
    assert bad.status_code == 422 and _detail(bad)[0]["rule"] == "resident_id.check_digit"


def test_search_validation_errors(market_token):
    r = _client(market_token).get("/api/v1/subjects", {"q": "华"})
    assert r.status_code == 422 and _detail(r)[0] == {
        "field": "q",
        "rule": "search.min_length",
        "message": _detail(r)[0]["message"],
    }


def test_request_id_is_echoed_and_recorded(market_token):
    r = _post(
        _client(market_token),
        "/api/v1/subjects",
        {"uscc": HUAWEI, "name": "华为技术有限公司"},
        headers={"X-Request-ID": "req-2026-abcdef"},
    )
    assert r.headers["X-Request-ID"] == "req-2026-abcdef"
    ev = AuditEvent.objects.get(action="subject.create")
    assert (ev.request_id, ev.channel, ev.actor_kind) == ("req-2026-abcdef", "api", "client")


def test_oversized_body_is_refused(market_token, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    r = _post(
        _client(market_token),
        "/api/v1/subjects",
        {"uscc": HUAWEI, "name": "甲", "address": "乙" * 2000},
    )
    assert r.status_code in (400, 413, 422)
    assert Subject.objects.count() == 0


def test_docs_are_served_locally(db):
    html = Client().get("/api/v1/docs").content.decode()
    assert "swagger-ui" in html
    assert not re.search(r"(src|href)=\"https?://", html)
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/subjects" in schema["paths"]


def test_only_the_registrar_or_the_credit_office_changes_a_subject(departments, market_token):
    """The fault: the tax office's token renamed a company the market regulator registered
    and gave it a legal representative. A department changes only subjects it registered;
    the credit office any; a refusal writes nothing."""
    c = _client(market_token)
    assert (
        _post(c, "/api/v1/subjects", {"uscc": HUAWEI, "name": "华为技术有限公司"}).status_code
        == 201
    )
    _, tax = api_client_issue(
        actor=SYSTEM, name="税务系统", department=departments["tax"],
        scopes=["subjects:write", "persons:read"],
    )  # fmt: skip
    events = AuditEvent.objects.count()
    rename = {"new_name": "华为终端有限公司", "effective_on": "2024-01-01"}
    r = _post(_client(tax), f"/api/v1/subjects/{HUAWEI}/rename", rename)
    assert r.status_code == 403 and _detail(r)[0]["rule"] == "permission"
    person = {"role": "legal_representative", "id_number": "11010519491231002X",
              "name": "李四", "valid_from": "2020-01-01"}  # fmt: skip
    r = _post(_client(tax), f"/api/v1/subjects/{HUAWEI}/related-persons", person)
    assert r.status_code == 403 and _detail(r)[0]["rule"] == "permission"
    subject = Subject.objects.get(uscc=HUAWEI)
    assert subject.name == "华为技术有限公司" and not subject.name_history.exists()
    assert not Subject.objects.filter(kind="person").exists()
    assert AuditEvent.objects.count() == events
    # The registrar may; so may the credit office (its operator, through the session).
    assert _post(c, f"/api/v1/subjects/{HUAWEI}/rename", rename).status_code == 200
    from xinyong.accounts.choices import Role
    from xinyong.accounts.services import user_create

    op = user_create(actor=SYSTEM, username="xyb_op", password="Xinyong-demo-2026",
                     role=Role.PLATFORM_OPERATOR, department=departments["credit"])  # fmt: skip
    office = Client()
    office.force_login(op)
    r = _post(office, f"/api/v1/subjects/{HUAWEI}/related-persons", person)
    assert r.status_code == 201, r.content
