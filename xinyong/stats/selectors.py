"""The statistics dashboards' figures (跟踪问效, issue #17 item 1) and the portal's public
statistics (item 3).

Every figure is one set-based ``GROUP BY`` over its table, filtered by the period and the
department the access layer allows (``access.stats_department``), on SQLite and PostgreSQL.
Where a domain already states a rule it is read from there: dual-publicity timeliness from
``disclosure.selectors.timeliness_report``, measures applied from
``sanctions.selectors.effectiveness``, entries in force from ``lists``. Records collected
come from the rollup (``stats/rollups.py``) plus what was stored after its watermark."""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.accounts.selectors import department_names
from xinyong.catalog.selectors import item_names
from xinyong.commitments.choices import CommitmentStatus
from xinyong.commitments.models import Commitment
from xinyong.core import cache as page_cache
from xinyong.core.figures import pct
from xinyong.core.localday import shift
from xinyong.disclosure.selectors import published_counts, timeliness_report
from xinyong.evaluation.models import SubjectGrade
from xinyong.evaluation.scoring import grade_label
from xinyong.evaluation.selectors import active_model, compiled
from xinyong.lists.choices import EntryStatus
from xinyong.lists.models import ListEntry, ListType
from xinyong.records.models import Record
from xinyong.remedies.choices import ObjectionStatus, RepairStatus
from xinyong.remedies.models import Objection, RepairApplication
from xinyong.remedies.selectors import decided_on_time_q
from xinyong.sanctions.models import CreditCheck
from xinyong.sanctions.selectors import effectiveness
from xinyong.stats.models import CheckDaily, PublicationDaily, RecordDaily
from xinyong.stats.rollups import (
    after_mark,
    check_counts,
    checks_mark,
    daily_counts,
    live_from,
    publications_mark,
    records_mark,
)
from xinyong.stats.schemas import Chart, StatsFilter
from xinyong.supervision.choices import Outcome, TaskStatus
from xinyong.supervision.models import InspectionTask


def month_label(day: datetime.date) -> str:
    return _("%(y)d年%(m)d月") % {"y": day.year, "m": day.month}


def _months(f: StatsFilter) -> list[datetime.date]:
    out, d = [], f.date_from.replace(day=1)
    while d <= f.date_to:
        out.append(d)
        d = shift(d, 1)
    return out


def _by(qs, dept: int | None, field: str):
    return qs if dept is None else qs.filter(**{field: dept})


# -- records collected -----------------------------------------------------------------------
def records_by_month(dept: int | None, f: StatsFilter) -> dict[tuple, int]:
    """Records first stored in the period per (month, provider, item): the rollup's days
    before its watermark plus the records stored after it, counted live."""
    found: dict[tuple, int] = defaultdict(int)
    rolled = RecordDaily.objects.filter(day__gte=f.date_from, day__lte=f.date_to)
    rolled = (
        _by(rolled, dept, "provider_id")
        .annotate(month=TruncMonth("day"))
        .values("month", "provider_id", "item_code")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for r in rolled:
        found[(r["month"], r["provider_id"], r["item_code"])] += r["n"]
    since, until = f.window()
    live = Record.objects.filter(created_at__gte=since, created_at__lt=until)
    for r in daily_counts(_by(after_mark(live, records_mark()), dept, "provider_id")):
        found[(r["day"].replace(day=1), r["provider_id"], r["item_code"])] += r["n"]
    return found


def records_chart(dept: int | None, f: StatsFilter) -> Chart:
    found = records_by_month(dept, f)
    names, items, months = department_names(), item_names(), _months(f)
    per_dept: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for (month, provider, _item), n in found.items():
        per_dept[names.get(provider, "")][month] += n
    order = sorted(found, key=lambda k: (k[0], names.get(k[1], ""), k[2]))
    rows = [
        [month_label(m), names.get(p, ""), items.get(i, i), found[m, p, i]] for m, p, i in order
    ]
    return Chart(
        key="records",
        title=_("各部门归集的信用记录（按月）"),
        kind="stack",
        categories=[month_label(m) for m in months],
        series=[(d, [per_dept[d].get(m, 0) for m in months]) for d in sorted(per_dept)],
        columns=[_("月份"), _("部门"), _("目录项"), _("记录数")],
        rows=rows,
        note=_("按记录首次入库的日期统计，含已撤销的记录。"),
    )


# -- dual publicity --------------------------------------------------------------------------
def _timeliness_counts(actor: Actor, dept: int | None, f: StatsFilter):
    """Per department name: [decided, on time, late, pending] of the decisions taken in the
    period, and up to when they count (None: now). From the rollup once it was built (a
    scan of millions of publications takes seconds), else from the timeliness report."""
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    mark = publications_mark()
    if mark is None:
        for r in timeliness_report(
            actor=actor, date_from=f.date_from, date_to=f.date_to, department_id=dept
        ):
            row = per[r.provider]
            row[0], row[1], row[2], row[3] = (
                row[0] + r.total, row[1] + r.on_time, row[2] + r.late, row[3] + r.pending
            )  # fmt: skip
        return per, None
    qs = _by(
        PublicationDaily.objects.filter(day__gte=f.date_from, day__lte=f.date_to),
        dept, "provider_id",
    )  # fmt: skip
    names = department_names()
    rows = qs.values("provider_id").annotate(
        t=Sum("total"), o=Sum("on_time"), late_n=Sum("late"), p=Sum("pending")
    )
    for r in rows.order_by():
        per[names.get(r["provider_id"], "")] = [r["t"], r["o"], r["late_n"], r["p"]]
    return per, mark


def timeliness_chart(actor: Actor, dept: int | None, f: StatsFilter) -> Chart:
    """On time / late / pending per department (decisions taken in the period)."""
    per, mark = _timeliness_counts(actor, dept, f)
    depts = sorted(per)
    note = _("按决定日期统计；及时率 = 按时公示 ÷（按时 + 逾期）。")
    if mark is not None:
        when = timezone.localtime(mark).strftime("%Y-%m-%d %H:%M")
        note = f"{note}{_('数据截至 %(t)s（每日更新）。') % {'t': when}}"
    return Chart(
        key="publicity",
        title=_("各部门双公示及时情况"),
        kind="stack",
        categories=depts,
        series=[
            (_("按时公示"), [per[d][1] for d in depts]),
            (_("逾期公示"), [per[d][2] for d in depts]),
            (_("待公示"), [per[d][3] for d in depts]),
        ],
        columns=[
            _("部门"),
            _("决定数"),
            _("按时公示"),
            _("逾期公示"),
            _("待公示"),
            _("及时率（%）"),
        ],
        rows=[[d, *per[d], pct(per[d][1], per[d][1] + per[d][2])] for d in depts],
        note=note,
    )


# -- lists -----------------------------------------------------------------------------------
def lists_chart(dept: int | None, f: StatsFilter) -> Chart:
    since, until = f.window()
    qs = _by(ListEntry.objects.filter(opened_at__gte=since, opened_at__lt=until), dept,
             "department_id")  # fmt: skip
    found = {
        (r["list_type_id"], r["status"]): r["n"]
        for r in qs.values("list_type_id", "status").annotate(n=Count("pk")).order_by()
    }
    types = dict(ListType.objects.values_list("pk", "name"))
    used = sorted({t for t, _s in found}, key=lambda t: types.get(t, ""))
    statuses = [s for s in EntryStatus if any((t, s.value) in found for t in used)]
    return Chart(
        key="lists",
        title=_("名单条目（按名单和状态）"),
        kind="stack",
        categories=[types[t] for t in used],
        series=[(s.label, [found.get((t, s.value), 0) for t in used]) for s in statuses],
        columns=[_("名单"), _("状态"), _("条目数")],
        rows=[
            [types[t], EntryStatus(s).label, n]
            for (t, s), n in sorted(
                found.items(), key=lambda kv: (types.get(kv[0][0], ""), kv[0][1])
            )
        ],
        note=_("按立案日期统计。"),
    )


# -- credit checks and measures ----------------------------------------------------------------
def check_totals(dept: int | None, f: StatsFilter) -> tuple[list[dict], datetime.datetime | None]:
    """Per checking department: checks made in the period, hits, hits answered — the
    rollup's days before its watermark plus the checks made after it, counted live — and
    up to when the rollup's feedback counts (None: no rollup, all live)."""
    per: dict[int, dict] = defaultdict(lambda: {"total": 0, "hits": 0, "answered": 0})
    rolled = CheckDaily.objects.filter(day__gte=f.date_from, day__lte=f.date_to)
    rolled = (
        _by(rolled, dept, "department_id")
        .values("department_id")
        .annotate(total=Sum("total"), hits=Sum("hits"), answered=Sum("answered"))
    )
    since, until = f.window()
    mark = checks_mark()
    live = CreditCheck.objects.filter(at__gte=live_from(since, mark), at__lt=until)
    for r in [*rolled.order_by(), *check_counts(_by(live, dept, "department_id"))]:
        row = per[r["department_id"]]
        for k in ("total", "hits", "answered"):
            row[k] += r[k]
    return [{"department_id": d, **v} for d, v in per.items()], mark


def _checks_made() -> int:
    """Every check made: the rollup's days and the checks after its watermark."""
    mark = checks_mark()
    live = CreditCheck.objects.all() if mark is None else CreditCheck.objects.filter(at__gte=mark)
    return (CheckDaily.objects.aggregate(n=Sum("total"))["n"] or 0) + live.count()


def checks_chart(dept: int | None, f: StatsFilter) -> Chart:
    """Checks made, checks that hit a list, and hits answered with feedback (反馈率)."""
    rows, mark = check_totals(dept, f)
    note = _("反馈率 = 已反馈措施实施情况的命中核查 ÷ 命中名单的核查。") + _answers_as_of(mark)
    names = department_names()
    data = sorted(((names.get(r["department_id"], ""), r) for r in rows), key=lambda x: x[0])
    return Chart(
        key="checks",
        title=_("信用核查与反馈"),
        kind="bar",
        categories=[d for d, _r in data],
        series=[
            (_("核查次数"), [r["total"] for _d, r in data]),
            (_("命中名单"), [r["hits"] for _d, r in data]),
            (_("已反馈"), [r["answered"] for _d, r in data]),
        ],
        columns=[_("部门"), _("核查次数"), _("命中名单"), _("已反馈"), _("反馈率（%）")],
        rows=[
            [d, r["total"], r["hits"], r["answered"], pct(r["answered"], r["hits"])]
            for d, r in data
        ],
        note=note,
    )


def _answers_as_of(mark: datetime.datetime | None) -> str:
    """The charts' word on the checks' rollup: answers to earlier checks as of its mark."""
    if mark is None:
        return ""
    when = timezone.localtime(mark).strftime("%Y-%m-%d %H:%M")
    return _("此前核查的反馈情况截至 %(t)s（每日更新）。") % {"t": when}


def measures_chart(actor: Actor, dept: int | None, f: StatsFilter) -> Chart:
    """Measures applied or not, from check feedback and joint-action tasks (跟踪问效)."""
    since, until = f.window()
    _measures, by_dept = effectiveness(actor=actor, since=since, until=until, department_id=dept)
    by_dept = sorted(by_dept, key=lambda e: e.name)
    applied = [e.checks_applied + e.tasks_applied for e in by_dept]
    not_applied = [e.checks_not_applied + e.tasks_not_applied for e in by_dept]
    return Chart(
        key="measures",
        title=_("联合奖惩措施实施情况"),
        kind="stack",
        categories=[e.name for e in by_dept],
        series=[
            (_("已实施"), applied),
            (_("未实施"), not_applied),
            (_("任务待反馈"), [e.tasks_pending for e in by_dept]),
        ],
        columns=[
            _("部门"),
            _("已实施"),
            _("未实施"),
            _("任务待反馈"),
            _("任务反馈率（%）"),
            _("实施率（%）"),
        ],
        rows=[
            [
                e.name,
                a,
                n,
                e.tasks_pending,
                pct(
                    e.tasks_applied + e.tasks_not_applied,
                    e.tasks_applied + e.tasks_not_applied + e.tasks_pending,
                ),
                e.applied_pct,
            ]
            for e, a, n in zip(by_dept, applied, not_applied, strict=True)
        ],
        note=_("含核查反馈和联合奖惩任务的反馈；按核查或发起的时间统计。")
        + _answers_as_of(checks_mark()),
    )


# -- objections and repairs ------------------------------------------------------------------
def deadline_counts(qs, *, group: str, done: Q, due: str, today: datetime.date):
    """Per ``group``: finished by the deadline, finished late, open past it, open in time.
    Finished by the deadline is remedies' one rule (``decided_on_time_q``, which the
    scorecards count too): the deadline is a local day, its last day included."""
    on_time = decided_on_time_q()
    return (
        qs.values(group)
        .annotate(
            on_time=Count("pk", filter=done & on_time),
            late=Count("pk", filter=done & ~on_time),
            overdue=Count("pk", filter=~done & Q(**{f"{due}__lt": today})),
            open=Count("pk", filter=~done & ~Q(**{f"{due}__lt": today})),
        )
        .order_by()
    )


def _deadline_chart(key, title, rows, group, note) -> Chart:
    names = department_names()
    data = sorted(((names.get(r[group], ""), r) for r in rows), key=lambda x: x[0])
    labels = [_("按期办结"), _("逾期办结"), _("超期未办结"), _("办理中")]
    fields = ["on_time", "late", "overdue", "open"]
    return Chart(
        key=key,
        title=title,
        kind="stack",
        categories=[d for d, _r in data],
        series=[(lab, [r[k] for _d, r in data]) for lab, k in zip(labels, fields, strict=True)],
        columns=[_("部门"), *labels, _("按期办结率（%）")],
        rows=[
            [d, *(r[k] for k in fields), pct(r["on_time"], r["on_time"] + r["late"])]
            for d, r in data
        ],
        note=note,
    )


def objections_chart(dept: int | None, f: StatsFilter, today: datetime.date) -> Chart:
    since, until = f.window()
    qs = _by(Objection.objects.filter(filed_at__gte=since, filed_at__lt=until), dept, "provider_id")
    rows = deadline_counts(qs, group="provider_id", done=Q(status=ObjectionStatus.DECIDED),
                           due="decide_due", today=today)  # fmt: skip
    return _deadline_chart("objections", _("异议办理时限"), rows, "provider_id",
                           _("按提出日期统计；办结期限为提供部门的办理期限。"))  # fmt: skip


def repairs_chart(dept: int | None, f: StatsFilter, today: datetime.date) -> Chart:
    since, until = f.window()
    qs = _by(RepairApplication.objects.filter(filed_at__gte=since, filed_at__lt=until), dept,
             "department_id")  # fmt: skip
    done = Q(status__in=[RepairStatus.APPROVED, RepairStatus.REJECTED])
    rows = deadline_counts(qs, group="department_id", done=done, due="decide_due",
                           today=today)  # fmt: skip
    return _deadline_chart("repairs", _("信用修复办理时限"), rows, "department_id",
                           _("按申请日期统计；办结期限为 10 个工作日。"))  # fmt: skip


# -- commitments -----------------------------------------------------------------------------
def commitments_chart(dept: int | None, f: StatsFilter) -> Chart:
    since, until = f.window()
    qs = _by(Commitment.objects.filter(signed_at__gte=since, signed_at__lt=until), dept,
             "department_id")  # fmt: skip
    found = {
        (r["department_id"], r["status"]): r["n"]
        for r in qs.values("department_id", "status").annotate(n=Count("pk")).order_by()
    }
    names = department_names()
    depts = sorted({d for d, _s in found}, key=lambda d: names.get(d, ""))
    shown = [CommitmentStatus.KEPT, CommitmentStatus.BREACHED, CommitmentStatus.BREACH_PROPOSED,
             CommitmentStatus.IN_FORCE]  # fmt: skip
    others = [s for s in CommitmentStatus if s not in shown]

    def other(d):
        return sum(found.get((d, s.value), 0) for s in others)

    return Chart(
        key="commitments",
        title=_("信用承诺履约情况"),
        kind="stack",
        categories=[names.get(d, "") for d in depts],
        series=[(s.label, [found.get((d, s.value), 0) for d in depts]) for s in shown]
        + [(_("已终止或届满"), [other(d) for d in depts])],
        columns=[_("部门"), *[s.label for s in shown], _("已终止或届满")],
        rows=[
            [names.get(d, ""), *[found.get((d, s.value), 0) for s in shown], other(d)]
            for d in depts
        ],
        note=_("按签署日期统计。"),
    )


# -- evaluation and supervision --------------------------------------------------------------
def grades_chart() -> Chart:
    """Subjects per current grade: platform-wide (a grade is not a department's figure),
    so neither the period nor the department filter applies."""
    mv = active_model()
    c = compiled(mv) if mv is not None else None
    found = dict(SubjectGrade.objects.values_list("grade").annotate(n=Count("pk")).order_by())
    grades = list(c.grades) if c is not None else sorted(found)
    grades += [g for g in sorted(found) if g not in grades]
    labels = [grade_label(c, g) if c is not None else g for g in grades]
    return Chart(
        key="grades",
        title=_("公共信用综合评价等级分布"),
        kind="pie",
        categories=labels,
        series=[(_("主体数"), [found.get(g, 0) for g in grades])],
        columns=[_("等级"), _("主体数")],
        rows=[[lab, found.get(g, 0)] for lab, g in zip(labels, grades, strict=True)],
        note=_("全市当前等级，不受期间和部门筛选影响。"),
    )


def inspections_chart(dept: int | None, f: StatsFilter) -> Chart:
    """Inspection tasks of plans starting in the period, by the plan's lead department:
    waiting, inspected, published, and how many found a problem."""
    qs = InspectionTask.objects.filter(
        plan__period_start__gte=f.date_from, plan__period_start__lte=f.date_to
    )
    qs = _by(qs, dept, "plan__department_id")
    problem = Q(outcome__in=[Outcome.RECTIFIED, Outcome.PENALTY, Outcome.UNDISCLOSED,
                             Outcome.NOT_FOUND])  # fmt: skip
    rows = (
        qs.values("plan__department_id")
        .annotate(
            **{s.value: Count("pk", filter=Q(status=s)) for s in TaskStatus},
            problems=Count("pk", filter=problem),
        )
        .order_by()
    )
    names = department_names()
    data = sorted(((names.get(r["plan__department_id"], ""), r) for r in rows), key=lambda x: x[0])
    return Chart(
        key="inspections",
        title=_("双随机抽查任务"),
        kind="stack",
        categories=[d for d, _r in data],
        series=[(s.label, [r[s.value] for _d, r in data]) for s in TaskStatus],
        columns=[_("部门"), *[s.label for s in TaskStatus], _("发现问题")],
        rows=[[d, *[r[s.value] for s in TaskStatus], r["problems"]] for d, r in data],
        note=_("按检查计划开始日期统计，部门为牵头部门。"),
    )


# -- the dashboard ---------------------------------------------------------------------------
CHART_KEYS = ("records", "publicity", "lists", "checks", "measures", "objections", "repairs",
              "commitments", "grades", "inspections")  # fmt: skip


def dashboard(*, actor: Actor, f: StatsFilter, only: str | None = None) -> list[Chart]:
    """The dashboard's charts (``only``: the one of that key) for ``actor``: every
    department's figures for the credit office and the auditor, a department's own for
    its staff (another department in the filter is refused, naming the field)."""
    dept = access.stats_department(actor, f.department_id)
    today = timezone.localdate()
    make = {
        "records": lambda: records_chart(dept, f),
        "publicity": lambda: timeliness_chart(actor, dept, f),
        "lists": lambda: lists_chart(dept, f),
        "checks": lambda: checks_chart(dept, f),
        "measures": lambda: measures_chart(actor, dept, f),
        "objections": lambda: objections_chart(dept, f, today),
        "repairs": lambda: repairs_chart(dept, f, today),
        "commitments": lambda: commitments_chart(dept, f),
        "grades": grades_chart,
        "inspections": lambda: inspections_chart(dept, f),
    }
    keys = [only] if only else CHART_KEYS
    return [make[k]() for k in keys]


def department_choices(actor: Actor) -> list[tuple[str, str]]:
    """The departments the filter offers: all for the credit office and the auditor, the
    reader's own for a department's staff."""
    dept = access.stats_department(actor)
    qs = Department.objects.order_by("code")
    if dept is not None:
        qs = qs.filter(pk=dept)
    return list(qs.values_list("code", "name"))


def department_label(actor: Actor, code: str) -> str:
    """Whose figures a download holds, by name: the filter's department (全部部门 when
    none) for a reader of every department, the reader's own department otherwise."""
    names = dict(department_choices(actor))
    if access.reads_every_department(actor):
        return names.get(code, _("全部部门")) if code else _("全部部门")
    return next(iter(names.values()), "")


# -- the portal's public statistics ----------------------------------------------------------
def public_figures() -> dict:
    """What the portal's statistics page shows anyone: platform-wide counts only (no
    subject, no department's rows), cached five minutes (the records and checks counts read
    their rollups and the few rows after them)."""

    def compute() -> dict:
        today = timezone.localdate()
        rolled = RecordDaily.objects.aggregate(n=Sum("n"))["n"] or 0
        live = after_mark(Record.objects.all(), records_mark()).count()
        in_force = (
            ListEntry.objects.in_force(today)
            .filter(list_type__public=True)
            .values("list_type__name")
            .annotate(n=Count("pk"))
            .order_by("list_type__name")
        )
        return {
            "records": rolled + live,
            "published": published_counts(),
            "entries": [(r["list_type__name"], r["n"]) for r in in_force],
            "repairs": RepairApplication.objects.filter(status=RepairStatus.APPROVED).count(),
            "objections": Objection.objects.filter(status=ObjectionStatus.DECIDED).count(),
            "checks": _checks_made(),
            "commitments": Commitment.objects.filter(status=CommitmentStatus.KEPT).count(),
        }

    return page_cache.figure("stats:public_figures", compute)
