"""Credit checks per day and checking department (``CheckDaily``) and their measures
(``CheckMeasureDaily``), kept up to a watermark (a day is always counted whole); rebuilt
whole in the database or from a batch engine's rows."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from xinyong.core.localday import day_bounds
from xinyong.core.watermark import data_time
from xinyong.sanctions.choices import CheckStatus
from xinyong.sanctions.models import CheckFeedback, CreditCheck
from xinyong.stats.models import CheckDaily, CheckMeasureDaily, RollupMark
from xinyong.stats.rollups.common import (
    CHECKS,
    _as_date,
    _lock_fresh,
    _mark,
    _rows_write,
    live_from,
)


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
        _lock_fresh(CHECKS, until)
        CheckDaily.objects.all().delete()
        CheckMeasureDaily.objects.all().delete()
        return _checks_write(daily, measures, until=until, now=now)


def _checks_write(daily, measures, *, until, now) -> int:
    """Rows added to both credit check rollups (in chunks, written by COPY; SQLite:
    executemany) and the mark set to ``until``; inside the caller's transaction, after it
    deleted the days the rows replace."""
    n = _rows_write(CheckDaily, ("day", "department_id", "total", "hits", "answered"), daily)
    _rows_write(CheckMeasureDaily, ("day", "department_id", "measure_code", "returned",
                                    "answered", "applied", "not_applied"), measures)  # fmt: skip
    RollupMark.objects.update_or_create(name=CHECKS, defaults={"until": until, "built_at": now})
    return n
