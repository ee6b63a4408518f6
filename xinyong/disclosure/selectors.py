"""Reads of dual publicity."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.accounts.selectors import department_names
from xinyong.catalog import selectors as catalog
from xinyong.core import cache as page_cache
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.disclosure.choices import PublicationStatus
from xinyong.disclosure.models import Publication, PublicityRule
from xinyong.disclosure.rules import (  # noqa: F401 - dual_publicity_items read from here too
    WITHDRAW_WORKDAYS,
    Rule,
    dual_publicity_items,
    shown_q,
)
from xinyong.records.models import Record
from xinyong.records.selectors import (
    public_fields,
    record_out,
    records_under_objection,
    visible_codes,
)
from xinyong.subjects.identifiers import IdentifierError, validate_uscc
from xinyong.subjects.selectors import (
    PUBLIC_KINDS,
    looks_like_code,
    subject_by_uscc,
    subject_search,
)


def publicity_rule_list():
    """The rules table as the credit office reads and edits it."""
    return PublicityRule.objects.order_by("penalty_class")


def publicity_rules() -> dict[str, Rule]:
    """The rules table as the period computation takes it, by penalty class."""
    return {
        r.penalty_class: Rule(
            r.penalty_class, r.publish, r.min_months, r.max_months, frozenset(r.kinds), r.basis
        )
        for r in PublicityRule.objects.all()
    }


@dataclass
class TimelinessRow:
    provider: str
    item: str
    total: int
    public: int
    pending: int
    not_published: int
    ended: int
    withdrawn: int
    on_time: int
    late: int
    on_time_pct: float | None  # of the published ones with a deadline


def timeliness_report(
    *,
    actor: Actor,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    department_id: int | None = None,
) -> list[TimelinessRow]:
    """Per department and item: how many decisions were published, and how many within 7
    working days of the decision (部门双公示及时率). A department sees its own rows; the
    platform operator and the auditor see every department's. Optionally only decisions
    taken in a period, of one department (the statistics dashboard's filters)."""
    qs = _scoped(actor, Publication.objects.all())
    if date_from is not None:
        qs = qs.filter(decision_date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(decision_date__lte=date_to)
    if department_id is not None:
        qs = qs.filter(provider_id=department_id)
    rows = (
        qs.values("provider_id", "item_code")
        .annotate(
            total=Count("pk"),
            **{s: Count("pk", filter=Q(status=s)) for s in PublicationStatus.values},
            on_time_n=Count("pk", filter=Q(on_time=True)),
            late_n=Count("pk", filter=Q(on_time=False)),
        )
        .order_by("provider_id", "item_code")
    )
    names = department_names()
    items = catalog.item_names()
    return [
        TimelinessRow(
            provider=names.get(r["provider_id"], str(r["provider_id"])),
            item=items.get(r["item_code"], r["item_code"]),
            total=r["total"],
            public=r["public"],
            pending=r["pending"],
            not_published=r["not_published"],
            ended=r["ended"],
            withdrawn=r["withdrawn"],
            on_time=r["on_time_n"],
            late=r["late_n"],
            on_time_pct=round(100 * r["on_time_n"] / (r["on_time_n"] + r["late_n"]), 1)
            if r["on_time_n"] + r["late_n"]
            else None,
        )
        for r in rows
    ]


def _scoped(actor: Actor, qs):
    """A department reads its own publications; the operator and the auditor every one."""
    if not (actor.reads_all_departments or actor.is_department_staff):
        raise PermissionDenied(gettext("没有查看双公示情况的权限"))
    return qs.visible_to(actor)


@dataclass
class WithdrawalRow:
    """One department's withdrawals: taken down within 3 working days of the notice or
    not, and those still public because no sweep has run since the notice."""

    provider: str
    total: int
    on_time: int
    late: int
    waiting: int
    overdue: int  # waiting past the deadline: the credit office must act


@dataclass
class WithdrawalEntry:
    record_id: int
    subject_id: int
    item: str
    provider: str
    source_id: str
    reason: str
    notice_at: datetime.datetime
    deadline: datetime.date | None  # None: the calendar does not reach (alarm)
    ended_at: datetime.datetime | None
    state: str  # on_time / late / waiting / overdue


@dataclass
class WithdrawalReport:
    rows: list[WithdrawalRow]
    entries: list[WithdrawalEntry]  # still public first, then the latest taken down


def _overdue_before(today: datetime.date) -> datetime.date | None:
    """The last notice date whose 3-working-day deadline has already passed (deadlines
    only grow with the notice date); None when the calendar does not reach."""

    day = today
    try:
        while workdays.add_workdays(day, WITHDRAW_WORKDAYS) >= today:
            day -= datetime.timedelta(days=1)
    except workdays.CalendarNotCovered:
        return None
    return day


def _withdrawn_still_public(actor: Actor):
    """Publications of withdrawn records not yet taken down (from the records' partial
    index of withdrawn ones: a handful among millions)."""
    return _scoped(actor, Publication.objects.filter(record__status="withdrawn")).exclude(
        status=PublicationStatus.WITHDRAWN
    )


def _overdue_q(today: datetime.date) -> Q:
    """Of :func:`_withdrawn_still_public`, those past their deadline; an uncovered
    calendar counts every one as overdue: an alarm."""
    cutoff = _overdue_before(today)
    return Q(record__received_at__date__lte=cutoff) if cutoff else Q(record__isnull=False)


def withdrawals_overdue(*, actor: Actor, today: datetime.date) -> int:
    """Withdrawn decisions still public past their deadline in the reader's scope: the
    dashboard's alarm, one count (the report's per-department table is not needed)."""
    return _withdrawn_still_public(actor).filter(_overdue_q(today)).count()


def withdrawal_report(*, actor: Actor, today: datetime.date, limit: int = 50) -> WithdrawalReport:
    """Withdrawn decisions against the 3-working-day rule: per department, and one by one
    (those still public first, then the latest taken down)."""

    names = department_names()
    items = catalog.item_names()
    done = _scoped(actor, Publication.objects.filter(withdrawn_at__isnull=False))
    waiting = _withdrawn_still_public(actor)
    overdue = _overdue_q(today)
    counts: dict[int, dict] = {}
    for qs, annotate in (
        (done, {"total": Count("pk"),
                "on_time": Count("pk", filter=Q(ended_at__date__lte=F("withdraw_deadline")))}),
        (waiting, {"waiting": Count("pk"), "overdue": Count("pk", filter=overdue)}),
    ):  # fmt: skip
        for c in qs.values("provider_id").annotate(**annotate):
            counts.setdefault(c.pop("provider_id"), {}).update(c)
    rows = [
        WithdrawalRow(
            provider=names.get(pid, str(pid)),
            total=c.get("total", 0),
            on_time=c.get("on_time", 0),
            late=c.get("total", 0) - c.get("on_time", 0),
            waiting=c.get("waiting", 0),
            overdue=c.get("overdue", 0),
        )
        for pid, c in sorted(counts.items(), key=lambda kv: names.get(kv[0], ""))
    ]

    def entry(p, notice, deadline, state) -> WithdrawalEntry:
        r = p.record
        return WithdrawalEntry(
            record_id=r.pk, subject_id=r.subject_id, item=items.get(r.item_code, r.item_code),
            provider=names.get(r.provider_id, ""), source_id=r.source_id,
            reason=r.withdraw_reason, notice_at=notice, deadline=deadline,
            ended_at=p.ended_at, state=state,
        )  # fmt: skip

    entries = []
    for p in waiting.select_related("record").order_by("record__received_at")[:limit]:
        try:
            deadline = workdays.add_workdays(
                timezone.localdate(p.record.received_at), WITHDRAW_WORKDAYS
            )
        except workdays.CalendarNotCovered:
            deadline = None
        late = deadline is None or deadline < today
        entries.append(entry(p, p.record.received_at, deadline, "overdue" if late else "waiting"))
    for p in done.select_related("record").order_by("-withdrawn_at")[:limit]:
        in_time = p.withdraw_deadline and timezone.localdate(p.ended_at) <= p.withdraw_deadline
        entries.append(entry(p, p.withdrawn_at, p.withdraw_deadline,
                             "on_time" if in_time else "late"))  # fmt: skip
    return WithdrawalReport(rows=rows, entries=entries)


def feed_rows(entries: list[dict], item) -> Iterator[list]:
    """The feed of one item as table rows (header first): the entry's keys, then the item's
    public fields by standard code."""

    codes = visible_codes(item, 0)
    yield ["seq", "action", "at", "provider", "source_id", *codes]
    for e in entries:
        yield [e["seq"], e["action"], e["at"].isoformat(), e["provider"], e["source_id"],
               *(e["fields"].get(c, "") for c in codes)]  # fmt: skip


# The dual-publicity column of the portal (信用双公示).
COLUMN_ITEMS = {"licence": "administrative_licence", "penalty": "administrative_penalty"}
COLUMN_PAGE = 20
# A fragment of a decision number (〔2026〕12) is matched as a substring from this length
# on, through the trigram index of records/0005 on PostgreSQL; at most NUMBER_WINDOW
# records are taken (a fragment such as 2026 matches a year's decisions: refine).
NUMBER_FRAGMENT_MIN = 3
NUMBER_WINDOW = 2000
_LIST_FIELDS = {  # kind → (category, authority, content) field codes
    "licence": ("XK_XKLB", "XK_XKJG", "XK_NR"),
    "penalty": ("CF_CFLB", "CF_CFJG", "CF_NR"),
}


@dataclass
class ColumnQuery:
    kind: str
    q: str
    provider: str
    date_from: datetime.date | None
    date_to: datetime.date | None
    page: int


@dataclass
class ColumnRow:
    id: int
    name: str
    uscc: str
    decision_no: str
    category: str
    authority: str
    content: str
    decision_date: datetime.date | None


def column_query(params) -> ColumnQuery:
    """The column's filters from a query string, or ValidationFailed naming the field."""
    errors = []
    kind = params.get("kind") or "penalty"
    if kind not in COLUMN_ITEMS:
        errors.append(FieldError("kind", "enum", gettext("类别应为行政许可或行政处罚")))
    q = (params.get("q") or "").strip()
    if len(q) > 50:
        errors.append(FieldError("q", "max_length", gettext("查询内容不得超过50个字符")))
    dates = {}
    for name in ("date_from", "date_to"):
        raw = params.get(name) or ""
        try:
            dates[name] = datetime.date.fromisoformat(raw) if raw else None
        except ValueError:
            errors.append(FieldError(name, "date.format", gettext("日期应为 YYYY-MM-DD")))
    try:
        page = int(params.get("page") or 1)
        if not 1 <= page <= 500:
            raise ValueError
    except ValueError:
        errors.append(FieldError("page", "range", gettext("页码应为1到500之间的整数")))
        page = 1
    if errors:
        raise ValidationFailed(errors)
    return ColumnQuery(kind, q, (params.get("provider") or "").strip(), dates["date_from"],
                       dates["date_to"], page)  # fmt: skip


def column_search(query: ColumnQuery) -> tuple[list[ColumnRow], bool]:
    """Published licences or penalties, newest decision first: by subject name (substring),
    USCC or decision number, department and decision date. Read from the publications,
    whose (item, status, decision date) index serves the listing, then the page's records."""

    qs = Publication.objects.filter(
        shown_q(timezone.localdate()), item_code=COLUMN_ITEMS[query.kind]
    )
    if query.q:
        records = Record.objects.filter(item_code=COLUMN_ITEMS[query.kind])
        try:
            subject = subject_by_uscc(validate_uscc(query.q))
            subjects = [subject.pk] if subject else []
        except IdentifierError:
            # The first 100 subjects whose name contains the text (name search's page).
            subjects = []
            if len(query.q) >= 2 and not looks_like_code(query.q):
                subjects = [s.pk for s in subject_search(q=query.q, page_size=100).results]
        # Index lookups rather than one OR, which no index serves: records of those
        # subjects, and the records whose decision number is, or holds, the text.
        found = set(records.filter(subject_id__in=subjects).values_list("pk", flat=True))
        found |= set(
            records.filter(
                provider_id__in=Department.objects.values("pk"), source_id=query.q
            ).values_list("pk", flat=True)
        )
        if len(query.q) >= NUMBER_FRAGMENT_MIN:
            found |= set(
                records.filter(source_id__contains=query.q).values_list("pk", flat=True)[
                    :NUMBER_WINDOW
                ]
            )
        qs = qs.filter(record_id__in=found)
    if query.provider:
        # The department's id first: with the value in hand the planner knows a department
        # that published little from one that published much (its statistics), instead of
        # walking the whole column newest first looking for a rare one.
        provider = Department.objects.filter(code=query.provider).values_list("pk", flat=True)
        qs = qs.filter(provider_id=provider.first() or 0)
    if query.date_from:
        qs = qs.filter(decision_date__gte=query.date_from)
    if query.date_to:
        qs = qs.filter(decision_date__lte=query.date_to)
    start = (query.page - 1) * COLUMN_PAGE
    ids = list(
        qs.order_by("-decision_date", "-record_id").values_list("record_id", flat=True)[
            start : start + COLUMN_PAGE + 1
        ]
    )
    records = Record.objects.in_bulk(ids[:COLUMN_PAGE])
    category, authority, content = _LIST_FIELDS[query.kind]
    rows = []
    for pk in ids[:COLUMN_PAGE]:
        r = records[pk]
        f = public_fields(r)
        rows.append(
            ColumnRow(r.pk, f.get("XDR_MC", ""), f.get("XDR_SHXYM", ""), r.source_id,
                      str(f.get(category, "")).replace(";", "、"), f.get(authority, ""),
                      str(f.get(content, ""))[:80], r.decision_date)
        )  # fmt: skip
    return rows, len(ids) > COLUMN_PAGE


@dataclass
class ColumnDetail:
    record: object  # RecordOut: public fields, persons' names masked
    provider: str
    published_at: datetime.datetime | None
    public_until: datetime.date | None
    subject_id: int | None = None  # the subject's portal page (None: a person has none)
    under_objection: bool = False  # marked 异议中, as the credit file and reports show it


def column_detail(*, record_id: int) -> ColumnDetail:
    """One published licence or penalty: its public fields and publication, or NotFound."""

    r = (
        Record.objects.filter(
            shown_q(timezone.localdate(), via="publication__"),
            pk=record_id,
            status="active",
            item_code__in=COLUMN_ITEMS.values(),
        )
        .select_related("publication", "subject")
        .first()
    )
    if r is None:
        raise NotFound(gettext("该信息不存在或已不在公示期内"))
    provider = Department.objects.filter(pk=r.provider_id).values_list("name", flat=True).first()
    return ColumnDetail(
        record_out(r, level=0, provider=provider or "", provenance=False),
        provider or "",
        r.publication.published_at,
        r.publication.public_until,
        subject_id=r.subject_id if r.subject.kind in PUBLIC_KINDS else None,
        under_objection=bool(records_under_objection([r.pk])),
    )


def published_counts() -> dict[str, int]:
    """Licences and penalties the public sees now (the portal's headline figures): two
    counts over the column's (item, status, decision date) index, cached five minutes."""

    def count() -> dict[str, int]:
        shown = Publication.objects.filter(shown_q(timezone.localdate()))
        return {kind: shown.filter(item_code=item).count() for kind, item in COLUMN_ITEMS.items()}

    return page_cache.figure("disclosure:published_counts", count)


def column_departments() -> list[tuple[str, str]]:
    """Departments for the column's filter (all active ones: asking which have published
    decisions would scan every publication on every page view)."""
    return list(
        Department.objects.filter(is_active=True).order_by("code").values_list("code", "name")
    )
