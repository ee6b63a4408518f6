"""The outbound feed of credit commitments for upper-level platforms: each step of a
published commitment (signed, kept, decided, ended, lapsed, bar lifted) in order, read
incrementally by cursor — the last ``seq`` seen, as in the dual-publicity feed. Each entry
carries the commitment as it stands when read; a platform keeps the latest by number.

The steps are logged in the platform's one change log (``exchange``: numbered in commit
order, so a cursor misses none) as they are written (:func:`log`); this module says what
the feed shows of them.

Persons' commitments are not published and never in the feed; a proposed breach and the
subject's statement are not final — the credit file shows the commitment still in force
until the reviewer decides — so those steps are not in the feed either, nor a decision
not to find a breach (the cursor moves past them)."""

from xinyong.commitments.choices import CommitmentStatus
from xinyong.commitments.models import Commitment, CommitmentEvent
from xinyong.commitments.queries import subject_block
from xinyong.exchange.choices import Feed
from xinyong.exchange.log import changes_append

# Not final: the public sees the commitment still in force (as the credit file does).
HIDDEN_ACTIONS = ("propose_breach", "statement")
_PUBLIC_STATUS = {CommitmentStatus.BREACH_PROPOSED: CommitmentStatus.IN_FORCE}


def log(events: list[CommitmentEvent], at) -> None:
    """A step: tell the change log of steps just written (every one; what the feed shows of
    them is decided when it is read)."""
    subjects = dict(
        Commitment.objects.filter(pk__in={e.commitment_id for e in events}).values_list(
            "pk", "subject_id"
        )
    )
    changes_append(
        Feed.COMMITMENTS, [(e.action, e.pk, subjects.get(e.commitment_id)) for e in events], at
    )


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


def entries(event_ids: list[int]) -> list[tuple[int, dict]]:
    """The feed's entry of each of these steps, in the order given: (step id, entry);
    steps left out (persons', not final, not public) are not in it."""
    events = CommitmentEvent.objects.in_bulk(event_ids)
    shown = [events[i] for i in event_ids if i in events and _final(events[i])]
    commitments = Commitment.objects.select_related("subject", "matter", "department").in_bulk(
        {e.commitment_id for e in shown}
    )
    return [
        (e.pk, _entry(e, commitments[e.commitment_id]))
        for e in shown
        if e.commitment_id in commitments and commitments[e.commitment_id].public
    ]
