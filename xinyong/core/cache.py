"""Cached parts of pages, invalidated when what they show changes.

A cached part is stored under its key and the current *generation* of the scope it shows
("public": what the portal publishes). Every change the platform makes passes through a
service that appends one audit event in its transaction (``audit_event_append``); the
events whose action changes a scope bump its generation once the transaction commits, so
the next reader computes the part again: no page shows a record, a list entry or a
correction a request later than it changed. The timeout only bounds how long an unread
part is kept.

With several server processes the cache must be shared (``XINYONG_CACHE_URL``, Redis):
a generation bumped by the worker that applied a batch is then seen by every web process.
A generation the cache lost (evicted, restarted) comes back as a new random number, never
as an old one, so a part cached under an old generation cannot be read again."""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from xinyong.core import replicas

T = TypeVar("T")
logger = logging.getLogger(__name__)
_MISSING = object()

# The scopes a change may touch, by the prefix of its audit action. "public": what the
# portal shows anyone — subjects, catalog names, records and their publication, lists,
# objections (异议中), repairs (已修复), rolls, correction notices, department names.
# "subjects": the subjects' names and kinds alone (what name search finds).
SCOPES: dict[str, tuple[str, ...]] = {
    "subjects": ("subject.",),
    "public": (
        "subject.", "catalog.", "batch.apply", "publicity_rule.", "publication.",
        "record.", "list_entry.", "objection.", "repair.", "roll.", "department.save",
    ),
}  # fmt: skip
# Audit actions that read and change nothing, although their prefix is listed above.
_READS = ("list_entry.statement",)


def _gen_key(scope: str) -> str:
    return f"gen:{scope}"


def scopes_changed_by(action: str) -> tuple[str, ...]:
    """The scopes an audit action changes (none for a read)."""
    if action in _READS:
        return ()
    return tuple(s for s, prefixes in SCOPES.items() if action.startswith(prefixes))


def bump(*scopes: str) -> None:
    """A new generation of each scope (now: callers in a transaction use
    :func:`bump_on_commit`)."""
    for scope in scopes:
        key = _gen_key(scope)
        try:
            cache.incr(key)
        except ValueError:  # not there (never set, evicted): a fresh random start
            cache.set(key, secrets.randbits(48), timeout=None)


def bump_on_commit(action: str) -> None:
    """Bump the scopes ``action`` changes once the current transaction commits (nothing
    when it rolls back: a refused operation changes nothing, its cache neither)."""
    scopes = scopes_changed_by(action)
    if scopes:
        transaction.on_commit(lambda: bump(*scopes))


def generation(scope: str) -> int:
    key = _gen_key(scope)
    found = cache.get(key)
    if found is None:
        cache.add(key, secrets.randbits(48), timeout=None)
        found = cache.get(key)
    return found


def cached(key: str, scope: str, compute: Callable[[], T], timeout: int = 600) -> T:
    """``compute()``'s value for ``key`` as of the scope's current generation. ``key`` may
    hold any text (a visitor's query): it is stored under its digest."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    try:
        full = f"part:{digest}@{scope}:{generation(scope)}"
        value = cache.get(full, _MISSING)
    except Exception:  # the cache server is down: the page is computed, not refused
        logger.warning("cache unavailable: %s computed without it", key, exc_info=True)
        return compute()
    if value is _MISSING:
        # Kept for every later reader: computed from every write made (a replica read
        # only once it has replayed them all, xinyong/core/replicas.py).
        with replicas.fresh_for(replicas.ANY_SUBJECT):
            value = compute()
        cache.set(full, value, timeout=timeout)
    return value


def figure(key: str, compute: Callable[[], T], fresh: int = 300) -> T:
    """A headline aggregate (counts over a million rows) that may be ``fresh`` seconds
    old. When it is older, one request computes it again while the others keep showing the
    last value (no crowd of requests counting the same million rows at once); only the
    very first computation is waited for."""
    now = time.time()
    try:
        found = cache.get(key)
    except Exception:  # the cache server is down: counted, not refused
        logger.warning("cache unavailable: %s counted without it", key, exc_info=True)
        return compute()
    if found is not None:
        value, at = found
        if now - at < fresh or not cache.add(f"{key}:computing", 1, timeout=60):
            return value
    try:
        value = compute()
        cache.set(key, (value, time.time()), timeout=None)
    finally:
        cache.delete(f"{key}:computing")
    return value
