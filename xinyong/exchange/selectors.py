"""Reading the change log: a feed page by cursor, and the daily count-and-digest both
sides of an exchange compare (reconciliation)."""

import datetime
import hashlib

from django.db import transaction

from xinyong.accounts.actors import SYSTEM, Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.localday import day_bounds
from xinyong.exchange.choices import Feed
from xinyong.exchange.entries import BUILDERS
from xinyong.exchange.log import horizon
from xinyong.exchange.models import Change

MAX_LIMIT = 10_000


def changes_read(feed: str, *, after: int, limit: int) -> tuple[list[Change], int | None]:
    """The changes of one feed after the cursor ``after``, oldest first, and the cursor to
    ask with next (None when nothing new was committed). The head is read first, then the
    changes up to it: every number up to the head is committed (see ``exchange.models``),
    so nothing is missed or repeated. When the page is not full the cursor moves to the
    head, past the other feeds' changes."""
    top = horizon()
    if top <= after:
        return [], None
    rows = list(
        Change.objects.filter(feed=feed, seq__gt=after, seq__lte=top).order_by("seq")[:limit]
    )
    return rows, (rows[-1].seq if len(rows) == limit else top)


def feed_read(
    feed: str, *, after: int, limit: int, actor: Actor | None = None
) -> tuple[list[dict], int | None]:
    """A page of a feed as it publishes it (see ``exchange.entries``). Grades are not
    public: a page of the evaluations feed that holds any is audited, naming its range."""
    rows, nxt = changes_read(feed, after=after, limit=limit)
    entries = BUILDERS[Feed(feed)](rows) if rows else []
    if entries and feed == Feed.EVALUATIONS:
        _audited(actor, entries[0]["seq"], entries[-1]["seq"], len(entries))
    return entries, nxt


def _audited(actor: Actor | None, first: int, last: int, count: int) -> None:
    with transaction.atomic():
        audit_event_append(
            actor=actor or SYSTEM, action=AuditAction.EVALUATION_READ, object_type="feed",
            object_id=Feed.EVALUATIONS.value,
            detail={"first": first, "last": last, "count": count},
        )  # fmt: skip


def digest_lines(entries: list[dict]) -> bytes:
    """The digest's input: one line ``seq|action|key`` per entry, in seq order — what a
    receiver computes from the entries it stored, to compare."""
    return "".join(f"{e['seq']}|{e['action']}|{e['key']}\n" for e in entries).encode()


def feed_digest(feed: str, day: datetime.date, *, actor: Actor | None = None) -> dict:
    """The count and SHA-256 digest of the entries a feed published for one day (by each
    change's time), with the first and last seq: if both sides agree, the receiver holds
    that day's entries, no more and no fewer. Computed over what the feed publishes (an
    entry of a list not public is no more in the digest than in the feed)."""
    start, end = day_bounds(day)
    top = horizon()
    ids = Change.objects.filter(feed=feed, at__gte=start, at__lt=end, seq__lte=top)
    sha, count, first, last, after = hashlib.sha256(), 0, None, None, 0
    build = BUILDERS[Feed(feed)]
    while True:
        rows = list(ids.filter(seq__gt=after).order_by("seq")[:MAX_LIMIT])
        if not rows:
            break
        after = rows[-1].seq
        entries = build(rows)
        if entries:
            sha.update(digest_lines(entries))
            count += len(entries)
            first = first or entries[0]["seq"]
            last = entries[-1]["seq"]
    if count and feed == Feed.EVALUATIONS:
        _audited(actor, first, last, count)
    return {"feed": feed, "day": day, "count": count, "first_seq": first, "last_seq": last,
            "sha256": sha.hexdigest(), "complete_to": top}  # fmt: skip
