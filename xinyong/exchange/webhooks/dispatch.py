"""The fan-out: the dispatcher reads the change log by its own cursor (``WebhookDispatch``)
and turns each change someone watches into one message (the feed's entry, built once) and
one delivery per subscription that wants it — one INSERT … SELECT joining the changes ×
watched subjects × subscription kinds, never a loop over subscribers. It reads the log's
head first and then only ``seq <= head``: the writer holds the head until it commits, so
no change below it can still appear, and the cursor never skips one."""

import datetime
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from xinyong.exchange.models import (
    Change,
    FeedHead,
    WebhookDelivery,
    WebhookDispatch,
    WebhookKind,
    WebhookMessage,
    WebhookSubject,
    WebhookSubscription,
)
from xinyong.exchange.selectors import feed_read
from xinyong.exchange.webhooks.choices import SubscriptionStatus

READ_PAGE = 1000  # entries asked of a feed at once
# A round that queued this many deliveries analyzes their table at once: with the table's
# statistics of before the round, the sender's claim sorted every due row (seconds a round
# at a million) instead of walking the due index to its limit.
ANALYZE_AFTER = 100_000


def _tables() -> dict[str, str]:
    return {
        "change": Change._meta.db_table,
        "kind": WebhookKind._meta.db_table,
        "watched": WebhookSubject._meta.db_table,
        "sub": WebhookSubscription._meta.db_table,
        "msg": WebhookMessage._meta.db_table,
        "delivery": WebhookDelivery._meta.db_table,
    }


_MATCH = """
    FROM {change} c
    JOIN {kind} k ON k.feed = c.feed AND (k.action = '' OR k.action = c.action)
    JOIN {watched} w ON w.subscription_id = k.subscription_id AND w.subject_id = c.subject_id
    JOIN {sub} s ON s.id = k.subscription_id
    WHERE c.seq > %s AND c.seq <= %s AND s.status = %s AND c.seq > s.start_seq
"""


# One subscription whatever its status (a replay fills in what it missed while stopped).
_ONE = _MATCH.replace("s.status = %s", "s.id = %s")


def _matched(lo: int, hi: int, subscription_id: int | None = None) -> dict[str, set[int]]:
    """The changes in (lo, hi] at least one active subscription (or the one given) wants,
    by feed."""
    t = _tables()
    match = _MATCH if subscription_id is None else _ONE
    sql = "SELECT DISTINCT c.seq, c.feed " + match.format(**t)
    by_feed: dict[str, set[int]] = {}
    with connection.cursor() as cur:
        cur.execute(sql, [lo, hi, subscription_id or SubscriptionStatus.ACTIVE])
        for seq, feed in cur.fetchall():
            by_feed.setdefault(feed, set()).add(seq)
    return by_feed


def _entries(feed: str, seqs: set[int], lo: int, hi: int):
    """The feed's published entries of ``seqs`` (read through the feed, as a puller sees
    them: an entry no longer public is left out), page by page from the first of them."""
    after = min(seqs) - 1
    while after < hi:
        entries, nxt = feed_read(feed, after=after, limit=READ_PAGE)
        for entry in entries:
            if entry["seq"] > hi:
                return
            if entry["seq"] in seqs:
                yield entry
        if nxt is None or nxt <= after:
            return
        after = nxt


def _body(feed: str, entry: dict) -> tuple[str, str]:
    event_type = f"{feed}.{entry.get('action', '')}".rstrip(".")
    at = entry.get("at")
    body = {"type": event_type, "timestamp": at, "data": entry}
    return event_type, json.dumps(
        body, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    )


def dispatch_round(
    *, chunk: int | None = None, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """One step of the cursor, in one transaction: the messages and deliveries of the
    changes in (cursor, cursor + chunk], not beyond the head; ``(changes read, deliveries
    queued)``. A crash leaves the step whole or absent; a re-run inserts nothing twice."""
    chunk = chunk or settings.XINYONG_WEBHOOK_DISPATCH_CHUNK
    now = now or timezone.now()
    with transaction.atomic():
        cursor = WebhookDispatch.objects.select_for_update().filter(pk=1).first()
        if cursor is None:
            WebhookDispatch.objects.get_or_create(pk=1)
            cursor = WebhookDispatch.objects.select_for_update().get(pk=1)
        head = FeedHead.objects.values_list("last_seq", flat=True).first() or 0
        lo, hi = cursor.last_seq, min(head, cursor.last_seq + chunk)
        if hi <= lo:
            return 0, 0
        messages = _messages_make(lo, hi, now)
        queued = _deliveries_insert(lo, hi, now) if messages else 0
        cursor.last_seq, cursor.updated_at = hi, now
        cursor.save()
    if queued >= ANALYZE_AFTER and connection.vendor == "postgresql":
        with connection.cursor() as cur:  # the sender's claim plans on fresh statistics
            cur.execute(f"ANALYZE {WebhookDelivery._meta.db_table}")
    return hi - lo, queued


def _messages_make(lo, hi, now, subscription_id: int | None = None) -> list[WebhookMessage]:
    """The messages of the wanted changes in (lo, hi] (one per change, whoever wants it;
    one made before is kept as it was)."""
    messages = [
        WebhookMessage(change_seq=entry["seq"], event_type=t, body=b, created_at=now)
        for feed, seqs in _matched(lo, hi, subscription_id).items()
        for entry in _entries(feed, seqs, lo, hi)
        for t, b in [_body(feed, entry)]
    ]
    WebhookMessage.objects.bulk_create(messages, batch_size=1000, ignore_conflicts=True)
    return messages


def _deliveries_insert(
    lo: int, hi: int, now: datetime.datetime, subscription_id: int | None = None
) -> int:
    """No DISTINCT needed: a subscription's kinds never overlap (a whole feed replaces its
    actions) and its watched subjects are unique."""
    t = _tables()
    match = _MATCH if subscription_id is None else _ONE
    sql = (
        "INSERT INTO {delivery} (subscription_id, message_id, status, attempts, "
        "next_attempt_at, last_error, created_at) "
        "SELECT k.subscription_id, m.id, 'pending', 0, %s, '', %s "
        + match.replace("FROM {change} c", "FROM {msg} m JOIN {change} c ON c.seq = m.change_seq")
        + " ON CONFLICT DO NOTHING"
    ).format(**t)
    with connection.cursor() as cur:
        cur.execute(sql, [now, now, lo, hi, subscription_id or SubscriptionStatus.ACTIVE])
        return cur.rowcount


def backfill(subscription_id: int, lo: int, now: datetime.datetime) -> int:
    """A step of a replay: the messages and deliveries this subscription lacks for the
    changes after ``lo`` the dispatcher has passed (those of a time it was stopped, or
    before a subject was added to its watch); how many deliveries were added."""
    hi = WebhookDispatch.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    if hi <= lo:
        return 0
    _messages_make(lo, hi, now, subscription_id)
    return _deliveries_insert(lo, hi, now, subscription_id)


def dispatch_all(*, chunk: int | None = None, deadline: float | None = None) -> tuple[int, int]:
    """Rounds until the cursor reaches the head (or ``deadline``, a monotonic time)."""
    import time

    changes = queued = 0
    while deadline is None or time.monotonic() < deadline:
        n, q = dispatch_round(chunk=chunk)
        changes, queued = changes + n, queued + q
        if n == 0:
            break
    return changes, queued
