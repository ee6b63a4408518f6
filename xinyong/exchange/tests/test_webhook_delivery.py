"""Webhook delivery on the worker: the fan-out of changes to the subscriptions watching
their subjects, retries with backoff against a local receiver that fails then succeeds,
a subscription stopped after repeated failures (its department told), and replay."""

import concurrent.futures
import datetime
import json

import pytest
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone

from xinyong.exchange.log import changes_append
from xinyong.exchange.models import WebhookDelivery, WebhookSubscription
from xinyong.exchange.webhooks import dispatch, send
from xinyong.exchange.webhooks.services import (
    SubscriptionIn,
    webhook_create,
    webhook_disable,
    webhook_enable,
    webhook_replay,
)

pytestmark = pytest.mark.usefixtures("fake_feed")


def _change(feed, action, subject_id, object_id=1, at=None):
    with transaction.atomic():
        changes_append(feed, [(action, object_id, subject_id)], at or timezone.now())


def _subscribe(actor, url, kinds=("publicity",), codes=("914403001922038216",)):
    sub, secret = webhook_create(
        actor=actor,
        data=SubscriptionIn(name="市场监管业务系统", url=url, kinds=list(kinds), codes=list(codes)),
    )
    return sub, secret


def _send(now=None):
    with send.http_client(2) as client, concurrent.futures.ThreadPoolExecutor(2) as pool:
        return send.send_round(client=client, pool=pool, now=now)


def test_fan_out_follows_subjects_and_kinds(actors, huawei, receiver):
    from xinyong.subjects.services import organization_register

    other = organization_register(
        actor=actors["tax_clerk"],
        uscc="91110000802100433B",
        name="百度在线网络技术（北京）有限公司",
    )
    _subscribe(actors["market_clerk"], receiver.url, kinds=("publicity", "lists.remove"))
    _change("publicity", "publish", huawei.pk, 11)
    _change("publicity", "publish", other.pk, 12)  # not watched
    _change("lists", "publish", huawei.pk, 13)  # not this action
    _change("lists", "remove", huawei.pk, 14)
    _change("repairs", "approve", huawei.pk, 15)  # not this kind
    assert dispatch.dispatch_all() == (5, 2)
    assert dispatch.dispatch_all() == (0, 0)  # the cursor moved: nothing twice
    assert len(_send()) == 2
    bodies = [json.loads(b) for _h, b in receiver.received]
    assert sorted((b["type"], b["data"]["id"]) for b in bodies) == [
        ("lists.remove", 14),
        ("publicity.publish", 11),
    ]
    assert {b["data"]["uscc"] for b in bodies} == {huawei.uscc}
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_retries_back_off_then_succeed(actors, huawei, receiver):
    receiver.plan = [500, 503]
    _subscribe(actors["market_clerk"], receiver.url)
    _change("publicity", "publish", huawei.pk)
    dispatch.dispatch_all()
    waits = []
    now = timezone.now()
    for _attempt in range(3):
        _send(now=now)
        d = WebhookDelivery.objects.get()
        if d.next_attempt_at:
            waits.append((d.next_attempt_at - d.last_attempt_at).total_seconds())
            now = d.next_attempt_at
            assert _send(now=now - datetime.timedelta(seconds=1)) == []  # not due yet
    assert 4 <= waits[0] <= 6 and 8 <= waits[1] <= 12  # 5 s, 10 s, ±20 %
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_status_code, d.last_error) == ("succeeded", 3, 200, "")
    assert d.last_latency_ms is not None
    assert len({h["webhook-id"] for h, _b in receiver.received}) == 1  # the same message
    assert WebhookSubscription.objects.get().failures == 0


def test_repeated_failures_stop_the_subscription_and_tell_its_department(
    actors, huawei, receiver, settings, client, users, django_capture_on_commit_callbacks
):
    settings.XINYONG_WEBHOOK_DISABLE_AFTER_FAILURES = 2
    settings.XINYONG_WEBHOOK_DISABLE_AFTER_HOURS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users["market_reviewer"].email = "reviewer@scjg.example.cn"
    users["market_reviewer"].save()
    users["tax_clerk"].email = "clerk@sw.example.cn"
    users["tax_clerk"].save()
    receiver.plan = [500] * 10
    sub, _ = _subscribe(actors["market_clerk"], receiver.url)
    _change("publicity", "publish", huawei.pk)
    dispatch.dispatch_all()
    _send()
    assert WebhookSubscription.objects.get().status == "active"  # one failure
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        _send(now=timezone.now() + datetime.timedelta(minutes=1))
    sub.refresh_from_db()
    assert sub.status == "failing" and "连续 2 次投递失败" in sub.status_reason
    # an e-mail to the department's staff with an address, never to another department
    (mail,) = django_mail.outbox
    assert mail.to == ["reviewer@scjg.example.cn"] and "变动订阅已停用" in mail.subject
    assert sub.name in mail.body and "连续 2 次投递失败" in mail.body
    assert _send(now=timezone.now() + datetime.timedelta(hours=1)) == []  # nothing sent now
    client.force_login(users["market_clerk"])
    page = client.get("/backoffice/").content.decode()
    assert "变动订阅已停用" in page and sub.name in page
    client.force_login(users["tax_clerk"])
    assert sub.name not in client.get("/backoffice/").content.decode()


def test_replay_from_a_point_in_time(actors, huawei, receiver):
    sub, _ = _subscribe(actors["market_clerk"], receiver.url)
    t0 = timezone.now()
    _change("publicity", "publish", huawei.pk, 1, at=t0 - datetime.timedelta(hours=2))
    _change("publicity", "unpublish", huawei.pk, 2, at=t0 - datetime.timedelta(minutes=5))
    dispatch.dispatch_all()
    _send()
    assert len(receiver.received) == 2
    n = webhook_replay(
        actor=actors["market_clerk"], subscription_id=sub.pk, since=t0 - datetime.timedelta(hours=1)
    )
    assert n == 1
    _send()
    again = receiver.received[2:]
    assert [json.loads(b)["type"] for _h, b in again] == ["publicity.unpublish"]
    first = {json.loads(b)["type"]: h["webhook-id"] for h, b in receiver.received[:2]}
    assert again[0][0]["webhook-id"] == first["publicity.unpublish"]  # the same message again


def test_a_name_that_resolves_inward_is_not_connected_to(actors, huawei, settings, monkeypatch):
    """Allowed when registered (an allowed host name), refused when sending: the name now
    resolves to a private address (DNS rebinding) — no connection, the log says why."""
    import socket

    from xinyong.exchange.webhooks import targets

    _subscribe(actors["market_clerk"], "https://hook.example.gov.cn/x")
    _change("publicity", "publish", huawei.pk)
    dispatch.dispatch_all()
    inward = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
    monkeypatch.setattr(targets.socket, "getaddrinfo", lambda *a, **k: inward)
    (outcome,) = _send()
    assert (outcome.ok, outcome.status_code, outcome.error) == (False, None, "address not allowed")
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_error) == ("pending", 1, "address not allowed")


def test_a_name_rebound_inward_between_the_check_and_the_connection_is_not_reached(
    actors, huawei, settings, monkeypatch, receiver
):
    """DNS rebinding: the name answers a public address when the sender checks it and the
    loopback address (where a receiver listens) right after. The sender connects to the
    address it checked when connecting, never to a second answer: no connection reaches
    the loopback receiver, and the log says why."""
    import socket

    from xinyong.exchange.webhooks import targets

    settings.XINYONG_WEBHOOK_ALLOWED_NETWORKS = []  # the operator allows no local network
    port = receiver.server.server_port
    _subscribe(actors["market_clerk"], f"https://hook.example.gov.cn:{port}/x")
    _change("publicity", "publish", huawei.pk)
    dispatch.dispatch_all()
    answers = []
    real = socket.getaddrinfo

    def rebinding(host, *a, **k):
        if host != "hook.example.gov.cn":
            return real(host, *a, **k)
        address = "93.184.216.34" if not answers else "127.0.0.1"  # public first, then inward
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(targets.socket, "getaddrinfo", rebinding)
    (outcome,) = _send()
    assert answers[0] == "93.184.216.34" and "127.0.0.1" in answers  # checked, then rebound
    assert (outcome.ok, outcome.status_code, outcome.error) == (False, None, "address not allowed")
    assert receiver.connections == 0 and receiver.received == []
    d = WebhookDelivery.objects.get()
    assert (d.status, d.attempts, d.last_error) == ("pending", 1, "address not allowed")


def test_the_sender_connects_to_the_address_it_checked_with_the_name_as_host(
    actors, huawei, settings, monkeypatch, receiver
):
    """The pinned connection still speaks to the name: the request's Host is the URL's
    host (and TLS would verify that name), only the TCP connection goes to the address
    checked — here an allowed local network, as an operator may allow."""
    import socket

    from xinyong.exchange.webhooks import targets

    port = receiver.server.server_port
    settings.XINYONG_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    # Plain http to a name (the local receiver speaks no TLS); the policy alone wants https.
    monkeypatch.setattr(targets, "_plain_allowed", lambda host: host == "hook.example.gov.cn")
    _subscribe(actors["market_clerk"], f"http://hook.example.gov.cn:{port}/x")
    _change("publicity", "publish", huawei.pk)
    dispatch.dispatch_all()
    real = socket.getaddrinfo
    loopback = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
    monkeypatch.setattr(
        targets.socket, "getaddrinfo",
        lambda host, *a, **k: loopback if host == "hook.example.gov.cn" else real(host, *a, **k),
    )  # fmt: skip
    (outcome,) = _send()
    assert outcome.ok, outcome.error
    ((headers, _body),) = receiver.received
    assert headers["host"] == f"hook.example.gov.cn:{port}"


@pytest.mark.django_db
def test_a_replay_sends_what_came_while_the_subscription_was_stopped(actors, huawei, receiver):
    clerk = actors["market_clerk"]
    sub, _ = _subscribe(clerk, receiver.url)
    t0 = timezone.now()
    webhook_disable(actor=clerk, subscription_id=sub.pk, reason="接收端维护")
    _change("publicity", "publish", huawei.pk, 1, at=t0)
    dispatch.dispatch_all()  # the dispatcher passes it: nobody active wants it
    _send()
    assert receiver.received == [] and not WebhookDelivery.objects.exists()
    webhook_enable(actor=clerk, subscription_id=sub.pk)
    assert webhook_replay(actor=clerk, subscription_id=sub.pk, since=t0) == 1
    _send()
    assert [json.loads(b)["type"] for _h, b in receiver.received] == ["publicity.publish"]
    # A second replay sends the same message again, not a new one.
    assert webhook_replay(actor=clerk, subscription_id=sub.pk, since=t0) == 1
    _send()
    ids = [h["webhook-id"] for h, _b in receiver.received]
    assert len(ids) == 2 and ids[0] == ids[1]
