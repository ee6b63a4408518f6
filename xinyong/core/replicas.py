"""Reads off the primary (issue #19 item 2; docs/architecture.md "Reads off the primary").

With ``DATABASE_REPLICA_URLS`` set, PostgreSQL streaming replicas (``replica_1`` …, and for
the credit check's prepared statements ``replica_1_hot`` …) take the reads of two kinds of
work: the public portal's pages (anonymous GETs, ``ReplicaReadMiddleware``) and the credit
check (``sanctions.services.checks.credit_check``). Nothing else ever reads a replica: a
read goes there only inside an explicit read-only :func:`reading` scope, never inside a
``transaction.atomic`` block, and a scope that writes reads the primary from then on.

Read-your-writes, by LSN. Every write service appends one audit event in its transaction
(``audit_event_append``), which calls :func:`written`: once the transaction commits, the
primary's WAL position (``pg_current_wal_lsn()``, read after the commit, so at or past its
commit record) is kept in the shared cache under *marks*:

- a write that names the subjects it changes (objections, repairs, the designation
  procedure) raises the marks of those subjects (``subject:<id>`` and ``uscc:<code>``, the
  key the check looks up by) and ``any-subject``;
- any other write raises ``*``.

A scope names what it reads: the check by USCC ``uscc:<code>``, a subject's public page
``subject:<id>``; a read across subjects (search, lists, a person's check, which also
shows the entries of organisations the person was responsible for) ``any-subject``. Every
scope also needs ``*``. At its first read the scope takes a replica whose replay position
(``pg_last_wal_replay_lsn()``) has reached the highest of its marks, and which lags by no
more than ``REPLICA_MAX_LAG_SECONDS``; else the primary. So an objection's suspension is
seen by the very next check of that subject, while other subjects' checks stay on the
replica as long as it is not more than the limit behind.

The marks are raised atomically in Redis (a script: a mark never goes back when two
writes commit close together); a lost ``*`` or ``any-subject`` mark (a flushed cache)
comes back as the primary's current position, never as nothing. Each process keeps a
replica's replay position and lag for ``REPLICA_STATUS_SECONDS`` (a position read earlier
is never ahead of the replica, so keeping it is safe); the cost on the check's hot path
is one round trip to the cache (bench/replica_bench.py)."""

import contextvars
import logging
import random
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections, transaction

logger = logging.getLogger(__name__)

ALL = "*"  # raised by every write that names no subjects: every read needs it
ANY_SUBJECT = "any-subject"  # raised by every write that names subjects: reads across them
SUBJECT_MARK_SECONDS = 3600  # a subject's mark outlives any lag the guard lets through
DOWN_SECONDS = 5.0  # a replica that did not answer is asked again after this long
_PREFIX = "replica:lsn:"
_GLOBAL = (ALL, ANY_SUBJECT)

# The replica's state in one statement: still a standby; how far it has replayed (bytes);
# how far behind the primary it is (seconds: none when it replayed all it received,
# else since the last transaction it replayed was committed on the primary); whether its
# WAL receiver is running (a replica cut off from the primary replays nothing new yet
# looks caught up).
STATUS_SQL = (
    "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() - '0/0'::pg_lsn, "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END, "
    "EXISTS (SELECT 1 FROM pg_stat_wal_receiver "
    "WHERE coalesce(status, 'streaming') = 'streaming')"
)
PRIMARY_SQL = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"


def aliases() -> tuple[str, ...]:
    """The replicas' database aliases (settings, from ``DATABASE_REPLICA_URLS``)."""
    return settings.XINYONG_REPLICAS


def is_replica(alias: str | None) -> bool:
    return bool(alias) and alias.startswith("replica_")


def subject_key(pk: int) -> str:
    return f"subject:{pk}"


def uscc_key(code: str) -> str:
    return f"uscc:{code}"


# -- the read-only scope --------------------------------------------------------------
_UNDECIDED = "?"


@dataclass
class _Scope:
    keys: frozenset[str]
    replica: str | None = _UNDECIDED  # decided at the scope's first read
    outer: "_Scope | None" = None  # the scope this one narrows (fresh_for)


_scope: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar(
    "xinyong_replica_scope", default=None
)


def enter(*keys: str) -> contextvars.Token | None:
    """Open a read-only scope (:func:`reading`, for a middleware that cannot use ``with``);
    None when no replica is configured."""
    if not aliases():
        return None
    return _scope.set(_Scope(frozenset((ALL, *keys))))


def leave(token: contextvars.Token | None) -> None:
    if token is not None:
        _scope.reset(token)


@contextmanager
def reading(*keys: str) -> Iterator[None]:
    """Reads below may go to a replica that has every write to ``keys`` (and every write
    naming no subject). Only for work that writes nothing it reads back."""
    token = enter(*keys)
    try:
        yield
    finally:
        leave(token)


@contextmanager
def fresh_for(*keys: str) -> Iterator[None]:
    """Inside a scope, the reads below also need every write to ``keys`` (e.g. a cached
    part of a page computed again for every visitor: ``any-subject``); outside one,
    nothing changes — this never opens a scope."""
    outer = _scope.get()
    if outer is None:
        yield
        return
    pinned = outer.replica is None  # the outer scope wrote: the primary, here too
    token = _scope.set(_Scope(outer.keys | frozenset(keys), None if pinned else _UNDECIDED, outer))
    try:
        yield
    finally:
        _scope.reset(token)


def read_alias(base: str = "default") -> str | None:
    """The replica alias a read through ``base`` (``default``, or ``hot``: the check's
    prepared statements) goes to now, or None for ``base`` itself."""
    scope = _scope.get()
    if scope is None:
        return None
    if connections["default"].in_atomic_block or (
        base != "default" and connections[base].in_atomic_block
    ):
        return None  # a transaction reads what it writes: the primary
    if scope.replica == _UNDECIDED:
        scope.replica = _choose(scope.keys)
    if scope.replica is None:
        return None
    return scope.replica if base == "default" else f"{scope.replica}_{base}"


def cursor():
    """A cursor for a raw read (the ORM's reads go through the router): a replica's
    inside a read-only scope, else the primary's."""
    return connections[read_alias() or "default"].cursor()


def wrote() -> None:
    """The current scope wrote: it reads the primary from now on (what it wrote)."""
    scope = _scope.get()
    while scope is not None:
        scope.replica, scope = None, scope.outer


# -- choosing a replica ---------------------------------------------------------------
@dataclass(frozen=True)
class Status:
    replay: int  # bytes of WAL replayed
    lag: float  # seconds behind the primary
    usable: bool  # a streaming standby that answered
    at: float = field(default=0.0, compare=False)  # when read (monotonic)


_statuses: dict[str, Status] = {}
_lock = threading.Lock()


def status(alias: str) -> Status:
    """The replica's state, as read at most ``REPLICA_STATUS_SECONDS`` ago in this
    process (a down replica: at most ``DOWN_SECONDS`` ago)."""
    now = time.monotonic()
    found = _statuses.get(alias)
    if found is not None:
        keep = settings.REPLICA_STATUS_SECONDS if found.usable else DOWN_SECONDS
        if now - found.at < keep:
            return found
    try:
        recovering, replay, lag, receiving = _row(alias, STATUS_SQL)
        usable = bool(recovering and receiving and replay is not None)
        found = Status(int(replay or 0), float(lag or 0), usable, now)
    except Exception:  # down, unreachable: the primary serves meanwhile
        logger.warning("replica %s did not answer; reads go to the primary", alias, exc_info=True)
        connections[alias].close()
        found = Status(0, float("inf"), False, now)
    _statuses[alias] = found
    return found


def forget() -> None:
    """Read every replica's state again at the next scope (tests, benchmarks)."""
    _statuses.clear()


def _choose(keys: frozenset[str]) -> str | None:
    """A replica that has replayed every mark of ``keys`` and lags within the limit."""
    try:
        marks = _marks(keys)
    except Exception:  # the cache is down: no way to know what was written, the primary
        logger.warning("replica marks unavailable; reads go to the primary", exc_info=True)
        return None
    need = max(marks.values(), default=0)
    candidates = list(aliases())
    start = random.randrange(len(candidates))  # spread the reads over the replicas
    for alias in candidates[start:] + candidates[:start]:
        st = status(alias)
        if st.usable and st.lag <= settings.REPLICA_MAX_LAG_SECONDS and st.replay >= need:
            return alias
    return None


def _marks(keys: Iterable[str]) -> dict[str, int]:
    keys = list(keys)
    backend, client = _redis()
    if client is not None:  # one MGET (Django's get_many builds a client per call)
        names = [backend.make_and_validate_key(_PREFIX + k) for k in keys]
        found = client.mget(names)
        marks = {k: int(v) for k, v in zip(keys, found, strict=True) if v is not None}
    else:
        found = cache.get_many([_PREFIX + k for k in keys])
        marks = {k: found[_PREFIX + k] for k in keys if _PREFIX + k in found}
    for k in _GLOBAL:
        if k in keys and k not in marks:  # lost (flushed, evicted, first start): now
            cache.add(_PREFIX + k, primary_lsn(), timeout=None)
            marks[k] = cache.get(_PREFIX + k) or primary_lsn()
    return marks


def primary_lsn() -> int:
    """The primary's WAL position now, in bytes."""
    return int(_row("default", PRIMARY_SQL)[0])


def _row(alias: str, sql: str) -> tuple:
    with connections[alias].cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()


# -- marks raised by writes -----------------------------------------------------------
def written(subjects: Iterable[int] | None = None) -> None:
    """A write in the current transaction: once it commits, raise the marks of
    ``subjects`` (ids), or ``*`` when the write does not say which subjects it changes.
    Nothing when no replica is configured."""
    if not aliases():
        return
    wrote()
    ids = None if subjects is None else sorted({int(s) for s in subjects})
    transaction.on_commit(lambda: _mark(ids))


def _mark(ids: list[int] | None) -> None:
    try:
        lsn = primary_lsn()  # after the commit: at or past its commit record
        if ids is None:
            raise_marks([ALL], lsn)
            return
        subject = apps.get_model("subjects", "Subject")
        codes = subject.objects.using("default").filter(pk__in=ids, uscc__isnull=False)
        keys = [subject_key(i) for i in ids] + [
            uscc_key(c) for c in codes.values_list("uscc", flat=True)
        ]
        raise_marks([ANY_SUBJECT, *keys], lsn)
    except Exception:
        # The write stands; its readers may see it only after the replica replays it.
        logger.exception("replica marks of a write not raised")


_client: tuple = (None, None)


def _redis() -> tuple:
    """The cache and, when it is Redis, a client of it kept for this process — of its first
    server, where writes go: a mark read from a Redis replica could be missing."""
    global _client
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if _client[0] is not backend:  # first use, or the cache was configured again (tests)
        client = backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None
        _client = (backend, client)
    return _client


# Raise each key to ARGV[1] unless it is already higher; ARGV[i + 1] is KEYS[i]'s lifetime
# in seconds (0: none).
_RAISE_LUA = """
local lsn = tonumber(ARGV[1])
for i, k in ipairs(KEYS) do
  local v = tonumber(redis.call('GET', k))
  if v == nil or v < lsn then
    local ttl = tonumber(ARGV[i + 1])
    if ttl > 0 then redis.call('SET', k, ARGV[1], 'EX', ttl)
    else redis.call('SET', k, ARGV[1]) end
  end
end
return 1
"""


def raise_marks(keys: list[str], lsn: int) -> None:
    """Each mark becomes ``lsn`` unless it is higher already: atomically in Redis (two
    writes committing close together never leave the lower one), under a lock in this
    process with any other cache (tests; xinyong.E013 refuses it with replicas)."""
    ttls = [0 if k in _GLOBAL else SUBJECT_MARK_SECONDS for k in keys]
    backend, client = _redis()
    if client is not None:
        names = [backend.make_and_validate_key(_PREFIX + k) for k in keys]
        client.eval(_RAISE_LUA, len(names), *names, lsn, *ttls)
        return
    with _lock:
        for k, ttl in zip(keys, ttls, strict=True):
            if (cache.get(_PREFIX + k) or 0) < lsn:
                cache.set(_PREFIX + k, lsn, timeout=ttl or None)
