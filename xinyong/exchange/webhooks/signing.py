"""Signatures of webhook messages, by the Standard Webhooks scheme: ``webhook-id``,
``webhook-timestamp`` (Unix seconds) and ``webhook-signature``, a space-separated list of
``v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`` — one per secret in force (after a
rotation the previous secret signs too until its grace ends) — and, for subscriptions that
chose it, ``v1a,<base64 Ed25519 signature>`` under the platform's key, whose public key is
published (the API's ``/webhooks/keys`` and the back office), so that a receiver can verify
without holding a secret. Secrets are ``whsec_`` + base64 of 32 random bytes, stored
encrypted (``core.crypto``)."""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from xinyong.audit.keys import configured_signing_key, key_id, public_key_bytes
from xinyong.core import crypto

PREFIX = "whsec_"


def secret_new() -> str:
    return PREFIX + base64.b64encode(os.urandom(32)).decode()


def secret_seal(secret: str) -> str:
    return crypto.encrypt(secret)


def secret_open(sealed: str) -> str:
    return crypto.decrypt(sealed)


def _key_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signed_content(msg_id: str, timestamp: int, body: bytes) -> bytes:
    return f"{msg_id}.{timestamp}.".encode() + body


def hmac_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.digest(_key_bytes(secret), signed_content(msg_id, timestamp, body), hashlib.sha256)
    return "v1," + base64.b64encode(mac).decode()


@functools.cache
def platform_key() -> Ed25519PrivateKey:
    """The platform's Ed25519 key (``XINYONG_WEBHOOK_SIGNING_KEY``; derived from SECRET_KEY
    outside production, refused missing in production — as the audit's own key)."""
    return configured_signing_key("XINYONG_WEBHOOK_SIGNING_KEY", "xinyong-webhook-signing")


def ed25519_signature(msg_id: str, timestamp: int, body: bytes) -> str:
    sig = platform_key().sign(signed_content(msg_id, timestamp, body))
    return "v1a," + base64.b64encode(sig).decode()


def public_key() -> dict:
    """The published key: raw 32 bytes in base64, also as Standard Webhooks' ``whpk_``."""
    raw = public_key_bytes(platform_key())
    b64 = base64.b64encode(raw).decode()
    return {"algorithm": "ed25519", "key_id": key_id(raw), "public_key": b64, "whpk": "whpk_" + b64}


def headers(
    *, msg_id: str, timestamp: int, body: bytes, secrets: list[str], ed25519: bool
) -> dict[str, str]:
    """The three headers of one attempt (``secrets``: newest first)."""
    sigs = [hmac_signature(s, msg_id, timestamp, body) for s in secrets]
    if ed25519:
        sigs.append(ed25519_signature(msg_id, timestamp, body))
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sigs),
        "content-type": "application/json",
    }
