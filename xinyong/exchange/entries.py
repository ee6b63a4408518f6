"""What each feed publishes of a change: one builder per feed, turning a page of
:class:`~xinyong.exchange.models.Change` rows into JSON-ready entries. Built when read, from
each app's own public rules (the record's public fields, the public list entry, the
commitment as the public sees it, the grade the office lets systems see), so a feed never
says more than the portal would at that moment. An entry whose object is gone or no longer
public is left out; the cursor still moves past it."""

from django.db.models import Prefetch

from xinyong.accounts.models import Department
from xinyong.commitments import feeds as commitment_feeds
from xinyong.commitments.queries import subject_block
from xinyong.evaluation.models import EvaluationResult
from xinyong.evaluation.selectors import check_grade
from xinyong.exchange.choices import Feed
from xinyong.exchange.models import Change
from xinyong.lists.models import ListEntry, ListEntryEvent
from xinyong.lists.schemas import PublicEntryOut
from xinyong.records.models import Record
from xinyong.records.selectors import public_fields
from xinyong.remedies.models import RepairApplication
from xinyong.subjects.models import Subject


def _head(c: Change, key: str) -> dict:
    """What every entry starts with; ``key`` names the object for good (what a receiver
    keeps the latest entry by, and what the daily digest covers)."""
    return {"seq": c.seq, "action": c.action, "at": c.at, "key": key}


def publicity(changes: list[Change]) -> list[dict]:
    """A licence or penalty entering (with its public fields by standard code) or leaving
    public view (by provider, item and source id)."""
    records = Record.objects.in_bulk({c.object_id for c in changes})
    providers = dict(Department.objects.values_list("pk", "code"))
    out = []
    for c in changes:
        r = records.get(c.object_id)
        if r is None:
            continue
        provider = providers.get(r.provider_id, "")
        out.append(
            _head(c, f"{provider}/{r.item_code}/{r.source_id}")
            | {
                "item": r.item_code,
                "provider": provider,
                "source_id": r.source_id,
                "fields": public_fields(r) if c.action == "publish" else {},
            }
        )
    return out


# The steps of an entry the public is told of; the others (case opened, notice, hearing,
# decision before publication, statements) are the procedure's, not the public's.
LIST_ACTIONS = ("publish", "import", "remove", "objection")


def lists(changes: list[Change]) -> list[dict]:
    """A step of an entry of a public list: the entry as the portal shows it (a person's
    name masked, no identifier), with its status after the step."""
    events = ListEntryEvent.objects.in_bulk({c.object_id for c in changes})
    entries = ListEntry.objects.select_related("list_type", "department", "subject").in_bulk(
        {e.entry_id for e in events.values()}
    )
    out = []
    for c in changes:
        e = events.get(c.object_id)
        entry = entries.get(e.entry_id) if e else None
        if entry is None or not entry.list_type.public:
            continue
        public = PublicEntryOut.of(entry).model_dump()
        out.append(
            _head(c, str(entry.pk))
            | {
                "entry": public["id"],
                "list": public["list"],
                "list_name": public["list_name"],
                "subject": subject_block(entry.subject),
                "department": public["department"],
                "decision_no": public["decision_no"],
                "decided_on": public["decided_on"],
                "term": public["term"],
                "legal_basis": public["legal_basis"],
                "status": e.to_status,
                "under_objection": entry.under_objection,
                "removal_reason": entry.removal_reason or "",
            }
        )
    return out


def repairs(changes: list[Change]) -> list[dict]:
    """An approved repair: the records and entries it ended."""
    entries = Prefetch("entries", queryset=ListEntry.objects.select_related("list_type"))
    apps = (
        RepairApplication.objects.select_related("subject", "department")
        .prefetch_related("records", entries)
        .in_bulk({c.object_id for c in changes})
    )
    out = []
    for c in changes:
        a = apps.get(c.object_id)
        if a is None:
            continue
        out.append(
            _head(c, str(a.pk))
            | {
                "id": a.pk,
                "subject": subject_block(a.subject),
                "department": a.department.code,
                "decided_at": a.decided_at,
                "records": [
                    {"item": r.item_code, "source_id": r.source_id} for r in a.records.all()
                ],
                "entries": [
                    {"list": e.list_type.code, "decision_no": e.decision_no}
                    for e in a.entries.all()
                ],
            }
        )
    return out


def commitments(changes: list[Change]) -> list[dict]:
    """A step of a published commitment, with the commitment as it stands (see
    ``commitments.feeds``)."""
    by_event = {c.object_id: c for c in changes}
    return [
        {"seq": by_event[event_id].seq, "key": entry["number"], **entry}
        for event_id, entry in commitment_feeds.entries(list(by_event))
    ]


def evaluations(changes: list[Change]) -> list[dict]:
    """A subject's new grade, as a credit check would answer it: nothing while the credit
    office keeps grades out of checks (the change is then left out)."""
    results = EvaluationResult.objects.in_bulk({c.object_id for c in changes})
    subjects = Subject.objects.in_bulk({r.subject_id for r in results.values()})
    out = []
    for c in changes:
        r = results.get(c.object_id)
        grade, name = check_grade(r.grade if r else None)
        if grade is None or r.subject_id not in subjects:
            continue
        out.append(
            _head(c, str(r.pk))
            | {
                "subject": subject_block(subjects[r.subject_id]),
                "grade": grade,
                "grade_name": name,
                "as_of": r.as_of,
            }
        )
    return out


BUILDERS = {
    Feed.PUBLICITY: publicity,
    Feed.LISTS: lists,
    Feed.REPAIRS: repairs,
    Feed.COMMITMENTS: commitments,
    Feed.EVALUATIONS: evaluations,
}
