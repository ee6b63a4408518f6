"""Reads of joint incentives and sanctions: the measures in force (kept in memory for the
credit check, reloaded every few seconds and at once after a change in this process), and
what applies to one subject in one matter.

The credit check is on the hot path of every counter: a lookup by code, one indexed query
for the subject's entries in force, the measures from memory. An entry hits only while it
is published and in its term — checked here, at read time, so an expiry, a removal after
repair or an objection takes effect in the very next check, before any sweep."""

import datetime
import functools
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, Exists, FilteredRelation, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.accounts.selectors import department_names
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.choices import Polarity
from xinyong.commitments.choices import CommitmentKind
from xinyong.commitments.models import bars_q
from xinyong.core.errors import PermissionDenied
from xinyong.core.memo import Reloaded
from xinyong.core.prepared import Prepared
from xinyong.core.todo import SHOWN, Todo, TodoList
from xinyong.lists.models import ListEntry, ListEntryPerson, ListType, in_force_q
from xinyong.records.choices import RecordStatus
from xinyong.records.models import Record
from xinyong.sanctions.choices import CheckStatus, MeasureCategory, MeasureKind, TaskStatus
from xinyong.sanctions.models import (
    ActionTask,
    CreditCheck,
    Interview,
    JointAction,
    Matter,
    Measure,
    RectificationOrder,
)
from xinyong.stats.rollups import check_answers
from xinyong.subjects.models import Subject

CONFIG_SECONDS = 5.0  # how stale another process's view of the measures may be


@dataclass(frozen=True)
class MeasureView:
    code: str
    name: str
    kind: str
    category: str
    legal_basis: str
    departments: tuple[str, ...]
    memorandum: str  # name and document number
    term: str
    lists: frozenset[str]
    matters: frozenset[str]  # empty: every matter
    clean_years: int | None = None  # also for a subject with no negative record this long

    def applies_in(self, matter: str) -> bool:
        return not self.matters or matter in self.matters

    def implemented_by(self, department_code: str) -> bool:
        return "*" in self.departments or department_code in self.departments


@dataclass(frozen=True)
class ListView:
    id: int
    code: str
    name: str
    effect: str


@dataclass
class Config:
    lists: dict[int, ListView] = field(default_factory=dict)
    by_list: dict[str, list[MeasureView]] = field(default_factory=dict)
    matters: dict[str, str] = field(default_factory=dict)
    departments: dict[int, str] = field(default_factory=dict)  # id → code
    measure_ids: dict[str, int] = field(default_factory=dict)  # code → id
    clean: list[MeasureView] = field(default_factory=list)  # those with clean_years
    clean_years_max: int = 0  # the check probes for negative records over this period


def _load() -> Config:
    cfg = Config()
    for lt in ListType.objects.filter(active=True):
        cfg.lists[lt.pk] = ListView(lt.pk, lt.code, lt.name, lt.effect)
    qs = Measure.objects.filter(active=True, memorandum__active=True).select_related("memorandum")
    for m in qs.prefetch_related("list_types", "matters"):
        view = MeasureView(
            code=m.code, name=m.name, kind=m.kind, category=m.category,
            legal_basis=m.legal_basis, departments=tuple(m.departments),
            memorandum=f"{m.memorandum.name}（{m.memorandum.document_no}）", term=m.term,
            lists=frozenset(lt.code for lt in m.list_types.all()),
            matters=frozenset(x.code for x in m.matters.all()),
            clean_years=m.clean_years if m.kind == MeasureKind.INCENTIVE else None,
        )  # fmt: skip
        cfg.measure_ids[m.code] = m.pk
        for code in view.lists:
            cfg.by_list.setdefault(code, []).append(view)
        if view.clean_years:
            cfg.clean.append(view)
            cfg.clean_years_max = max(cfg.clean_years_max, view.clean_years)
    cfg.matters = dict(Matter.objects.values_list("code", "name"))
    cfg.departments = dict(Department.objects.values_list("pk", "code"))
    return cfg


_config = Reloaded(_load, CONFIG_SECONDS)


def config() -> Config:
    """The measures, lists and matters as the check uses them."""
    return _config.get()


def config_forget() -> None:
    """After a change of measures, lists or matters: the next check reloads."""
    _config.forget()


def department_codes() -> dict[int, str]:
    return config().departments


def check_result_named(result: dict) -> dict:
    """A credit check's answer as the back-office page shows it: the API's answer (codes,
    for machines) with the names people read beside them — each hit's department name,
    each measure's category label and implementing departments' names."""
    names = department_names(key="code")

    def measure(m: dict) -> dict:
        return {
            **m,
            "category_label": str(MeasureCategory(m["category"]).label),
            "department_names": [names.get(c, c) for c in m["implementing_departments"]],
        }

    return {
        **result,
        "hits": [
            {**h, "department_name": names.get(h["department"], h["department"])}
            for h in result.get("hits", [])
        ],
        "measures": [measure(m) for m in result.get("measures", [])],
        "incentives": [measure(m) for m in result.get("incentives", [])],
        # Credit commitments (issue #15): the kinds the subject may sign here, named.
        "commitment_kind_names": [
            str(CommitmentKind(k).label) if k in CommitmentKind.values else k
            for k in result.get("commitment_kinds", [])
        ],
    }


def measure_ids() -> dict[str, int]:
    return config().measure_ids


def measures_for_list(list_code: str) -> list[MeasureView]:
    """The measures a list triggers, in every matter (for the prior notice and decision)."""
    return list(config().by_list.get(list_code, ()))


def matter_choices() -> list[tuple[str, str]]:
    return sorted(config().matters.items())


_ENTRY_FIELDS = ("id", "list_type_id", "department_id", "decision_no", "decided_on", "term_end",
                 "permanent", "under_objection", "published_at")  # fmt: skip
_SUBJECT_FIELDS = ("id", "kind", "name", "uscc", "id_masked", "established_on")
HOT = "hot"  # the check's own connection (settings._hot)
_SOME_DAY = datetime.date(1, 1, 2)  # sentinels of the prepared queries
_BAR_DAY = datetime.date(1, 1, 3)
_SINCE_DAY = datetime.date(1, 1, 4)


def _negative(subject):
    """A subject's negative records in force with a decision date (partial index
    ``record_negative_idx``)."""
    return Record.objects.filter(
        subject_id=subject, polarity=Polarity.NEGATIVE, status=RecordStatus.ACTIVE,
        decision_date__isnull=False,
    )  # fmt: skip


# One round trip: the subject by its code, its entries in effect (the one rule,
# lists.models.in_force_q, as the join's condition), whether a broken commitment bars it
# from notify-and-commit (a probe of a partial index; the bars themselves are read only for
# the few subjects that have one, xinyong.commitments.selectors), and whether it has a
# negative record decided since the clean-record incentives' longest period began (a probe
# of a partial index that, for a clean subject, finds nothing without reading the table;
# as a second round trip it cost ~0.6 ms a check here), and its current evaluation grade
# (a LEFT JOIN on the one-to-one ``SubjectGrade``: no round trip of its own; whether the
# answer shows it is the credit office's choice, ``evaluation.selectors.check_grade``).
_by_uscc = Prepared(
    Subject.objects.annotate(
        e=FilteredRelation("list_entries", condition=in_force_q(_SOME_DAY, "list_entries__")),
        barred=Exists(bars_q(OuterRef("pk"), _BAR_DAY)),
        negative_since=Exists(_negative(OuterRef("pk")).filter(decision_date__gte=_SINCE_DAY)),
    )
    .filter(uscc="?")
    .values_list(
        *_SUBJECT_FIELDS,
        "barred",
        "negative_since",
        "grade__grade",
        *(f"e__{f}" for f in _ENTRY_FIELDS),
    ),
    using=HOT,
    uscc="?",
    today=_SOME_DAY,
    bar_day=_BAR_DAY,
    since=_SINCE_DAY,
)
_entries = Prepared(
    ListEntry.objects.in_force(_SOME_DAY).filter(subject_id=-7).values_list(*_ENTRY_FIELDS),
    using=HOT,
    today=_SOME_DAY,
    subject_id=-7,
)


@dataclass(frozen=True)
class CheckedSubject:
    id: int
    kind: str
    name: str
    uscc: str | None
    id_masked: str
    established_on: datetime.date | None
    barred: bool  # a breach bars notify-and-commit somewhere (which: the commitments' verdict)
    negative_since: bool  # a negative record decided since ``since`` (below)
    grade: str | None  # the current evaluation grade (None: never evaluated)
    since: datetime.date | None = None  # the start of the longest clean-record period asked

    @property
    def pk(self) -> int:  # as a Subject reads
        return self.id


def subject_for_check(uscc: str, today: datetime.date) -> tuple[CheckedSubject | None, list]:
    """The subject a check asks about by its (valid, normalised) code, and its entries in
    effect, in one query; (None, []) for an unknown code."""
    since = years_before(today, config().clean_years_max or 1)
    rows = _by_uscc(uscc=uscc, today=today, bar_day=today, since=since)
    if not rows:
        return None, []
    n = len(_SUBJECT_FIELDS) + 3
    entries = [dict(zip(_ENTRY_FIELDS, r[n:], strict=True)) for r in rows if r[n] is not None]
    return CheckedSubject(*rows[0][:n], since=since), entries


_negative_since = Prepared(
    _negative(-7).filter(decision_date__gte=_SOME_DAY).values_list("pk")[:1],
    using=HOT,
    subject_id=-7,
    since=_SOME_DAY,
)


@functools.lru_cache(maxsize=64)
def years_before(day: datetime.date, years: int) -> datetime.date:
    """``day`` less ``years`` calendar years (29 February → 28): asked on every check with
    the same few arguments, computed once."""
    return day - relativedelta(years=years)


def clean_for(subject, years: int, today: datetime.date) -> bool:
    """Whether the subject is known to have existed for ``years`` (a new company, or one
    whose establishment date the registry lacks, has no record yet — not a clean one) with
    no negative record in force decided within them. Records withdrawn or past retention do
    not count against it. The check's own query already probed the longest period asked
    (``negative_since``): a shorter one is read only when that found a record."""
    since = years_before(today, years)
    if subject.established_on is None or subject.established_on > since:
        return False
    if isinstance(subject, CheckedSubject) and subject.since is not None:
        if not subject.negative_since and subject.since <= since:
            return True  # none since an earlier day
        if subject.negative_since and subject.since == since:
            return False
    return not _negative_since(subject_id=subject.pk, since=since)


def entries_in_force(subject_id: int, today: datetime.date) -> list[dict]:
    """The subject's entries that have effect today: published, in their term."""
    return [
        dict(zip(_ENTRY_FIELDS, r, strict=True))
        for r in _entries(subject_id=subject_id, today=today)
    ]


def responsibilities_in_force(person_id: int, today: datetime.date) -> list[dict]:
    """Entries in force of organisations this person was responsible for when they acted."""
    return list(
        ListEntryPerson.objects.filter(in_force_q(today, "entry__"), person_id=person_id).values(
            "role", "entry__subject__name", *(f"entry__{f}" for f in _ENTRY_FIELDS)
        )
    )


# -- joint action, rectification, interviews --------------------------------------------
def task_queue(*, actor, status: str | None = "pending", today: datetime.date | None = None):
    """The implementing department's tasks (响应), oldest first, with the entry they rest
    on: a task whose entry is under objection is suspended, one whose entry left its list
    (``in_effect`` False: the entry is no longer in force) has nothing left to apply."""
    if actor.department_id is None:
        return []
    qs = ActionTask.objects.visible_to(actor).filter(department_id=actor.department_id)
    qs = qs.select_related(
        "measure", "action__entry__subject", "action__entry__list_type", "action__department"
    )
    if status:
        qs = qs.filter(status=status)
    tasks = list(qs.order_by("action__initiated_at", "pk")[:500])
    today = today or timezone.localdate()
    for t in tasks:
        t.in_effect = t.action.entry.is_in_force(today)
    return tasks


def entry_actions(*, actor: Actor, entry_id: int) -> dict:
    """What followed an entry, as far as the reader may see it (``visible_to``): joint
    actions with their tasks, orders, interviews."""
    tasks = Prefetch(
        "tasks",
        queryset=ActionTask.objects.visible_to(actor).select_related("measure", "department"),
    )
    return {
        "actions": list(
            JointAction.objects.visible_to(actor)
            .filter(entry_id=entry_id)
            .prefetch_related(tasks)
            .order_by("-initiated_at")
        ),
        "orders": list(RectificationOrder.objects.visible_to(actor).filter(entry_id=entry_id)),
        "interviews": list(Interview.objects.visible_to(actor).filter(entry_id=entry_id)),
    }


def subject_actions(*, actor: Actor, subject_id: int) -> dict:
    """Rectification orders and interviews in a subject's credit file (``visible_to``)."""
    return {
        "orders": list(
            RectificationOrder.objects.visible_to(actor)
            .filter(subject_id=subject_id)
            .select_related("department")
        ),
        "interviews": list(
            Interview.objects.visible_to(actor)
            .filter(subject_id=subject_id)
            .select_related("department")
        ),
    }


@dataclass
class Effect:
    """How a measure (or a department) is applied: answers to checks and to tasks."""

    key: str
    name: str
    checks_applied: int = 0
    checks_not_applied: int = 0
    tasks_applied: int = 0
    tasks_not_applied: int = 0
    tasks_pending: int = 0

    @property
    def applied_pct(self) -> float | None:
        done = self.checks_applied + self.tasks_applied
        answered = done + self.checks_not_applied + self.tasks_not_applied
        return round(100 * done / answered, 1) if answered else None


def effectiveness(
    *, actor, since=None, until=None, department_id: int | None = None
) -> tuple[list[Effect], list[Effect]]:
    """跟踪问效: per measure and per department, how often measures were applied when a
    check returned them or a task asked for them. A department sees its own answers; the
    operator and the auditor see all (``access.stats_department``). Optionally only checks
    made and actions initiated in [since, until) (local midnights) and one department's.
    The checks' answers are counted from the statistics' rollup of the check log and live
    after its watermark (``stats.rollups.check_answers``): joining every answer to millions
    of checks took seconds; the tasks' are counted here."""
    dept = access.stats_department(actor, department_id)
    tasks = ActionTask.objects.visible_to(actor)
    if since is not None:
        tasks = tasks.filter(action__initiated_at__gte=since)
    if until is not None:
        tasks = tasks.filter(action__initiated_at__lt=until)
    if dept is not None:  # its own answers, not the tasks it asked of others
        tasks = tasks.filter(department_id=dept)
    by_measure: dict[str, Effect] = {}
    by_department: dict[str, Effect] = {}
    measures = dict(Measure.objects.values_list("code", "name"))
    departments = {d.pk: d for d in Department.objects.only("code", "name")}
    for (d, code), (y, n) in check_answers(since=since, until=until, department_id=dept).items():
        if not (y or n):
            continue
        dep = departments[d]
        for key, name, target in ((code, measures.get(code, code), by_measure),
                                  (dep.code, dep.name, by_department)):  # fmt: skip
            e = target.setdefault(key, Effect(key, name))
            e.checks_applied += y
            e.checks_not_applied += n
    for key, name, target in (
        ("measure__code", "measure__name", by_measure),
        ("department__code", "department__name", by_department),
    ):
        rows = tasks.values(key, name).annotate(
            y=Count("pk", filter=Q(status="applied")),
            n=Count("pk", filter=Q(status="not_applied")),
            p=Count("pk", filter=Q(status="pending")),
        )
        for row in rows:
            e = target.setdefault(row[key], Effect(row[key], row[name]))
            e.tasks_applied, e.tasks_not_applied, e.tasks_pending = row["y"], row["n"], row["p"]
    return (
        sorted(by_measure.values(), key=lambda e: e.key),
        sorted(by_department.values(), key=lambda e: e.key),
    )


# -- the check log -------------------------------------------------------------------------
def check_log(*, actor, query: str = "", offset: int = 0, limit: int = 50) -> list[CreditCheck]:
    """Past credit checks, newest first: the department's own; all for the operator and the
    auditor. Who checked whom is itself sensitive, so each read is audited."""
    if not actor.is_staff:
        raise PermissionDenied(_("信用核查记录仅限部门人员、审计员和平台运营查看"))
    qs = CreditCheck.objects.visible_to(actor).select_related("department").order_by("-at", "-pk")
    if query:
        qs = qs.filter(query=query)
    checks = list(qs[offset : offset + limit])
    names = config().matters
    for c in checks:  # what a person reads: the matter's name, not its code
        c.matter_name = names.get(c.matter, c.matter)
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=AuditAction.CHECK_LOG_READ, object_type="credit_check",
            detail={"query": query, "offset": offset, "checks": [c.pk for c in checks]},
        )  # fmt: skip
    return checks


def check_answered(*, actor: Actor, check_id: int) -> dict | None:
    """A check the actor's department made, as its page showed it — the measures it
    returned, with their names — for the feedback form shown again with its errors; None
    when the actor may not answer it (the service says so in its words)."""
    check = CreditCheck.objects.visible_to(actor).filter(pk=check_id).first()
    if check is None or not access.allowed(actor, Action.DEPARTMENT_ACT, check):
        return None
    cfg = config()
    views = {m.code: m for ms in cfg.by_list.values() for m in ms}
    dept_code = cfg.departments.get(check.department_id, "")
    suspended = set(check.result.get("suspended", []))
    returned = [views[c] for c in check.result.get("measures", []) if c in views]
    measures = [
        {"code": m.code, "name": m.name, "kind": m.kind, "category": m.category,
         "legal_basis": m.legal_basis, "implementing_departments": list(m.departments),
         "applies_to_you": m.implemented_by(dept_code), "suspended": m.code in suspended}
        for m in returned
    ]  # fmt: skip
    return check_result_named({
        "check_id": check.pk, "checked_at": check.at, "status": check.status,
        "message": CheckStatus(check.status).label, "subject": {"name": check.query},
        "hits": [], "measures": [m for m in measures if m["kind"] == MeasureKind.SANCTION],
        "incentives": [m for m in measures if m["kind"] == MeasureKind.INCENTIVE],
    })  # fmt: skip


def tasks_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Joint-action tasks the reader's department has to answer (applied, or not with a
    reason), oldest first: the access layer's :func:`acting_q` decides whose; a task whose
    entry is under objection is suspended and waits for the objection, not the reader. No
    rule sets a deadline."""
    qs = ActionTask.objects.filter(
        access.acting_q(actor, Action.DEPARTMENT_ACT),
        status=TaskStatus.PENDING,
        action__entry__under_objection=False,
    )
    rows = qs.select_related("measure", "action__entry__subject", "action__entry__list_type")
    items = [
        Todo(
            step=str(_("反馈联合奖惩措施实施情况")),
            subject=t.action.entry.subject.name,
            about=f"{t.action.entry.list_type.name} · {t.measure.name}",
            url=reverse("backoffice:tasks") + f"#task-{t.pk}",
            since=timezone.localtime(t.action.initiated_at).date(),
        )
        for t in rows.order_by("action__initiated_at", "pk")[:SHOWN]
    ]
    return TodoList("tasks", _("联合奖惩任务待反馈"), reverse("backoffice:tasks"), qs.count(),
                    items)  # fmt: skip
