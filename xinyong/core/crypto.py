"""Keyed hashing and encryption of person identifiers.

A resident ID is never stored in clear: ``identifier_hash`` (HMAC-SHA256 under a secret key)
finds a person without revealing the number, ``encrypt`` (AES-256-GCM, the cryptography
library's AEAD; a cipher object per key is reused, which makes it ~10x cheaper than Fernet on
bulk loads) keeps a copy that only authorised, audited reads can turn back into the number,
``mask`` is what everyone else sees.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"xinyong:{label}:{settings.SECRET_KEY}".encode()).digest()


@functools.cache
def _hash_key() -> bytes:
    key = settings.XINYONG_PERSON_HASH_KEY
    return key.encode() if key else _derive("person-hash")


@functools.cache
def _keys() -> list[tuple[bytes, bytes]]:
    """(fingerprint, key) per key, newest first. Keys are 32 bytes, url-safe base64; the
    fingerprint stored in each token finds the key that decrypts it after a rotation."""
    raw = [base64.urlsafe_b64decode(k) for k in settings.XINYONG_PERSON_ENC_KEYS] or [
        _derive("person-enc")
    ]
    return [(hashlib.sha256(k).digest()[:4], k) for k in raw]


@functools.cache
def _ciphers() -> list[tuple[bytes, AESGCM]]:
    return [(fingerprint, AESGCM(k)) for fingerprint, k in _keys()]


def file_key(salt: bytes, fingerprint: bytes | None = None) -> tuple[bytes, bytes]:
    """``(fingerprint, key)`` of one sealed file (:mod:`xinyong.core.sealed`): derived from
    the newest person-encryption key (or the one with ``fingerprint``, after a rotation) and
    the file's random salt, so that no two files share a key and nonces never repeat."""
    for fp, master in _keys():
        if fingerprint is None or fp == fingerprint:
            return fp, hmac.digest(master, b"xinyong:sealed-file:" + salt, "sha256")
    raise ValueError("file cannot be decrypted with the configured keys")


def identifier_hash(id_type: str, value: str) -> str:
    """Deterministic lookup key for a normalised identifier of one type."""
    return hmac.digest(_hash_key(), f"{id_type}:{value}".encode(), "sha256").hex()


@functools.cache
def _content_key() -> bytes:
    return hmac.digest(_hash_key(), b"xinyong:record-content", "sha256")


def content_hash(payload: bytes) -> str:
    """Keyed digest of a record's content (identifier numbers included): the platform can
    show a stored record was not edited outside the pipeline, and the digest reveals nothing
    about the numbers, whose space is small enough to guess through a plain hash."""
    return hmac.digest(_content_key(), payload, "sha256").hex()


def encrypt(value: str) -> str:
    """AES-256-GCM under the newest key: ``fingerprint ‖ nonce ‖ ciphertext+tag``, base64."""
    fingerprint, cipher = _ciphers()[0]
    nonce = os.urandom(12)
    return base64.urlsafe_b64encode(
        fingerprint + nonce + cipher.encrypt(nonce, value.encode(), None)
    ).decode()


def decrypt(token: str) -> str:
    blob = base64.urlsafe_b64decode(token)
    for fingerprint, cipher in _ciphers():
        if blob[:4] == fingerprint:
            try:
                return cipher.decrypt(blob[4:16], blob[16:], None).decode()
            except InvalidTag:
                break
    raise ValueError("identifier cannot be decrypted with the configured keys")


def protect_identifier(id_type: str, number: str) -> dict[str, str]:
    """The stored form of a person identifier: the only columns a number ever reaches."""
    return {
        "id_type": id_type,
        "id_hash": identifier_hash(id_type, number),
        "id_encrypted": encrypt(number),
        "id_masked": mask(number),
    }


def mask_name(name: str) -> str:
    """A natural person's name as published: the family name kept (张三 → 张*)."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask(value: str) -> str:
    """Keep the first 6 and the last 4 characters of long identifiers (``110105********002X``),
    the first and last of short ones."""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 2:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return "*" * len(value)
