"""Keyed hashing and encryption of person identifiers.

A resident ID is never stored in clear: ``identifier_hash`` (HMAC-SHA256 under a secret key)
finds a person without revealing the number, ``encrypt`` keeps a copy that only authorised,
audited reads can turn back into the number, ``mask`` is what everyone else sees.
"""

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _derive(label: str) -> bytes:
    return hashlib.sha256(f"xinyong:{label}:{settings.SECRET_KEY}".encode()).digest()


@functools.cache
def _hash_key() -> bytes:
    key = settings.XINYONG_PERSON_HASH_KEY
    return key.encode() if key else _derive("person-hash")


@functools.cache
def _fernet() -> MultiFernet:
    keys = settings.XINYONG_PERSON_ENC_KEYS or [
        base64.urlsafe_b64encode(_derive("person-enc")).decode()
    ]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def identifier_hash(id_type: str, value: str) -> str:
    """Deterministic lookup key for a normalised identifier of one type."""
    return hmac.digest(_hash_key(), f"{id_type}:{value}".encode(), "sha256").hex()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def mask(value: str) -> str:
    """Keep the first 6 and the last 4 characters of long identifiers (``110105********002X``),
    the first and last of short ones."""
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) > 2:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return "*" * len(value)


def mask_name(name: str) -> str:
    """Persons' names where the rules do not publish them: keep the surname (``张*``)."""
    if not name:
        return name
    return name[0] + "*" * max(1, len(name) - 1)
