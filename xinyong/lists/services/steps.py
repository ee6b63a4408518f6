"""Steps of the lists that other services compose (a repair approved, an objection
decided, a source record withdrawn, a term ended): set-based, in the caller's transaction,
each change on the entries' procedure log, and no audit event of their own — the caller's
one act names the entries. Also the daily expiry, which is such a step audited once."""

import datetime

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.lists import feedlog
from xinyong.lists.choices import EntryAction, EntryStatus, RemovalReason
from xinyong.lists.models import ListEntry, ListEntryEvent

S = EntryStatus


def entries_take_off(
    entry_ids, *, reason: str, by: str, now: datetime.datetime, note: str = ""
) -> list[int]:
    """Published entries among ``entry_ids`` leave their lists for ``reason`` (each with its
    procedure event, by ``by``); the ids taken off. A step of a caller's act — a repair
    approved, an objection found valid, a source record withdrawn, a term ended — which is
    audited once by that caller, naming these entries."""
    ids = list(
        ListEntry.objects.select_for_update()
        .filter(pk__in=list(entry_ids), status=S.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        ListEntry.objects.filter(pk__in=ids).update(
            status=S.REMOVED, removed_at=now, removal_reason=reason, removal_note=note,
            under_objection=False, deadline=None, updated_at=now,
        )  # fmt: skip
        removed = ListEntryEvent.objects.bulk_create(
            [ListEntryEvent(entry_id=i, action=EntryAction.REMOVE, from_status=S.PUBLISHED,
                            to_status=S.REMOVED, actor=by, at=now,
                            note=note or str(RemovalReason(reason).label)) for i in ids],
            batch_size=2000,
        )  # fmt: skip
        feedlog.log(removed, now)
    return ids


def entries_objection_flag(
    entry_ids, *, under: bool, by: str, now: datetime.datetime, note: str = ""
) -> list[int]:
    """Set (or clear) the objection mark on these entries where it differs, each change
    on the entry's procedure log; the ids changed. A step of an objection's marking or
    decision, audited once by it."""
    ids = list(
        ListEntry.objects.select_for_update()
        .filter(pk__in=list(entry_ids))
        .exclude(under_objection=under)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        ListEntry.objects.filter(pk__in=ids).update(under_objection=under, updated_at=now)
        statuses = dict(ListEntry.objects.filter(pk__in=ids).values_list("pk", "status"))
        flagged = ListEntryEvent.objects.bulk_create(
            [ListEntryEvent(entry_id=i, action=EntryAction.OBJECTION, from_status=statuses[i],
                            to_status=statuses[i], actor=by, at=now,
                            note=note or ("异议中，措施中止" if under else "异议已处理"))
             for i in ids],
        )  # fmt: skip
        feedlog.log(flagged, now)
    return ids


def entries_expire(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """Entries whose term ended leave their lists (the daily upkeep; the check already
    ignores them from the day after the term). Set-based; one audit event."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic(durable=True):
        due = ListEntry.objects.filter(status=S.PUBLISHED, term_end__lt=today)
        ids = entries_take_off(
            due.values_list("pk", flat=True), reason=RemovalReason.EXPIRED, by=actor.label,
            now=now,
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.LIST_ENTRIES_EXPIRE, object_type="list_entry",
            object_id=today.isoformat(), detail={"removed": len(ids)},
        )  # fmt: skip
    return len(ids)
