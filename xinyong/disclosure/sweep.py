"""The publication sweep: brings every licence and penalty record's publication up to date
— new and changed records get their deadline and period, received records go public,
periods that ended and withdrawn decisions leave public view. Idempotent: a second run with
nothing new changes nothing. Run after every applied batch and daily (``xinyong
publicity_sweep``); each run is one transaction and one audit event."""

import datetime
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.db.models import Case, F, Max, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.choices import PublicityMode
from xinyong.core import workdays
from xinyong.disclosure import selectors
from xinyong.disclosure.choices import FeedAction
from xinyong.disclosure.choices import PublicationStatus as S
from xinyong.disclosure.models import Publication
from xinyong.disclosure.rules import DEADLINE_WORKDAYS, WITHDRAW_WORKDAYS, penalty_period
from xinyong.exchange.choices import Feed
from xinyong.exchange.log import changes_append_query
from xinyong.records.models import Record

CHUNK = 5000
_FIELDS = [
    "record_version", "item_code", "provider_id", "decision_date", "received_at", "deadline",
    "penalty_class", "public_until", "min_until", "status", "ended_at", "withdrawn_at",
    "withdraw_deadline",
]  # fmt: skip


@dataclass
class SweepReport:
    refreshed: int = 0  # new or changed records whose publication was (re)computed
    published: int = 0
    not_published: int = 0
    ended: int = 0
    withdrawn: int = 0
    calendar_missing: int = 0  # deadlines that could not be computed (alarm)


def _deadline(day: datetime.date | None, cache: dict, report: SweepReport,
              n: int = DEADLINE_WORKDAYS):  # fmt: skip
    """``n`` working days after ``day``; None (counted as an alarm) where the calendar
    does not reach."""
    if day is None:
        return None
    if (day, n) not in cache:
        try:
            cache[day, n] = workdays.add_workdays(day, n)
        except workdays.CalendarNotCovered:
            cache[day, n] = None
    if cache[day, n] is None:
        report.calendar_missing += 1
    return cache[day, n]


def _refresh(items: dict[str, str], now, report: SweepReport, record_ids=None) -> None:
    """Compute the publication of records that have none or changed since (set-based reads
    in chunks, one upsert per chunk); only of ``record_ids`` when given."""
    rules = selectors.publicity_rules()
    deadlines: dict = {}
    stale = Record.objects.filter(item_code__in=list(items)).filter(
        Q(publication__isnull=True) | ~Q(publication__record_version=F("version"))
    )
    if record_ids is not None:
        ids = sorted(record_ids)
        slices = [Q(pk__in=ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    else:
        bounds = Record.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
        if bounds["lo"] is None:
            return
        # Ranges of ids, not LIMIT pages: each query joins only its own slice of the records.
        slices = [
            Q(pk__gt=lo, pk__lte=lo + CHUNK) for lo in range(bounds["lo"] - 1, bounds["hi"], CHUNK)
        ]
    for part in slices:
        chunk = list(
            stale.filter(part).only(
                "id", "version", "item_code", "provider_id", "decision_date", "received_at",
                "valid_to", "status", "data",
            )
        )  # fmt: skip
        if not chunk:
            continue
        rows = []
        for r in chunk:
            p = Publication(
                record_id=r.pk, record_version=r.version, item_code=r.item_code,
                provider_id=r.provider_id, decision_date=r.decision_date,
                received_at=r.received_at, deadline=_deadline(r.decision_date, deadlines, report),
                status=S.PENDING, penalty_class="",
            )  # fmt: skip
            if r.status == "withdrawn":  # its version's receipt is the notice
                p.status, p.ended_at, p.withdrawn_at = S.WITHDRAWN, now, r.received_at
                notice = timezone.localdate(r.received_at)
                p.withdraw_deadline = _deadline(notice, deadlines, report, WITHDRAW_WORKDAYS)
                report.withdrawn += 1
            elif items[r.item_code] == PublicityMode.WHILE_VALID:
                p.public_until = r.valid_to
            elif r.decision_date is not None:
                period = penalty_period(r.data, r.decision_date, rules)
                p.penalty_class = period.penalty_class
                p.public_until, p.min_until = period.public_until, period.min_until
                if not period.publish:
                    p.status = S.NOT_PUBLISHED
            rows.append(p)
        Publication.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["record"], update_fields=_FIELDS
        )
        gone = [p.record_id for p in rows if p.status in (S.WITHDRAWN, S.NOT_PUBLISHED)]
        if gone:
            _log(Publication.objects.filter(record_id__in=gone), FeedAction.UNPUBLISH, now)
        report.refreshed += len(rows)


def _log(publications, action: str, now) -> None:
    """Tell the change log (the outbound feed) of these publications entering or leaving
    public view, in record order; set-based."""
    qs = publications.annotate(o=F("record_id"), s=F("record__subject_id"), k=F("record_id"))
    changes_append_query(Feed.PUBLICITY, action, qs, now)


def publications_end(records, *, now) -> int:
    """Take the publications of these records out of public view at once (their records
    left the credit file), telling the feed; the number taken down."""
    shown = Publication.objects.filter(record__in=records, status__in=[S.PUBLIC, S.PENDING])
    _log(shown.filter(status=S.PUBLIC), FeedAction.UNPUBLISH, now)
    return shown.update(status=S.ENDED, ended_at=now)


def publications_withdraw(record_ids, *, now) -> None:
    """Withdrawn records leave public view at once — the sweep's own computation, for these
    records only, in the caller's transaction (the withdrawal, audited by its caller). Their
    withdrawal notice is the withdrawing version's receipt, as in the sweep."""
    _refresh(selectors.dual_publicity_items(), now, SweepReport(), record_ids)


def publication_sweep(*, actor: Actor, now: datetime.datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = SweepReport()
    items = selectors.dual_publicity_items()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:  # one sweep at a time (two workers, two batches)
                cur.execute("SELECT pg_advisory_xact_lock(727002)")
        _refresh(items, now, report)
        pending = Publication.objects.filter(status=S.PENDING)
        report.ended += pending.filter(public_until__lt=today).update(status=S.ENDED, ended_at=now)
        _log(pending, FeedAction.PUBLISH, now)
        report.published = pending.update(
            status=S.PUBLIC,
            published_at=Coalesce(F("published_at"), Value(now)),
            on_time=Coalesce(
                F("on_time"),
                Case(When(deadline__gte=today, then=Value(True)),
                     When(deadline__isnull=False, then=Value(False)), default=None),
            ),
        )  # fmt: skip
        report.not_published = Publication.objects.filter(
            status=S.NOT_PUBLISHED, ended_at__isnull=True
        ).update(ended_at=now)
        over = Publication.objects.filter(status=S.PUBLIC, public_until__lt=today)
        _log(over, FeedAction.UNPUBLISH, now)
        report.ended += over.update(status=S.ENDED, ended_at=now)
        audit_event_append(
            actor=actor,
            action=AuditAction.PUBLICATION_SWEEP,
            object_type="publication",
            object_id=today.isoformat(),
            detail=asdict(report),
        )
    return report
