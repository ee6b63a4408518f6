"""Lists received from outside: the records of a list type's ``source_item`` (the courts'
失信被执行人, serious-dishonesty designations made elsewhere, the market regulator's
abnormal operations list) become entries of that list, already published — their source
did the procedure. Each source item is declared once (which field is the decision number,
the grounds, the basis, the category, the removal date); the sync is idempotent and
set-based: new records become entries, changed ones update theirs, withdrawn or removed
ones take their entries off the list."""

import datetime
from dataclasses import asdict, dataclass

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.lists import feedlog
from xinyong.lists.choices import (
    BasisKind,
    EntryAction,
    EntryStatus,
    NationalCategory,
    RemovalReason,
)
from xinyong.lists.models import ListEntry, ListEntryEvent, ListType
from xinyong.lists.services.steps import entries_take_off
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record

CHUNK = 2000


@dataclass(frozen=True)
class Source:
    decision_no: str
    grounds: str
    basis_kind: str
    legal_basis: str | None = None  # None: the list type's own basis
    category: str | None = None  # field naming the national category (by its label)
    removed_on: str | None = None  # field whose date takes the entry off the list


SOURCES = {
    "court_dishonest_debtor": Source("SX_AH", "SX_QX", BasisKind.JUDGMENT),
    "serious_dishonesty_entry": Source("MD_RDWH", "MD_SY", BasisKind.OTHER_DECISION,
                                       legal_basis="MD_YJ", category="MD_LB"),
    "abnormal_operations_entry": Source("YC_WSH", "YC_LRYY", BasisKind.OTHER_DECISION,
                                        removed_on="YC_YCRQ"),
}  # fmt: skip
# The catalog writes the four categories out in full; entries keep their codes.
_CATEGORY = {
    "严重危害人民群众身体健康和生命安全": NationalCategory.LIFE_HEALTH,
    "严重破坏市场公平竞争秩序和社会正常秩序": NationalCategory.MARKET_ORDER,
    "有履行能力但拒不履行法定义务": NationalCategory.REFUSE_DUTY,
    "拒不履行国防义务": NationalCategory.NATIONAL_DEFENCE,
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0  # the subject already has a case or entry of the list made here


def _fields(lt: ListType, src: Source, r: Record) -> dict:
    d = r.data
    decided = r.decision_date
    term_end = r.valid_to
    if term_end is None and decided and lt.default_term_months:
        term_end = decided + relativedelta(months=lt.default_term_months)
    return {
        "decision_no": str(d.get(src.decision_no, ""))[:100],
        "grounds": str(d.get(src.grounds, "")),
        "legal_basis": str(d.get(src.legal_basis, "")) if src.legal_basis else lt.legal_basis,
        "national_category": _CATEGORY.get(d.get(src.category), "") if src.category else "",
        "basis_kind": src.basis_kind,
        "decided_on": decided,
        "act_date": decided or timezone.localdate(r.received_at),
        "term_end": term_end,
        "removal_conditions": lt.removal_conditions,
    }


def _removed(src: Source, r: Record, today: datetime.date) -> bool:
    if r.status != RecordStatus.ACTIVE:
        return True
    if src.removed_on and r.data.get(src.removed_on):
        return datetime.date.fromisoformat(r.data[src.removed_on]) <= today
    return False


def entries_import(*, actor: Actor, item_code: str, now: datetime.datetime | None = None):
    """Bring the list entries of ``item_code``'s records up to date (one transaction, one
    audit event)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    src = SOURCES.get(item_code)
    report = ImportReport()
    if src is None:
        return report
    with transaction.atomic():
        for lt in ListType.objects.filter(source_item=item_code, active=True):
            _sync(lt, src, actor, now, today, report)
        audit_event_append(
            actor=actor, action=AuditAction.LIST_ENTRIES_IMPORT, object_type="list_type",
            object_id=item_code, detail=asdict(report),
        )  # fmt: skip
    return report


def _sync(lt, src, actor, now, today, report: ImportReport) -> None:
    records = Record.objects.filter(item_code=lt.source_item)
    # New records: entries, published at once; a subject with a case of this list made on
    # the platform keeps that one.
    busy = set(
        ListEntry.objects.filter(list_type=lt)
        .exclude(status__in=(EntryStatus.REMOVED, EntryStatus.DROPPED))
        .values_list("subject_id", flat=True)
    )
    fresh = records.filter(list_entry__isnull=True, status=RecordStatus.ACTIVE)
    last = 0
    while chunk := list(fresh.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        rows = []
        for r in chunk:
            if _removed(src, r, today):
                continue
            if r.subject_id in busy:
                report.skipped += 1
                continue
            busy.add(r.subject_id)
            rows.append(ListEntry(
                list_type=lt, subject_id=r.subject_id, department_id=r.provider_id,
                status=EntryStatus.PUBLISHED, external=True, source_record=r,
                published_at=now, opened_by=actor.label, opened_at=now, **_fields(lt, src, r),
            ))  # fmt: skip
        created = ListEntry.objects.bulk_create(rows)
        _events(created, EntryAction.IMPORT, "", actor, now)
        report.created += len(created)
    # Changed or withdrawn records: their entries follow.
    stale = ListEntry.objects.filter(
        list_type=lt, external=True, status=EntryStatus.PUBLISHED,
        source_record__updated_at__gt=F("updated_at"),
    ).select_related("source_record")  # fmt: skip
    last = 0
    while chunk := list(stale.filter(pk__gt=last).order_by("pk")[:CHUNK]):
        last = chunk[-1].pk
        removed, updated = [], []
        names = {"status", "removed_at", "removal_reason", "removal_note", "updated_at"}
        stamp = timezone.now()  # bulk_update does not touch auto_now fields
        for entry in chunk:
            r = entry.source_record
            if _removed(src, r, today):
                entry.status, entry.removed_at = EntryStatus.REMOVED, now
                revoked = r.status != RecordStatus.ACTIVE
                entry.removal_reason = RemovalReason.REVOKED if revoked else RemovalReason.REPAIRED
                entry.removal_note = "来源记录已撤销" if revoked else "来源已移出"
                removed.append(entry)
            else:
                fields = _fields(lt, src, r)
                for k, v in fields.items():
                    setattr(entry, k, v)
                names.update(fields)
                updated.append(entry)
            entry.updated_at = stamp
        ListEntry.objects.bulk_update(chunk, sorted(names))
        _events(removed, EntryAction.REMOVE, EntryStatus.PUBLISHED, actor, now)
        _events(updated, EntryAction.IMPORT, EntryStatus.PUBLISHED, actor, now)
        report.removed += len(removed)
        report.updated += len(updated)


def _events(entries, action, before, actor, now) -> None:
    events = ListEntryEvent.objects.bulk_create(
        [ListEntryEvent(entry=e, action=action, from_status=before, to_status=e.status,
                        actor=actor.label, at=now, note="外部名单同步") for e in entries],
        batch_size=CHUNK,
    )  # fmt: skip
    feedlog.log(events, now)


def entries_of_withdrawn(record_ids, *, now: datetime.datetime, by: str) -> list[int]:
    """Entries imported from these records, now withdrawn, leave their lists (revoked), in
    the withdrawal's transaction; the next import would find nothing left to do."""
    ids = ListEntry.objects.filter(
        source_record_id__in=list(record_ids), external=True, status=EntryStatus.PUBLISHED
    ).values_list("pk", flat=True)
    return entries_take_off(
        ids, reason=RemovalReason.REVOKED, by=by, now=now, note="来源记录已撤销"
    )
