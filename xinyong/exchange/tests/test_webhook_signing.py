"""Webhook signatures checked by independent implementations: the ``standardwebhooks``
package for HMAC (``v1``), also across a secret's rotation, and ``cryptography`` for the
Ed25519 ``v1a`` signature against the key the API publishes."""

import base64
import concurrent.futures

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from xinyong.exchange.log import changes_append
from xinyong.exchange.webhooks import dispatch, send
from xinyong.exchange.webhooks.services import (
    SubscriptionIn,
    webhook_create,
    webhook_secret_rotate,
)


def _deliver(receiver):
    with transaction.atomic():
        changes_append("publicity", [("publish", 1, receiver.subject_id)], timezone.now())
    dispatch.dispatch_all()
    with send.http_client(1) as client, concurrent.futures.ThreadPoolExecutor(1) as pool:
        send.send_round(client=client, pool=pool)
    return receiver.received[-1]


pytestmark = pytest.mark.usefixtures("fake_feed")


@pytest.fixture
def subscribed(actors, huawei, receiver):
    def make(signing="hmac"):
        receiver.subject_id = huawei.pk
        return webhook_create(
            actor=actors["market_clerk"],
            data=SubscriptionIn(
                name="接收",
                url=receiver.url,
                kinds=["publicity"],
                codes=[huawei.uscc],
                signing=signing,
            ),
        )

    return make


def test_hmac_verified_by_standardwebhooks_also_after_rotation(subscribed, receiver, actors):
    sub, secret = subscribed()
    headers, body = _deliver(receiver)
    assert Webhook(secret).verify(body, headers)["type"] == "publicity.publish"
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + base64.b64encode(b"x" * 32).decode()).verify(body, headers)
    _sub, new = webhook_secret_rotate(actor=actors["market_clerk"], subscription_id=sub.pk)
    headers, body = _deliver(receiver)
    assert len(headers["webhook-signature"].split()) == 2  # both secrets sign in the grace
    Webhook(new).verify(body, headers)
    Webhook(secret).verify(body, headers)


def test_ed25519_verified_against_the_published_key(subscribed, receiver, client):
    subscribed(signing="ed25519")
    headers, body = _deliver(receiver)
    key = client.get("/api/v1/webhooks/keys").json()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    v1a = [s for s in headers["webhook-signature"].split() if s.startswith("v1a,")]
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    public.verify(base64.b64decode(v1a[0].removeprefix("v1a,")), signed)  # raises if wrong
    assert key["whpk"] == "whpk_" + key["public_key"]
