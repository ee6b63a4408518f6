"""The platform's signature on reports: Ed25519 over the canonical JSON of the report's
twin (sorted keys, no whitespace, UTF-8), which carries the PDF's SHA-256 — so one
signature covers both files, and anyone holding the published public key verifies them
offline (scripts/verify_report.py, a file with no dependency on this project).

The key is ``XINYONG_REPORT_SIGNING_KEY`` (a url-safe base64 Ed25519 seed, as
``xinyong audit new-signing-key`` prints); outside production it is derived from
SECRET_KEY. Rotating it is changing the setting: every key that ever signed is remembered
(:class:`SigningKey`) and published, so earlier reports stay verifiable."""

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xinyong.audit.keys import configured_signing_key, key_id, public_key_bytes

ALG = "Ed25519"


def canonical(obj) -> bytes:
    """The bytes a signature covers (the same rule in scripts/verify_report.py)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    return configured_signing_key("XINYONG_REPORT_SIGNING_KEY", "xinyong-report-signing")


def current_public() -> tuple[str, str]:
    """(key id, base64url public key) of the key signing now."""
    public = public_key_bytes(signing_key())
    return key_id(public), b64(public)


def sign(doc: dict) -> tuple[str, str, str]:
    """(content sha256, key id, signature) of a report twin."""
    data = canonical(doc)
    key = signing_key()
    return sha256_hex(data), key_id(public_key_bytes(key)), b64(key.sign(data))


def verify(doc: dict, signature: str, public_key: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(public_key)).verify(
            unb64(signature), canonical(doc)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
