"""Subscriptions over the API: registered with the secret shown once; bad ones refused
with the field and the rule, and nothing written."""

import json

import pytest

from xinyong.accounts import services as accounts
from xinyong.accounts.actors import SYSTEM
from xinyong.conftest import HUAWEI, RID
from xinyong.exchange.models import WebhookKind, WebhookSubject, WebhookSubscription

GOOD = {
    "name": "市场监管业务系统",
    "url": "https://scjg.example.gov.cn/hook",
    "kinds": ["publicity", "lists.remove"],
    "subjects": [HUAWEI],
}


def _post(client, token, body, path="/api/v1/webhooks"):
    return client.post(
        path, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
    )


@pytest.fixture
def person(actors, departments):
    """张三, whose registration the tax office keeps (it serves him)."""
    from xinyong.subjects.models import Subject
    from xinyong.subjects.services import person_register

    p = person_register(
        actor=actors["tax_clerk"], id_type="resident_id", id_number=RID, name="张三"
    )
    Subject.objects.filter(pk=p.pk).update(source_department=departments["tax"])
    return p


def test_register_list_show_rotate(client, market_token, huawei):
    made = _post(client, market_token, GOOD)
    assert made.status_code == 201, made.content
    sub = made.json()
    assert sub["secret"].startswith("whsec_") and sub["subjects_watched"] == 1
    assert sorted(sub["kinds"]) == ["lists.remove", "publicity"]
    auth = {"Authorization": f"Bearer {market_token}"}
    listed = client.get("/api/v1/webhooks", headers=auth).json()
    assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
    shown = client.get(f"/api/v1/webhooks/{sub['id']}", headers=auth).json()
    assert "secret" not in shown and shown["status"] == "active"
    changed = _post(client, market_token, GOOD | {"kinds": ["lists"], "signing": "ed25519"},
                    f"/api/v1/webhooks/{sub['id']}")  # fmt: skip
    assert (changed.json()["kinds"], changed.json()["signing"]) == (["lists"], "ed25519")
    rotated = _post(client, market_token, {}, f"/api/v1/webhooks/{sub['id']}/rotate-secret")
    assert rotated.json()["secret"] != sub["secret"] and rotated.json()["previous_secret_until"]
    assert WebhookSubscription.objects.get().secret_encrypted.find("whsec_") == -1  # encrypted


REFUSED = [
    ({"kinds": ["publicity", "weather"]}, "kinds.1", "kind.unknown"),
    ({"kinds": ["lists.exploded"]}, "kinds.0", "kind.unknown"),
    ({"url": "http://scjg.example.gov.cn/hook"}, "url", "url.https"),
    ({"url": "https://10.0.0.8/hook"}, "url", "url.private"),
    ({"url": "https://localhost/hook"}, "url", "url.private"),
    ({"url": "https://evil.example.com/hook"}, "url", "url.not_allowed"),
    ({"url": "https://user:pw@scjg.example.gov.cn/hook"}, "url", "url.credentials"),
    ({"subjects": [HUAWEI, "91110000802100433B"]}, "subjects.1", "subject.unknown"),
    ({"subjects": [RID]}, "subjects.0", "subject.not_watchable"),  # 张三: the tax office's
    ({"subjects": []}, "subjects", "subjects.required"),
    ({"watch": "region", "prefix": "91"}, "prefix", "watch.prefix"),
]


@pytest.mark.parametrize(("change", "field", "rule"), REFUSED)
def test_bad_subscriptions_refused_with_field_and_rule(
    client, market_token, huawei, person, change, field, rule
):
    resp = _post(client, market_token, GOOD | change)
    assert resp.status_code == 422, resp.content
    assert (field, rule) in {(e["field"], e["rule"]) for e in resp.json()["detail"]}
    assert not WebhookSubscription.objects.exists()
    assert not WebhookKind.objects.exists() and not WebhookSubject.objects.exists()


def test_a_kind_outside_the_tokens_scopes_is_refused(client, departments, huawei):
    _c, token = accounts.api_client_issue(
        actor=SYSTEM,
        name="税务业务系统",
        department=departments["tax"],
        scopes=["webhooks", "publicity:read"],
    )
    resp = _post(client, token, GOOD | {"kinds": ["publicity", "evaluations"]})
    assert resp.status_code == 422
    assert resp.json()["detail"][0] | {"message": ""} == {
        "field": "kinds.1",
        "rule": "kind.scope",
        "message": "",
    }
    _c, no_webhooks = accounts.api_client_issue(
        actor=SYSTEM, name="只读", scopes=["checks"], department=departments["tax"]
    )
    assert _post(client, no_webhooks, GOOD).status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_persons_only_those_the_department_serves_with_the_scope(client, departments, person):
    _c, tax = accounts.api_client_issue(
        actor=SYSTEM,
        name="税务业务系统",
        scopes=["webhooks", "publicity:read", "persons:read"],
        department=departments["tax"],
    )
    _c, tax_no_persons = accounts.api_client_issue(
        actor=SYSTEM,
        name="税务二",
        scopes=["webhooks", "publicity:read"],
        department=departments["tax"],
    )
    body = GOOD | {"subjects": [RID], "kinds": ["publicity"]}
    refused = _post(client, tax_no_persons, body)
    assert refused.json()["detail"][0]["rule"] == "subject.not_watchable"
    assert RID not in refused.content.decode()  # the number is not echoed
    assert _post(client, tax, body).status_code == 201
    saved = _post(client, tax_no_persons, GOOD | {"watch": "registered", "subjects": []})
    assert saved.json()["subjects_watched"] == 0  # the person it registered is left out


def test_a_published_penalty_reaches_the_subscriber_as_the_feed_publishes_it(
    client, market_token, huawei, receiver
):
    """End to end: subscribe, a penalty is published by the sweep, the worker's pump sends
    the feed's entry (its public fields) to the receiver."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.disclosure.sweep import publication_sweep
    from xinyong.exchange.webhooks.tasks import pump
    from xinyong.ingest.tests.conftest import penalty, push

    body = GOOD | {"url": receiver.url, "kinds": ["publicity.publish"]}
    assert _post(client, market_token, body).status_code == 201
    assert push(client, market_token, "administrative_penalty", [penalty(1)]).status_code == 200
    publication_sweep(actor=SYSTEM)
    assert pump(seconds=30)[1:] == (1, 1)
    ((headers, raw),) = receiver.received
    data = json.loads(raw)["data"]
    assert (data["action"], data["source_id"]) == ("publish", "信市监罚〔2026〕1号")
    assert data["fields"]["CF_WSH"] == "信市监罚〔2026〕1号"
    log = client.get(f"/api/v1/webhooks/{WebhookSubscription.objects.get().pk}/deliveries",
                     headers={"Authorization": f"Bearer {market_token}"}).json()  # fmt: skip
    assert [(d["webhook_id"], d["status"], d["attempts"], d["last_status_code"]) for d in log] == [
        (headers["webhook-id"], "succeeded", 1, 200)]  # fmt: skip


def test_back_office_pages_name_things(client, users, actors, huawei):
    """The list and a subscription's page: kinds, status and scope by name, never codes."""
    from xinyong.core.tests.visible import assert_no_codes
    from xinyong.exchange.webhooks.services import SubscriptionIn, webhook_create, webhook_ping

    sub, _secret = webhook_create(actor=actors["market_clerk"], data=SubscriptionIn(
        name="市场监管业务系统", url="https://scjg.example.gov.cn/hook",
        kinds=["publicity", "lists.remove"], codes=[HUAWEI]))  # fmt: skip
    webhook_ping(actor=actors["market_clerk"], subscription_id=sub.pk)
    client.force_login(users["market_clerk"])
    listed = client.get("/backoffice/webhooks/").content.decode()
    assert_no_codes(listed, names=["双公示", "信用名单", "启用", "市市场监督管理局"], where="list")
    page = client.get(f"/backoffice/webhooks/{sub.pk}/").content.decode()
    assert_no_codes(page, names=["指定代码", "测试消息", "待投递", "HMAC-SHA256"], where="detail")
