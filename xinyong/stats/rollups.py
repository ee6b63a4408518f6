"""The statistics' rollups: records collected (``RecordDaily``) and credit checks
(``CheckDaily``, ``CheckMeasureDaily``), kept up to a watermark; dual publicity
(``PublicationDaily``, ``PublishedDaily``), rebuilt.

Built set-based: one ``GROUP BY`` over the records stored since the last watermark, added to
the rows already there. The watermark is the start of the oldest transaction still open (on
PostgreSQL), as the evaluation's data time: a batch that stamped its records before the
refresh but commits after it is counted live until the next refresh, never lost between
the two. The daily upkeep refreshes it; ``stats_rollup`` (a full rebuild) after a bulk load.
A province rebuilds the rollups on a batch engine instead (``stats_rebuild``): the engine
counts an export, ``records_rollup_replace``, ``publications_rollup_replace`` and
``checks_rollup_replace`` write its rows and the export's data time as the mark.
Derived figures, not a user's act: no audit event (the records' own events are the
trail)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinyong.core.bulkcopy import insert_rows
from xinyong.core.localday import day_bounds
from xinyong.core.watermark import data_time
from xinyong.disclosure.choices import PublicationStatus
from xinyong.disclosure.models import Publication
from xinyong.records.models import Record
from xinyong.sanctions.choices import CheckStatus
from xinyong.sanctions.models import CheckFeedback, CreditCheck
from xinyong.stats.models import (
    CheckDaily,
    CheckMeasureDaily,
    PublicationDaily,
    PublishedDaily,
    RecordDaily,
    RollupMark,
)

RECORDS = "records"
PUBLICATIONS = "publications"
CHECKS = "checks"


def _mark(name: str, *, lock: bool = False) -> datetime.datetime | None:
    """Up to when the rollup ``name`` counts (None: not built yet, everything is live);
    ``lock``: its row locked until the transaction ends (a refresh, a rebuild)."""
    qs = RollupMark.objects.filter(name=name)
    return (qs.select_for_update() if lock else qs).values_list("until", flat=True).first()


def live_from(since: datetime.datetime | None, mark: datetime.datetime | None):
    """Where a figure's live part starts: at ``since``, or at the rollup's mark when that
    is later (the rollup counts what came before it); None: unbounded."""
    if mark is None or (since is not None and since > mark):
        return since
    return mark


def records_mark() -> datetime.datetime | None:
    """Up to when ``RecordDaily`` counts (None: no rollup yet, everything is live)."""
    return _mark(RECORDS)


def publications_mark() -> datetime.datetime | None:
    """When ``PublicationDaily`` was last rebuilt (None: never, the chart counts live)."""
    return _mark(PUBLICATIONS)


def daily_counts(qs):
    """Records per (day, provider, item) of ``qs``: the one GROUP BY of records collected,
    used for the rollup and for the live part after its watermark."""
    tz = timezone.get_current_timezone()
    return (
        qs.annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("day", "provider_id", "item_code")
        .annotate(n=Count("pk"))
        .order_by()
    )


def after_mark(qs, mark: datetime.datetime | None):
    """The records of ``qs`` stored at or after ``mark`` (found on the ``updated_at``
    index: a record is changed no earlier than it was stored)."""
    if mark is None:
        return qs
    return qs.filter(updated_at__gte=mark, created_at__gte=mark)


def records_rollup_refresh(*, now: datetime.datetime | None = None, rebuild: bool = False) -> int:
    """Add the records stored since the watermark to the rollup (``rebuild``: count every
    record again); returns the number of rollup rows written."""
    now = now or timezone.now()
    until = data_time(now)
    with transaction.atomic():
        # the mark's row locked: two refreshes at once would add the same records twice
        current = _mark(RECORDS, lock=True)  # locked even for a rebuild
        mark = None if rebuild else current
        if rebuild:
            RecordDaily.objects.all().delete()
        if mark is not None and until <= mark:
            return 0
        rows = list(daily_counts(after_mark(Record.objects.filter(created_at__lt=until), mark)))
        days = {r["day"] for r in rows}
        had = {
            (d.day, d.provider_id, d.item_code): d.n
            for d in RecordDaily.objects.filter(day__in=days)
        }
        RecordDaily.objects.bulk_create(
            [
                RecordDaily(
                    day=r["day"],
                    provider_id=r["provider_id"],
                    item_code=r["item_code"],
                    n=r["n"] + had.get((r["day"], r["provider_id"], r["item_code"]), 0),
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["day", "provider_id", "item_code"],
            update_fields=["n"],
            batch_size=2000,
        )
        RollupMark.objects.update_or_create(
            name=RECORDS, defaults={"until": until, "built_at": now}
        )
    return len(rows)


class RollupStale(Exception):
    """Rows counted up to a moment before the rollup's watermark: written, they would take
    the rollup back in time (and the records between the two would be counted nowhere)."""

    def __init__(self, until: datetime.datetime, mark: datetime.datetime):
        super().__init__(until, mark)
        self.until, self.mark = until, mark


def records_rollup_replace(
    chunks: Iterable[list[tuple]],
    *,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> int:
    """The rollup's full rebuild with rows counted elsewhere — a batch engine's, from an
    export whose data time is ``until``: (day, provider_id, item_code, n) of every record
    first stored before ``until``, in chunks. In one transaction, the mark's row locked:
    the old rows deleted, the new ones written in bulk (COPY; SQLite: executemany), the
    watermark set to ``until``, so the records stored after it are counted live as after
    any refresh. Refused (:class:`RollupStale`, nothing written) when ``until`` is before
    the watermark; returns the number of rows written."""
    now = now or timezone.now()
    columns = ("day", "provider_id", "item_code", "n")
    n = 0
    with transaction.atomic():
        current = _mark(RECORDS, lock=True)
        if current is not None and until < current:
            raise RollupStale(until, current)
        RecordDaily.objects.all().delete()
        with connection.cursor() as cur:
            for chunk in chunks:
                rows = [(_as_date(d).isoformat(), p, i, c) for d, p, i, c in chunk]
                insert_rows(cur, RecordDaily._meta.db_table, columns, rows)
                n += len(rows)
        RollupMark.objects.update_or_create(
            name=RECORDS, defaults={"until": until, "built_at": now}
        )
    return n


def publications_rollup_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Count every publication again per decision day, department and item: decided,
    published on time, late (the sweep's ``on_time``, as the timeliness report counts it)
    and pending — one GROUP BY, the old rows replaced in one transaction; and per day it
    went public and department, published and on time (``PublishedDaily``, the
    scorecards'), up to the same mark: the data time, as the records' (a sweep that stamped
    its publications before it but commits after is counted live, not lost)."""
    now = now or timezone.now()
    until = data_time(now)
    rows = (
        Publication.objects.filter(decision_date__isnull=False)
        .values_list("decision_date", "provider_id", "item_code")
        .annotate(
            total=Count("pk"),
            on_time_n=Count("pk", filter=Q(on_time=True)),
            late_n=Count("pk", filter=Q(on_time=False)),
            pending_n=Count("pk", filter=Q(status=PublicationStatus.PENDING)),
        )
        .order_by()
    )
    tz = timezone.get_current_timezone()
    published = (
        Publication.objects.filter(on_time__isnull=False, published_at__lt=until)
        .annotate(day=TruncDate("published_at", tzinfo=tz))
        .values_list("day", "provider_id")
        .annotate(n=Count("pk"), on_time_n=Count("pk", filter=Q(on_time=True)))
        .order_by()
    )
    with transaction.atomic():
        _mark(PUBLICATIONS, lock=True)
        return _publications_write(
            _chunked(rows.iterator(chunk_size=5000)), _chunked(published.iterator(chunk_size=5000)),
            until=until, now=now,
        )  # fmt: skip


def publications_rollup_replace(
    daily: Iterable[list[tuple]],
    published: Iterable[list[tuple]],
    *,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> int:
    """The dual publicity rollups' full rebuild with rows counted elsewhere — a batch
    engine's, from an export whose data time is ``until``: ``daily`` the rows of
    ``PublicationDaily`` (day, provider_id, item_code, total, on_time, late, pending),
    ``published`` those of ``PublishedDaily`` (day, provider_id, published, on_time), in
    chunks. In one transaction, the mark's row locked, as ``records_rollup_replace``:
    refused (:class:`RollupStale`, nothing written) when ``until`` is before the mark;
    returns the number of ``PublicationDaily`` rows written."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _mark(PUBLICATIONS, lock=True)
        if current is not None and until < current:
            raise RollupStale(until, current)
        return _publications_write(daily, published, until=until, now=now)


def _chunked(rows: Iterable[tuple], size: int = 5000) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _publications_write(daily, published, *, until, now) -> int:
    """Both dual publicity rollups replaced by the rows given (in chunks, written by COPY;
    SQLite: executemany) and the mark set to ``until``; inside the caller's transaction."""
    n = 0
    with connection.cursor() as cur:
        PublishedDaily.objects.all().delete()
        for chunk in published:
            rows = [(_as_date(d).isoformat(), p, total, on) for d, p, total, on in chunk]
            insert_rows(cur, PublishedDaily._meta.db_table,
                        ("day", "provider_id", "published", "on_time"), rows)  # fmt: skip
        PublicationDaily.objects.all().delete()
        for chunk in daily:
            rows = [(_as_date(d).isoformat(), *rest) for d, *rest in chunk]
            insert_rows(cur, PublicationDaily._meta.db_table,
                        ("day", "provider_id", "item_code", "total", "on_time", "late",
                         "pending"), rows)  # fmt: skip
            n += len(rows)
    RollupMark.objects.update_or_create(
        name=PUBLICATIONS, defaults={"until": until, "built_at": now}
    )
    return n


# -- credit checks ---------------------------------------------------------------------------
def checks_mark() -> datetime.datetime | None:
    """Up to when ``CheckDaily`` counts (None: no rollup yet, every check is counted live)."""
    return _mark(CHECKS)


def check_counts(qs):
    """Checks of ``qs`` per (day, checking department): made, hit a list, hits answered
    with feedback (反馈) — the one GROUP BY of the checks chart, for the rollup and for the
    live part after its watermark."""
    tz = timezone.get_current_timezone()
    hit = Q(status=CheckStatus.HIT)
    answered = Exists(CheckFeedback.objects.filter(credit_check=OuterRef("pk")))
    return (
        qs.annotate(day=TruncDate("at", tzinfo=tz), fb=answered)
        .values("day", "department_id")
        .annotate(
            total=Count("pk"),
            hits=Count("pk", filter=hit),
            answered=Count("pk", filter=hit & Q(fb=True)),
        )
        .order_by()
    )


def measure_counts(
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    days=None,
    department_ids=None,
) -> list[tuple]:
    """The measures of the checks made in [since, until) (or on ``days``, local days, and
    before ``until``), per (day, checking department, measure code): returned and not
    suspended, of those answered, and every answer applied and not applied (as
    ``effectiveness`` counts them). The measures are read from the check log's JSON (a row
    a measure) by each database's own JSON functions; the answers from the feedback table."""
    ranges = [(since, until)]
    if days is not None:
        ranges = [(lo, hi if until is None else min(hi, until))
                  for lo, hi in map(day_bounds, days)]  # fmt: skip
    found: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for key, returned, answered in _returned(ranges, department_ids):
        found[key][0], found[key][1] = returned, answered
    q = Q(pk__in=[])
    for lo, hi in ranges:
        q |= Q(**{k: v for k, v in (("credit_check__at__gte", lo), ("credit_check__at__lt", hi))
                  if v is not None})  # fmt: skip
    feedback = CheckFeedback.objects.filter(q)
    if department_ids is not None:
        feedback = feedback.filter(credit_check__department_id__in=department_ids)
    tz = timezone.get_current_timezone()
    rows = (
        feedback.annotate(day=TruncDate("credit_check__at", tzinfo=tz))
        .values_list("day", "credit_check__department_id", "measure__code")
        .annotate(y=Count("pk", filter=Q(applied=True)), n=Count("pk", filter=Q(applied=False)))
        .order_by()
    )
    for day, dept, code, y, n in rows:
        found[day, dept, code][2:] = [y, n]
    return [(*key, *counts) for key, counts in found.items()]


def measure_rows(
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    department_ids=None,
) -> list[tuple]:
    """``measure_counts``' rows for the checks made in [since, until) (local midnights;
    None: unbounded): the rollup's days before its watermark, the checks after it counted
    live — what the effect figures (``check_answers``) and the scorecards read."""
    rolled = CheckMeasureDaily.objects.all()
    if since is not None:
        rolled = rolled.filter(day__gte=timezone.localdate(since))
    if until is not None:
        rolled = rolled.filter(day__lt=timezone.localdate(until))
    if department_ids is not None:
        rolled = rolled.filter(department_id__in=department_ids)
    rows = list(rolled.values_list("day", "department_id", "measure_code", "returned",
                                   "answered", "applied", "not_applied"))  # fmt: skip
    mark = checks_mark()
    lo = live_from(since, mark)
    if lo is None or until is None or lo < until:
        rows += measure_counts(since=lo, until=until, department_ids=department_ids)
    return rows


def check_answers(
    *,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    department_id: int | None = None,
) -> dict[tuple[int, str], list[int]]:
    """Per (checking department, measure code): the answers, applied and not applied, to
    the measures of the checks made in [since, until) — the effect figures of
    ``sanctions.selectors.effectiveness`` (跟踪问效) and the dashboards."""
    per: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    ids = None if department_id is None else [department_id]
    for _day, d, code, _r, _a, y, n in measure_rows(since=since, until=until,
                                                    department_ids=ids):  # fmt: skip
        per[d, code][0] += y
        per[d, code][1] += n
    return per


def _returned(ranges, department_ids) -> list[tuple]:
    """((day, department, measure code), returned and not suspended, answered of those)."""
    tz = timezone.get_current_timezone_name()
    day_sql, params = connection.ops.datetime_cast_date_sql("c.at", (), tz)
    params = list(params)
    adapt = connection.ops.adapt_datetimefield_value
    spans = []
    for lo, hi in ranges:
        span = ["1 = 1"]
        if lo is not None:
            span.append("c.at >= %s")
            params.append(adapt(lo))
        if hi is not None:
            span.append("c.at < %s")
            params.append(adapt(hi))
        spans.append(f"({' AND '.join(span)})")
    where = [f"({' OR '.join(spans) or '1 = 0'})"]
    if department_ids is not None:
        where.append(f"c.department_id IN ({', '.join(['%s'] * len(department_ids)) or 'NULL'})")
        params += list(department_ids)
    if connection.vendor == "postgresql":
        source = "CROSS JOIN LATERAL jsonb_array_elements_text(c.result -> 'measures') AS r(code)"
        code = "r.code"
        kept = "NOT jsonb_exists(COALESCE(c.result -> 'suspended', '[]'::jsonb), r.code)"
    else:
        source = ", json_each(c.result, '$.measures') AS r"
        code = "r.value"
        kept = (
            "NOT EXISTS (SELECT 1 FROM json_each(c.result, '$.suspended') s"
            " WHERE s.value = r.value)"
        )
    # The text is this function's own; every value is a parameter.
    sql = (
        f"SELECT {day_sql}, c.department_id, {code}, COUNT(*), COUNT(f.id)"  # noqa: S608
        f" FROM sanctions_creditcheck c {source}"
        f" JOIN sanctions_measure m ON m.code = {code}"
        " LEFT JOIN sanctions_checkfeedback f ON f.credit_check_id = c.id AND f.measure_id = m.id"
        f" WHERE {' AND '.join(where)} AND {kept} GROUP BY 1, 2, 3"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [((_as_date(d), dept, m), a, b) for d, dept, m, a, b in cur.fetchall()]


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _days_q(days) -> Q:
    """Checks made on any of ``days`` (local days), as ranges of the ``at`` index."""
    q = Q(pk__in=[])
    for d in days:
        lo, hi = day_bounds(d)
        q |= Q(at__gte=lo, at__lt=hi)
    return q


def checks_rollup_refresh(*, now: datetime.datetime | None = None, rebuild: bool = False) -> int:
    """Count again every day with checks made or feedback given since the watermark
    (``rebuild``: every day); returns the number of rollup rows written. A day is always
    counted whole, up to the new watermark, so a check is in the rollup or live, never
    both."""
    now = now or timezone.now()
    until = data_time(now)
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        # the mark's row locked: two refreshes at once would count a day twice
        current = _mark(CHECKS, lock=True)  # locked even for a rebuild
        mark = None if rebuild else current
        if mark is not None and until <= mark:
            return 0
        checks = CreditCheck.objects.filter(at__lt=until)
        if mark is None:
            CheckDaily.objects.all().delete()
            CheckMeasureDaily.objects.all().delete()
        else:
            answered = CheckFeedback.objects.filter(at__gte=mark).values("credit_check_id")
            days = set()
            for touched in (checks.filter(at__gte=mark), checks.filter(pk__in=answered)):
                found = touched.annotate(day=TruncDate("at", tzinfo=tz)).values_list("day")
                days.update(d for (d,) in found.distinct().order_by())
            CheckDaily.objects.filter(day__in=days).delete()
            CheckMeasureDaily.objects.filter(day__in=days).delete()
            checks = checks.filter(_days_q(sorted(days)))
        if mark is not None and not days:
            rows, measures = [], []
        else:
            rows = list(check_counts(checks).values_list("day", "department_id", "total", "hits",
                                                         "answered"))  # fmt: skip
            measures = measure_counts(until=until, days=None if mark is None else sorted(days))
        return _checks_write([rows], [measures], until=until, now=now)


def checks_rollup_replace(
    daily: Iterable[list[tuple]],
    measures: Iterable[list[tuple]],
    *,
    until: datetime.datetime,
    now: datetime.datetime | None = None,
) -> int:
    """The credit check rollups' full rebuild with rows counted elsewhere — a batch
    engine's, from an export whose data time is ``until``: ``daily`` the rows of
    ``CheckDaily`` (day, department_id, total, hits, answered), ``measures`` those of
    ``CheckMeasureDaily`` (day, department_id, measure_code, returned, answered, applied,
    not_applied), in chunks. In one transaction, the mark's row locked, as
    ``records_rollup_replace``: refused (:class:`RollupStale`, nothing written) when
    ``until`` is before the mark; returns the number of ``CheckDaily`` rows written."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _mark(CHECKS, lock=True)
        if current is not None and until < current:
            raise RollupStale(until, current)
        CheckDaily.objects.all().delete()
        CheckMeasureDaily.objects.all().delete()
        return _checks_write(daily, measures, until=until, now=now)


def _checks_write(daily, measures, *, until, now) -> int:
    """Rows added to both credit check rollups (in chunks, written by COPY; SQLite:
    executemany) and the mark set to ``until``; inside the caller's transaction, after it
    deleted the days the rows replace."""
    n = 0
    with connection.cursor() as cur:
        for chunk in daily:
            rows = [(_as_date(d).isoformat(), *rest) for d, *rest in chunk]
            insert_rows(cur, CheckDaily._meta.db_table,
                        ("day", "department_id", "total", "hits", "answered"), rows)  # fmt: skip
            n += len(rows)
        for chunk in measures:
            rows = [(_as_date(d).isoformat(), *rest) for d, *rest in chunk]
            insert_rows(cur, CheckMeasureDaily._meta.db_table,
                        ("day", "department_id", "measure_code", "returned", "answered",
                         "applied", "not_applied"), rows)  # fmt: skip
    RollupMark.objects.update_or_create(name=CHECKS, defaults={"until": until, "built_at": now})
    return n
