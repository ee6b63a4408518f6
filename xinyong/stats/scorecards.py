"""Effectiveness scorecards (跟踪问效): per department and month, how far it did what the
rules ask of it — decisions supplied for publication on time, batches accepted, measures
answered after credit checks and joint actions, objections and repairs decided by their
due dates, commitments checked. Each figure is a numerator over a denominator with its
rate and the change from the month before.

What "on time" means is never decided here: it is the owning app's rule, read from where
it is kept — ``Publication.on_time`` (the publicity sweep), ``ingest.models.ACCEPTED_FIELDS``,
``remedies.selectors.decided_on_time_q``, ``commitments.office.unchecked_q``,
``Measure.implemented_by``. Every figure is one aggregate query grouped by department and
month (a ``CASE`` over the month boundaries, local time), on SQLite and PostgreSQL; the
measures the checks returned come from the checks' rollup (``stats/rollups.py``), the
checks after its watermark counted live.

Month attribution is chosen so that a finished month's figures stay as they were: a
publication counts in the month it was published, a batch in the month it finished, a
check or a joint-action task in the month it was made, an objection, a repair or a
commitment check in the month it was due (decided later is late for good)."""

import bisect
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.choices import DepartmentKind
from xinyong.accounts.models import Department
from xinyong.commitments.models import Commitment
from xinyong.commitments.office import unchecked_q
from xinyong.core.errors import FieldError, ValidationFailed
from xinyong.core.figures import pct
from xinyong.core.localday import day_start, shift
from xinyong.disclosure.models import Publication
from xinyong.ingest.choices import BatchStatus
from xinyong.ingest.models import ACCEPTED_FIELDS, Batch
from xinyong.remedies.models import Objection, RepairApplication
from xinyong.remedies.selectors import decided_on_time_q
from xinyong.sanctions.choices import TaskStatus
from xinyong.sanctions.models import ActionTask, Measure
from xinyong.stats.choices import Figure
from xinyong.stats.models import PublishedDaily
from xinyong.stats.rollups import live_from, measure_rows, publications_mark

# What each figure's numerator and denominator count, as the pages and reports name them.
DEFINITIONS = {
    Figure.PUBLICITY: (
        _("按时公示"), _("当月公示"),
        _("当月上网公示的行政许可、行政处罚决定中，在决定之日起 7 个工作日内报送的"),
    ),
    Figure.ACCEPTED: (
        _("合格行数"), _("报送行数"), _("当月处理完成的报送批次中，通过校验入库的数据行"),
    ),
    Figure.CHECK_FEEDBACK: (
        _("已反馈"), _("应反馈"),
        _("当月信用核查返回的、由本部门实施且未中止的奖惩措施中，已反馈实施情况的"),
    ),
    Figure.TASK_FEEDBACK: (
        _("已反馈"), _("当月任务"), _("当月发起的联合奖惩任务中，本部门已反馈实施情况的"),
    ),
    Figure.OBJECTIONS: (
        _("按时办结"), _("当月到期"), _("办结期限在当月的异议中，在期限内办结的"),
    ),
    Figure.REPAIRS: (
        _("按时办结"), _("当月到期"), _("办结期限在当月的信用修复申请中，在期限内办结的"),
    ),
    Figure.COMMITMENTS: (
        _("已核查"), _("当月到期"),
        _("核查期限在当月的信用承诺中，已核查（履约、违诺或终止）的"),
    ),
}  # fmt: skip

MONTH = re.compile(r"(\d{4})-(\d{2})")
TREND_MONTHS = 12


# -- months --------------------------------------------------------------------------------
def parse_month(raw, *, today: datetime.date | None = None, ended: bool = False) -> datetime.date:
    """``YYYY-MM`` as the month's first day; refused naming the field ``month``: not a
    month (``month.format``), after the current month (``month.future``), or with
    ``ended`` not yet over (``month.not_ended``)."""
    m = MONTH.fullmatch(raw) if isinstance(raw, str) else None
    if m is None or not (2000 <= int(m[1]) <= 2999 and 1 <= int(m[2]) <= 12):
        message = gettext("月份应为 YYYY-MM，如 2026-11")
        raise ValidationFailed([FieldError("month", "month.format", message)])
    first = datetime.date(int(m[1]), int(m[2]), 1)
    this = (today or timezone.localdate()).replace(day=1)
    if first > this:
        message = gettext("%(month)s 尚未开始") % {"month": raw}
        raise ValidationFailed([FieldError("month", "month.future", message)])
    if ended and first == this:
        message = gettext("%(month)s 尚未结束，月末后生成") % {"month": raw}
        raise ValidationFailed([FieldError("month", "month.not_ended", message)])
    return first


def label(first: datetime.date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def last_month(today: datetime.date) -> datetime.date:
    """The latest finished month: the one whose report is due."""
    return shift(today.replace(day=1), -1)


# -- the figures ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    rate: float | None  # percent, one decimal; None: nothing to count
    previous: float | None = None  # the month before
    change: float | None = None  # percentage points

    def as_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "rate": self.rate, "previous": self.previous, "change": self.change}  # fmt: skip


def _rate(now: tuple[int, int], before: tuple[int, int] | None) -> Rate:
    r = pct(*now)
    p = pct(*before) if before else None
    change = round(r - p, 1) if r is not None and p is not None else None
    return Rate(now[0], now[1], r, p, change)


Counts = dict[tuple[int, int], dict[str, tuple[int, int]]]


def counts(first: datetime.date, months: int, department_ids: list[int] | None = None) -> Counts:
    """``(department id, month index)`` → figure → ``(numerator, denominator)`` for the
    ``months`` months from ``first`` (index 0 is ``first``): one grouped query a figure."""
    days = [shift(first, i) for i in range(months + 1)]
    moments = [day_start(d) for d in days]
    out: Counts = {}
    for key, rows in (
        (Figure.PUBLICITY, _publicity(moments, department_ids)),
        (Figure.ACCEPTED, _accepted(moments, department_ids)),
        (Figure.CHECK_FEEDBACK, _check_feedback(moments, department_ids)),
        (Figure.TASK_FEEDBACK, _task_feedback(moments, department_ids)),
        (Figure.OBJECTIONS, _due(Objection, "provider_id", decided_on_time_q(), days,
                                 department_ids)),
        (Figure.REPAIRS, _due(RepairApplication, "department_id", decided_on_time_q(), days,
                              department_ids)),
        (Figure.COMMITMENTS, _checked(days, department_ids)),
    ):  # fmt: skip
        for dept, month, n, d in rows:
            if d:
                out.setdefault((dept, month), {})[key] = (int(n or 0), int(d))
    return out


def _bucket(name: str, bounds: list) -> Case:
    """The month index of ``name`` among ``bounds`` (rows are filtered to the range)."""
    whens = [When(**{f"{name}__lt": b}, then=Value(i)) for i, b in enumerate(bounds[1:])]
    return Case(*whens, output_field=IntegerField())


def _grouped(qs, dept: str, name: str, bounds: list, ids, numerator, denominator):
    qs = qs.filter(**{f"{name}__gte": bounds[0], f"{name}__lt": bounds[-1]})
    if ids is not None:
        qs = qs.filter(**{f"{dept}__in": ids})
    rows = (
        qs.annotate(month=_bucket(name, bounds))
        .values(dept, "month")
        .annotate(n=numerator, d=denominator)
        .order_by()
    )
    return [(r[dept], r["month"], r["n"], r["d"]) for r in rows]


def _publicity(moments, ids):
    """Publications by the month they went public; on time as the sweep decided it (a
    deadline the calendar could not compute is neither) — the rollup's days before its
    mark (``PublishedDaily``), the publications published after it counted live."""
    mark = publications_mark()
    since = live_from(moments[0], mark)
    live = Publication.objects.filter(on_time__isnull=False, published_at__gte=since)
    rows = _grouped(live, "provider_id", "published_at", moments, ids,
                    Count("pk", filter=Q(on_time=True)), Count("pk"))  # fmt: skip
    if mark is None:
        return rows
    days = [timezone.localdate(m) for m in moments]
    rolled = PublishedDaily.objects.filter(day__gte=days[0], day__lt=days[-1])
    if ids is not None:
        rolled = rolled.filter(provider_id__in=ids)
    per: dict[tuple[int, int], list[int]] = {}
    for dept, month, n, d in rows:
        per[dept, month] = [n, d]
    for day, dept, published, on_time in rolled.values_list("day", "provider_id", "published",
                                                             "on_time"):  # fmt: skip
        total = per.setdefault((dept, bisect.bisect_right(days, day) - 1), [0, 0])
        total[0] += on_time
        total[1] += published
    return [(dept, month, n, d) for (dept, month), (n, d) in per.items()]


def _accepted(moments, ids):
    """Rows of the batches finished in the month (a batch refused whole has no rows)."""
    accepted = sum((F(f) for f in ACCEPTED_FIELDS[1:]), F(ACCEPTED_FIELDS[0]))
    qs = Batch.objects.filter(status=BatchStatus.DONE)
    return _grouped(qs, "provider_id", "finished_at", moments, ids,
                    Sum(accepted), Sum(accepted + F("rejected")))  # fmt: skip


def _task_feedback(moments, ids):
    qs = ActionTask.objects.all()
    return _grouped(qs, "department_id", "action__initiated_at", moments, ids,
                    Count("pk", filter=~Q(status=TaskStatus.PENDING)), Count("pk"))  # fmt: skip


def _due(model, dept: str, on_time: Q, days, ids):
    return _grouped(model.objects.all(), dept, "decide_due", days, ids,
                    Count("pk", filter=on_time), Count("pk"))  # fmt: skip


def _checked(days, ids):
    return _grouped(Commitment.objects.all(), "department_id", "check_due", days, ids,
                    Count("pk", filter=~unchecked_q()), Count("pk"))  # fmt: skip


def _check_feedback(moments, ids):
    """Per checking department and month, each measure a check returned (not suspended):
    how many times, and how many of them the department answered — the checks' rollup
    (``CheckMeasureDaily``) before its watermark, the checks after it counted live. Which
    measures the department implements is ``Measure.implemented_by``, applied to the
    grouped rows (departments × measures)."""
    days = [timezone.localdate(m) for m in moments]
    found = measure_rows(since=moments[0], until=moments[-1], department_ids=ids)
    measures = {m.code: m for m in Measure.objects.only("code", "departments")}
    dept_codes = dict(Department.objects.values_list("pk", "code"))
    out: dict[tuple[int, int], list[int]] = {}
    for day, dept, measure, returned, answered, *_answers in found:
        m = measures.get(measure)
        if m is None or not m.implemented_by(dept_codes.get(dept, "")):
            continue
        total = out.setdefault((dept, bisect.bisect_right(days, day) - 1), [0, 0])
        total[0] += answered
        total[1] += returned
    return [(dept, month, n, d) for (dept, month), (n, d) in out.items()]


# -- scorecards as readers see them -----------------------------------------------------
@dataclass
class Card:
    """One department's scorecard of one month (``code`` for links only, never shown)."""

    department_id: int
    code: str
    name: str
    figures: dict[str, Rate] = field(default_factory=dict)


def scorecard_departments() -> list[Department]:
    """The departments that have a scorecard: every active one that supplies or acts, not
    the credit office itself (the monthly report lists them all)."""
    qs = Department.objects.filter(is_active=True).exclude(
        kind__in=(DepartmentKind.CREDIT_OFFICE, DepartmentKind.ASSOCIATION)
    )
    return list(qs.order_by("code"))


def departments_for(actor: Actor) -> list[Department]:
    """The departments whose scorecards ``actor`` sees (``Action.SCORECARD_VIEW``): every
    one for the credit office and the auditor, its own for a department's staff."""
    access.require(actor, Action.SCORECARD_VIEW)
    return [d for d in scorecard_departments() if access.allowed(actor, Action.SCORECARD_VIEW, d)]


def department_of(actor: Actor, code) -> Department:
    """A department by its code, for its scorecard: unknown is refused naming the field
    (``department.unknown``), another department's is refused by the access rule."""
    dept = Department.objects.filter(code=code).first() if isinstance(code, str) else None
    if dept is None:
        message = gettext("没有该部门")
        raise ValidationFailed([FieldError("department", "department.unknown", message)])
    access.require(actor, Action.SCORECARD_VIEW, dept)
    return dept


def cards(departments: list[Department], month: datetime.date) -> list[Card]:
    """Each department's scorecard of ``month`` with the change from the month before."""
    got = counts(shift(month, -1), 2, [d.pk for d in departments])
    out = []
    for d in departments:
        now, before = got.get((d.pk, 1), {}), got.get((d.pk, 0), {})
        figures = {k: _rate(now.get(k, (0, 0)), before.get(k)) for k in Figure.values}
        out.append(Card(d.pk, d.code, d.name, figures))
    return out


def month_cards(*, actor: Actor, month: datetime.date) -> list[Card]:
    return cards(departments_for(actor), month)


def trend(
    *, actor: Actor, code, month: datetime.date, months: int = TREND_MONTHS
) -> tuple[Department, list[tuple[str, dict[str, Rate]]]]:
    """A department's scorecards of the ``months`` months up to ``month``, oldest first,
    each with its change from the month before (one query a figure for all of them)."""
    dept = department_of(actor, code)
    first = shift(month, -months)  # one more: the first month's change
    got = counts(first, months + 1, [dept.pk])
    rows = []
    for i in range(1, months + 1):
        now, before = got.get((dept.pk, i), {}), got.get((dept.pk, i - 1), {})
        figures = {k: _rate(now.get(k, (0, 0)), before.get(k)) for k in Figure.values}
        rows.append((label(shift(first, i)), figures))
    return dept, rows
