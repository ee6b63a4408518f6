"""Writes on records outside ingestion (which writes them in bulk, :mod:`xinyong.ingest`)."""

import datetime
from dataclasses import asdict, dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog import selectors as catalog
from xinyong.disclosure.sweep import publications_end
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record


@dataclass
class RetentionReport:
    expired: dict[str, int] = field(default_factory=dict)  # item code → records expired
    unpublished: int = 0  # of them, still in public view until now


def retention_cutoff(years: int, today: datetime.date) -> datetime.date:
    """An act before this day is past a retention of ``years`` (Civil Code counting)."""
    return today - relativedelta(years=years)


def record_retention_sweep(*, actor: Actor, now: datetime.datetime | None = None):
    """Records whose retention ended leave the credit file: every reader, the public
    column and the checks stop seeing them; the row stays as archive (档案保存), never
    shown. The act is the end of validity where the item has one (a licence counts while
    valid), else the decision date, else the day the record was first received; the
    years are the catalog item's ``retention_years`` (default 5). Set-based, idempotent,
    one transaction and one audit event."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = RetentionReport()
    live = (RecordStatus.ACTIVE, RecordStatus.WITHDRAWN)
    with transaction.atomic():
        for _item, d in catalog.catalog_items(active_only=False):
            cutoff = retention_cutoff(d.retention_years, today)
            midnight = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time()))
            due = Record.objects.filter(item_code=d.code, status__in=live).filter(
                Q(valid_to__lt=cutoff)
                | Q(valid_to__isnull=True, decision_date__lt=cutoff)
                | Q(valid_to__isnull=True, decision_date__isnull=True, created_at__lt=midnight)
            )
            n = due.update(status=RecordStatus.EXPIRED, updated_at=now)
            if n:
                report.expired[d.code] = n
        if report.expired:
            report.unpublished = publications_end(
                Record.objects.filter(status=RecordStatus.EXPIRED), now=now
            )
        audit_event_append(
            actor=actor,
            action=AuditAction.RECORD_RETENTION_SWEEP,
            object_type="record",
            object_id=today.isoformat(),
            detail=asdict(report),
        )
    return report
