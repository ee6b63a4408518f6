"""Working days by China's official calendar: holidays and make-up working days (调休) from
`chinesecalendar`, corrected and extended by the operator's override table. Deadlines of
the platform (publication within 7 working days, objections, repair) are counted here.

A day in a year that neither the shipped calendar nor a year the operator confirmed covers
raises :class:`CalendarNotCovered`: a deadline is never silently computed on weekdays alone.

Counting: the day of the event is not counted; ``add_workdays(d, 7)`` is the 7th working day
after ``d`` — the last day on which something due "within 7 working days" is on time."""

import bisect
import datetime
import time
from dataclasses import dataclass

import chinese_calendar

_TTL = 60.0  # seconds a process keeps the override table before reading it again


class CalendarNotCovered(Exception):
    """The working-day calendar has no data for a year: the operator must enter it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"工作日历未覆盖 {year} 年：请平台运营人员按国务院办公厅当年放假安排录入"
            f"节假日和调休上班日，并确认该年度（xinyong workdays confirm {year}）"
        )


def _shipped(day: datetime.date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@dataclass
class _Table:
    overrides: dict[datetime.date, bool]
    confirmed: frozenset[int]
    loaded: float
    years: dict[int, list[int]]  # ordinals of each year's working days, filled on demand


_table: _Table | None = None


def _load() -> _Table:
    global _table
    if _table is None or time.monotonic() - _table.loaded > _TTL:
        from xinyong.core.models import CalendarYear, WorkdayOverride

        _table = _Table(
            overrides=dict(WorkdayOverride.objects.values_list("day", "is_workday")),
            confirmed=frozenset(CalendarYear.objects.values_list("year", flat=True)),
            loaded=time.monotonic(),
            years={},
        )
    return _table


def forget() -> None:
    """Drop the cached table (after the operator changed it, and in tests)."""
    global _table
    _table = None


def is_workday(day: datetime.date) -> bool:
    t = _load()
    if day in t.overrides:
        return t.overrides[day]
    shipped = _shipped(day)
    if shipped is not None:
        return shipped
    if day.year in t.confirmed:
        return day.weekday() < 5
    raise CalendarNotCovered(day.year)


def _workdays_of(year: int) -> list[int]:
    """Ordinals of a year's working days (cached with the table)."""
    t = _load()
    if year not in t.years:
        first = datetime.date(year, 1, 1).toordinal()
        last = datetime.date(year, 12, 31).toordinal()
        t.years[year] = [
            n for n in range(first, last + 1) if is_workday(datetime.date.fromordinal(n))
        ]
    return t.years[year]


def add_workdays(start: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``start`` (``n`` ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    year = start.year
    days = _workdays_of(year)
    i = bisect.bisect_right(days, start.toordinal())
    while i + n - 1 >= len(days):
        n -= len(days) - i
        year += 1
        days = _workdays_of(year)
        i = 0
    return datetime.date.fromordinal(days[i + n - 1])


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    total = 0
    for year in range(start.year, end.year + 1):
        days = _workdays_of(year)
        lo = bisect.bisect_right(days, start.toordinal())
        hi = bisect.bisect_right(days, end.toordinal())
        total += hi - lo
    return total


def overrides_of(year: int):
    """The operator's changes to ``year``, by day."""
    from xinyong.core.models import WorkdayOverride

    return WorkdayOverride.objects.filter(day__year=year).order_by("day")


def uncovered_years(years) -> list[int]:
    """Of ``years``, those neither shipped nor confirmed by the operator."""
    t = _load()
    return [y for y in years if y not in t.confirmed and _shipped(datetime.date(y, 6, 1)) is None]


ALARM_DAYS = 60  # how long before a year begins its missing calendar is an alarm


def alarm_years(today: datetime.date) -> list[int]:
    """Years whose missing calendar stops deadlines now or soon: this year, and the next
    one within ``ALARM_DAYS`` of its start."""
    years = [today.year]
    if (datetime.date(today.year, 12, 31) - today).days <= ALARM_DAYS:
        years.append(today.year + 1)
    return uncovered_years(years)


# The shipped calendar names holidays in English; the month view shows the notice's names.
_HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class CalendarDay:
    """One day of the month view. ``kind``: ``working``, ``weekend``, ``holiday``,
    ``makeup`` (a weekend day worked, 调休上班) or ``uncovered`` (no calendar for the year)."""

    day: datetime.date
    kind: str
    name: str = ""  # the holiday's name, from the notice (or the shipped calendar)


def month_days(year: int, month: int) -> list[list[CalendarDay | None]]:
    """The weeks (Monday first) of a month, each day with its kind: the back office's
    month view of the working-day calendar. Reads the same table deadlines are counted on."""
    t = _load()
    first = datetime.date(year, month, 1)
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    names = {o.day: o.name for o in overrides_of(year).filter(day__month=month)}
    cells: list[CalendarDay | None] = [None] * first.weekday()
    day = first
    while day < following:
        weekend = day.weekday() >= 5
        try:
            working = is_workday(day)
        except CalendarNotCovered:
            cells.append(CalendarDay(day, "uncovered"))
            day += datetime.timedelta(days=1)
            continue
        name = names.get(day, "")
        if not name and day not in t.overrides:
            try:
                name = _HOLIDAY_NAMES.get(chinese_calendar.get_holiday_detail(day)[1] or "", "")
            except NotImplementedError:
                name = ""
        if working:
            kind = "makeup" if weekend else "working"
        else:
            kind = "weekend" if weekend and not (day in t.overrides or name) else "holiday"
        if kind in ("working", "weekend"):
            name = ""
        cells.append(CalendarDay(day, kind, name))
        day += datetime.timedelta(days=1)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]
