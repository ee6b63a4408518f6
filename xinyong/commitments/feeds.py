"""The outbound feed of credit commitments for upper-level platforms: each step of a
published commitment (signed, kept, decided, ended, lapsed, bar lifted) in order, read
incrementally by cursor — the last ``seq`` seen, as in the dual-publicity feed. Each entry
carries the commitment as it stands when read; a platform keeps the latest by number.

The change log is :class:`CommitmentEvent`, its id the cursor. Ids are taken when a row is
inserted, not when its transaction commits: a step that inserted id 10 and commits after
another step's id 11 was read would be skipped by a cursor already past 11. The feed
therefore reads only up to a horizon every row below which is committed: on PostgreSQL it
takes the table's SHARE lock — which waits for the transactions inserting steps to end and
holds new ones back — just long enough to read the highest id, then reads up to it without
the lock (a step inserted later takes a higher id). SQLite has one writer at a time, whose
ids are taken and committed in order: the highest id is the horizon as it is.

Persons' commitments are not published and never in the feed; a proposed breach and the
subject's statement are not final — the credit file shows the commitment still in force
until the reviewer decides — so those steps are not in the feed either, nor a decision
not to find a breach (the cursor moves past them)."""

from django.db import connection, transaction
from django.db.models import Max

from xinyong.commitments.choices import CommitmentStatus
from xinyong.commitments.models import Commitment, CommitmentEvent
from xinyong.commitments.queries import subject_block

# Not final: the public sees the commitment still in force (as the credit file does).
HIDDEN_ACTIONS = ("propose_breach", "statement")
_PUBLIC_STATUS = {CommitmentStatus.BREACH_PROPOSED: CommitmentStatus.IN_FORCE}


def horizon() -> int:
    """The highest step id below which every step is committed (0: none yet)."""
    table = CommitmentEvent._meta.db_table
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f'LOCK TABLE "{table}" IN SHARE MODE')
        return CommitmentEvent.objects.aggregate(top=Max("pk"))["top"] or 0


def _final(e: CommitmentEvent) -> bool:
    """A step the public is told of: not a proposal, a statement, or a decision not to
    find a breach (nothing changed for the public)."""
    if e.action in HIDDEN_ACTIONS:
        return False
    return e.action != "decide" or e.status == CommitmentStatus.BREACHED


def _public(status: str) -> str:
    return str(_PUBLIC_STATUS.get(status, status))


def _entry(e: CommitmentEvent, c: Commitment) -> dict:
    breached = c.status == CommitmentStatus.BREACHED
    return {
        "seq": e.pk,
        "action": e.action,
        "step_status": _public(e.status),
        "at": e.at,
        "number": c.number,
        "subject": subject_block(c.subject),
        "matter": {"code": c.matter.code, "name": c.matter.name},
        "kind": c.kind,
        "department": {"code": c.department.code, "name": c.department.name},
        "status": _public(c.status),
        "signed_at": c.signed_at,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "check_due": c.check_due,
        "breach_kind": c.breach_kind if breached else "",
        "decided_at": c.decided_at if breached else None,
        "bar_until": c.bar_until if breached else None,
        "bars_every_matter": c.bars_every_matter if breached else False,
        "lifted_at": c.lifted_at if breached else None,
    }


def feed(*, after: int, limit: int) -> tuple[list[dict], int | None]:
    """Steps of published commitments after ``after``, oldest first, and the cursor to
    ask with next (None when nothing new was committed). Steps left out (persons', not
    final) still move the cursor."""
    top = horizon()
    if top <= after:
        return [], None
    events = list(CommitmentEvent.objects.filter(pk__gt=after, pk__lte=top).order_by("pk")[:limit])
    if not events:
        return [], None
    shown = [e for e in events if _final(e)]
    commitments = Commitment.objects.select_related("subject", "matter", "department").in_bulk(
        {e.commitment_id for e in shown}
    )
    out = [
        _entry(e, commitments[e.commitment_id])
        for e in shown
        if e.commitment_id in commitments and commitments[e.commitment_id].public
    ]
    return out, events[-1].pk
