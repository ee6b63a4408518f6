"""The audit trail's two keys: the HMAC key of the chain and the Ed25519 key that signs its
checkpoints. Outside production both are derived from SECRET_KEY so that a laptop runs
without setup; in production each must be set on its own, and using them without it is
refused rather than silently falling back (whoever knows SECRET_KEY — every web process —
could otherwise re-chain an edited trail and sign the result)."""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def production() -> bool:
    return getattr(settings, "XINYONG_ENV", "") == "production"


def hmac_key() -> bytes:
    key = getattr(settings, "XINYONG_AUDIT_KEY", "")
    if key:
        return key.encode()
    if production():
        raise ImproperlyConfigured("XINYONG_AUDIT_KEY must be set in production")
    return f"xinyong-audit:{settings.SECRET_KEY}".encode()


def _b64decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_signing_key(text: str) -> Ed25519PrivateKey:
    """A url-safe base64 32-byte Ed25519 seed; ValueError when it is not one."""
    try:
        raw = _b64decode(text)
    except (ValueError, TypeError) as e:
        raise ValueError("not url-safe base64") from e
    if len(raw) != 32:
        raise ValueError(f"{len(raw)} bytes, expected 32")
    return Ed25519PrivateKey.from_private_bytes(raw)


def configured_signing_key(setting: str, label: str) -> Ed25519PrivateKey:
    """The Ed25519 key of ``setting``; outside production, without it, one derived from
    SECRET_KEY under ``label`` (each use its own); in production its absence is refused.
    The audit checkpoints and the credit reports each have theirs."""
    text = getattr(settings, setting, "")
    if text:
        try:
            return parse_signing_key(text)
        except ValueError as e:
            raise ImproperlyConfigured(f"{setting} is invalid: {e}") from None
    if production():
        raise ImproperlyConfigured(f"{setting} must be set in production")
    seed = hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    return configured_signing_key("XINYONG_AUDIT_SIGNING_KEY", "xinyong-audit-signing")


def public_key_bytes(key: Ed25519PrivateKey | None = None) -> bytes:
    return (key or signing_key()).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_b64(key: Ed25519PrivateKey | None = None) -> str:
    return base64.urlsafe_b64encode(public_key_bytes(key)).decode()


def verify_keys() -> list[bytes]:
    """Public keys whose checkpoints are trusted: the signing key's, and those of earlier
    signing keys (``XINYONG_AUDIT_PREVIOUS_PUBLIC_KEYS``, after a rotation)."""
    previous = [_b64decode(k) for k in settings.XINYONG_AUDIT_PREVIOUS_PUBLIC_KEYS if k.strip()]
    return [public_key_bytes(), *(k for k in previous if len(k) == 32)]


def key_id(public: bytes) -> str:
    """A short name of a public key, written in each checkpoint."""
    return hashlib.sha256(public).hexdigest()[:16]


def new_signing_key() -> str:
    return base64.urlsafe_b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()
