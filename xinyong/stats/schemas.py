"""The dashboards' filters and the shape of a chart.

A filter comes from a query string that anyone can type: every bad value is refused naming
its field (all at once), so a typed date, an unknown department or a century-long period
answers in words (400), not with a crash or a silently different figure."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from xinyong.accounts.models import Department
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.inputs import form_date
from xinyong.core.localday import day_bounds, day_start, shift

FILTER_LABELS = {"date_from": _("起始日期"), "date_to": _("截止日期"), "department": _("部门")}
MAX_DAYS = 366 * 5  # a longer period is refused: the monthly axis would be unreadable
EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class StatsFilter:
    """A closed period [date_from, date_to] of local days and, optionally, one department
    (by primary key; None: every department the reader may see)."""

    date_from: datetime.date
    date_to: datetime.date
    department_id: int | None = None

    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as [since, until) aware datetimes, for timestamp columns."""
        return day_start(self.date_from), day_bounds(self.date_to)[1]

    def query(self, department_code: str = "") -> str:
        """The filter as a query string (the XLSX links carry the page's filter)."""
        q = f"date_from={self.date_from.isoformat()}&date_to={self.date_to.isoformat()}"
        return q + (f"&department={department_code}" if department_code else "")


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, from the first day of the month eleven months back."""
    return shift(today.replace(day=1), -11), today


def stats_filter(params, *, today: datetime.date) -> tuple[StatsFilter, str]:
    """The filter of a query string, and the department code it named ("" for none)."""
    errors: list[FieldError] = []
    dates: dict[str, datetime.date | None] = {}
    for name in ("date_from", "date_to"):
        try:
            dates[name] = form_date(params.get(name), name)
        except ValidationFailed as e:
            errors.extend(e.errors)
            dates[name] = None
        else:
            latest = today + datetime.timedelta(days=366)
            if dates[name] is not None and not EARLIEST <= dates[name] <= latest:
                errors.append(
                    FieldError(name, "out_of_range", str(_("日期应在 2000 年至明年之间")))
                )
                dates[name] = None
    start, end = default_period(today)
    date_from, date_to = dates["date_from"] or start, dates["date_to"] or end
    if not errors and date_to < date_from:
        errors.append(FieldError("date_to", "before_start", str(_("截止日期不能早于起始日期"))))
    elif not errors and (date_to - date_from).days > MAX_DAYS:
        errors.append(
            FieldError("date_from", "too_long", str(_("统计期间不能超过 5 年，请缩短期间")))
        )
    code = str(params.get("department") or "").strip()
    department_id = None
    if code:
        department_id = (
            Department.objects.filter(code=code).values_list("pk", flat=True).first()
            if len(code) <= 64
            else None
        )
        if department_id is None:
            errors.append(
                FieldError("department", "unknown", str(_("没有这个部门，请从列表中选择")))
            )
    if errors:
        raise ValidationFailed(errors)
    return StatsFilter(date_from, date_to, department_id), code


@dataclass
class Chart:
    """One chart of a dashboard: what ECharts draws (``categories`` along the axis, one
    series per name) and the same figures as a table (``columns`` + ``rows``, names never
    codes) for screen readers and for the XLSX download."""

    key: str
    title: str
    kind: str  # "bar" (grouped), "stack" (stacked bars), "pie"
    categories: list[str]
    series: list[tuple[str, list]]
    columns: list[str]
    rows: list[list]
    note: str = ""
    extra: dict = field(default_factory=dict)

    def data(self) -> dict:
        """What the page's script reads (through ``json_script``)."""
        return {
            "kind": self.kind,
            "title": str(self.title),
            "categories": [str(c) for c in self.categories],
            "series": [{"name": str(n), "data": d} for n, d in self.series],
        }
