"""Reads of credit lists. A department sees its own cases at every step and other
departments' entries only once published; the platform operator and the auditor see all.
What has effect is decided by one rule (``lists.models.in_force_q`` and the methods built
from it), used by the credit check, the portal and the pages alike."""

import datetime
import operator
from dataclasses import dataclass
from functools import reduce

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import cache as page_cache
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.lists.choices import EntryAction, EntryStatus, ListEffect, NoticeKind
from xinyong.lists.models import (
    EntryStatement,
    ListEntry,
    ListType,
    Roll,
    RollExclusion,
    StatementFile,
)
from xinyong.lists.procedure import STEPS


def list_types(*, active_only: bool = True) -> QuerySet[ListType]:
    qs = ListType.objects.all()
    return qs.filter(active=True) if active_only else qs


def entries_visible(actor: Actor) -> QuerySet[ListEntry]:
    """Entries this reader may see in the back office: its department's cases at every
    step, others' once published (``ListEntry.objects.visible_to``)."""
    if not actor.is_staff:
        raise PermissionDenied(_("名单办理信息仅限部门工作人员查看"))
    return ListEntry.objects.visible_to(actor).select_related("list_type", "subject", "department")


def entry_get(*, actor: Actor, entry_id: int) -> ListEntry:
    entry = entries_visible(actor).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("没有名单条目 %(entry_id)s") % {"entry_id": entry_id})
    return entry


def cases(*, actor: Actor, status: str | None = None, list_code: str | None = None):
    """The reader's department's cases (every step) and, for the operator, everyone's."""
    qs = entries_visible(actor)
    if not actor.reads_all_departments:
        qs = qs.filter(department_id=actor.department_id)
    if status:
        qs = qs.filter(status=status)
    if list_code:
        qs = qs.filter(list_type__code=list_code)
    return qs.order_by("-opened_at", "-pk")


def subject_entries(*, actor: Actor, subject_id: int) -> list[ListEntry]:
    """A subject's entries as a back-office reader may see them (its credit file), newest
    first; and for a person, the entries of organisations they were responsible for — not
    public, so that read is audited."""
    qs = entries_visible(actor)
    entries = list(
        qs.filter(Q(subject_id=subject_id) | Q(persons__person_id=subject_id))
        .distinct()
        .order_by("-opened_at")
    )
    as_person = [e.pk for e in entries if e.subject_id != subject_id]
    if as_person:
        with transaction.atomic():
            audit_event_append(
                actor=actor, action=AuditAction.CREDIT_FILE_READ, object_type="subject",
                object_id=subject_id, detail={"responsible_for_entries": as_person},
            )  # fmt: skip
    return entries


def own_entries(*, subject) -> list[ListEntry]:
    """A subject's entries from the prior notice on (it was told of them), newest first."""
    hidden = (EntryStatus.OPENED, EntryStatus.DROPPED)
    return list(
        ListEntry.objects.filter(subject=subject)
        .exclude(status__in=hidden)
        .select_related("list_type", "department", "subject")
        .order_by("-opened_at")
    )


def public_entries(*, subject_id: int, today: datetime.date) -> list[ListEntry]:
    """What the portal shows of a subject: entries in effect of public lists."""
    return list(
        ListEntry.objects.in_force(today)
        .filter(subject_id=subject_id, list_type__public=True)
        .select_related("list_type", "department")
        .order_by("-published_at")
    )


def rolls() -> list[str]:
    """The published periods, newest first."""
    return list(Roll.objects.values_list("period", flat=True))


def latest_rolls(*, limit: int = 5) -> list[Roll]:
    """The latest published rolls, newest first (the portal's announcements)."""
    return list(Roll.objects.order_by("-published_at")[:limit])


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    """A roll's period ``YYYY-MM`` as its first day and the first day of the next month."""
    try:
        first = datetime.date.fromisoformat(f"{period}-01")
    except (TypeError, ValueError):
        raise ValidationFailed(
            [FieldError("period", "period.format", gettext("期次应为 YYYY-MM，如 2026-10"))]
        ) from None
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, following


def period_ended(period: str, today: datetime.date) -> bool:
    """Whether a roll's month is over (a roll is published only then)."""
    return period_bounds(period)[1] <= today


def roll_candidates(*, first: datetime.date, following: datetime.date, today: datetime.date):
    """The entries a month's roll would publish: public roll lists (ListType.on_roll),
    decided in the month, in effect ``today``. The preview and the publication read the same."""
    return (
        ListEntry.objects.in_force(today)
        .filter(
            list_type__on_roll=True,
            list_type__public=True,
            decided_on__gte=first,
            decided_on__lt=following,
        )
        .select_related("list_type", "department", "subject")
        .order_by("list_type__code", "-decided_on", "pk")
    )


def roll_preview(*, period: str, today: datetime.date) -> tuple[list, list]:
    """The honor (red) and dishonor (black) entries a month's roll would publish, for the
    credit office to confirm; ValidationFailed for a period that is not a month."""
    first, following = period_bounds(period)
    entries = list(roll_candidates(first=first, following=following, today=today))
    red = [e for e in entries if e.list_type.effect == ListEffect.POSITIVE]
    black = [e for e in entries if e.list_type.effect == ListEffect.NEGATIVE]
    return red, black


def roll_exclusions(periods: list[str]) -> dict[str, list]:
    """The entries left off each published roll, with the reasons, by period."""
    found: dict[str, list] = {p: [] for p in periods}
    rows = (
        RollExclusion.objects.filter(roll__period__in=periods)
        .select_related("roll", "entry__subject", "entry__list_type")
        .order_by("entry__list_type__code", "pk")
    )
    for x in rows:
        found[x.roll.period].append(x)
    return found


def roll_entries(*, period: str | None, today: datetime.date):
    """A published roll (the newest when no period is asked) and its entries still in
    effect — a repaired or removed entry leaves the roll it was published on."""
    qs = Roll.objects.all()
    roll = qs.filter(period=period).first() if period else qs.first()
    if roll is None:
        return None, [], []
    entries = list(
        roll.entries.in_force(today)
        .select_related("list_type", "department", "subject")
        .order_by("list_type__code", "-decided_on")
    )
    red = [e for e in entries if e.list_type.effect == ListEffect.POSITIVE]
    black = [e for e in entries if e.list_type.effect == ListEffect.NEGATIVE]
    return roll, red, black


# --- the portal's lists column ------------------------------------------------------------

COLUMN_PAGE = 20
COLUMN_MAX_PAGE = 100


def public_list_types() -> list[ListType]:
    """The lists the public sees (the column's index), honor lists first, by name."""
    return list(ListType.objects.filter(active=True, public=True).order_by("-effect", "name"))


def public_list_type(*, code: str) -> ListType:
    found = ListType.objects.filter(code=code, active=True, public=True).first()
    if found is None:
        raise NotFound(_("没有公开的名单 %(code)s") % {"code": code})
    return found


@dataclass(frozen=True)
class ListColumnPage:
    q: str
    page: int
    entries: list[ListEntry]
    has_next: bool


def public_list_search(
    *, list_type: ListType, q: str, page: int, today: datetime.date
) -> ListColumnPage:
    """Entries in force of one public list, newest publication first, found by the
    subject's name, its USCC (a code-like text that is no valid USCC and no decision
    number holds is refused naming the rule it breaks) or the decision number (or a
    fragment of it). Through the
    (list type, status, published) index; the name through the subjects' name search
    (its first 100 organisations and individual businesses: persons are never searched by
    name, their names being published masked)."""
    from xinyong.subjects.identifiers import IdentifierError, validate_uscc
    from xinyong.subjects.selectors import looks_like_code, subject_by_uscc, subject_search

    q = " ".join((q or "").split())
    errors = []
    if len(q) > 50:
        errors.append(FieldError("q", "max_length", gettext("查询内容不得超过50个字符")))
    if not 1 <= page <= COLUMN_MAX_PAGE:
        message = gettext("页码应为1到%(n)s之间的整数") % {"n": COLUMN_MAX_PAGE}
        errors.append(FieldError("page", "range", message))
    if errors:
        raise ValidationFailed(errors)
    qs = ListEntry.objects.in_force(today).filter(list_type=list_type)
    if q and looks_like_code(q):
        try:
            subject = subject_by_uscc(validate_uscc(q))
            qs = qs.filter(subject_id=subject.pk if subject else None)
        except IdentifierError as e:
            # Latin letters and digits may be a decision number too; only when none holds
            # them is the text answered as the code it then was meant to be.
            qs = qs.filter(decision_no__contains=q)
            if not qs.exists():
                raise ValidationFailed([FieldError("q", e.rule, e.message)]) from None
    elif q:
        by_number = Q(decision_no__contains=q)
        if len(q) >= 2:
            ids = [s.pk for s in subject_search(q=q, page_size=100).results]
            by_number |= Q(subject_id__in=ids)
        qs = qs.filter(by_number)
    start = (page - 1) * COLUMN_PAGE
    rows = list(
        qs.select_related("list_type", "department", "subject").order_by("-published_at", "-pk")[
            start : start + COLUMN_PAGE + 1
        ]
    )
    return ListColumnPage(q, page, rows[:COLUMN_PAGE], len(rows) > COLUMN_PAGE)


def in_force_counts() -> dict[str, int]:
    """Entries in force of public lists, honor and dishonor (the portal's headline
    figures), cached five minutes."""

    def count() -> dict[str, int]:
        qs = ListEntry.objects.in_force(timezone.localdate()).filter(list_type__public=True)
        rows = qs.values_list("list_type__effect").annotate(n=Count("pk")).order_by()
        found = dict(rows)
        return {e: found.get(e, 0) for e in ListEffect.values}

    return page_cache.figure("lists:in_force_counts", count)


# -- documents and online statements ----------------------------------------------------
def document_entry(*, actor: Actor, entry_id: int, own: bool = False) -> ListEntry:
    """The entry whose documents ``actor`` asks for: staff — an entry they see in the back
    office; a portal account — its bound subject's entry once the subject was told of it
    (from the prior notice on). Anything else is not found (:attr:`Action.ENTRY_DOCUMENT`).
    ``own``: asked from the account pages, where only the subject's own account reads."""
    if own and not actor.is_portal_account:
        raise NotFound(_("没有名单条目 %(entry_id)s") % {"entry_id": entry_id})
    if actor.is_staff:
        entry = entries_visible(actor).filter(pk=entry_id).first()
    else:
        entry = (
            ListEntry.objects.select_related("list_type", "subject", "department")
            .exclude(status=EntryStatus.OPENED)
            .filter(pk=entry_id)
            .first()
        )
    message = _("没有名单条目 %(entry_id)s") % {"entry_id": entry_id}
    if entry is None:
        raise NotFound(message)
    access.require(actor, Action.ENTRY_DOCUMENT, entry, hide=True, message=message)
    return entry


def documents_available(entry: ListEntry) -> list[str]:
    """The documents the procedure has issued so far (``NoticeKind`` values, in order)."""
    out = []
    if entry.notified_at and entry.notice_no:
        out.append(NoticeKind.PRIOR_NOTICE)
    if entry.decided_on and entry.decision_no and entry.status not in (EntryStatus.OPENED,):
        out.append(NoticeKind.DECISION)
    return out


def statements(*, actor: Actor, entry: ListEntry) -> list[EntryStatement]:
    """The statements the subject filed online on ``entry``, with their attachments, as
    the reader may see them (the designating department, the operator, the auditor, the
    subject's bound account)."""
    return list(
        EntryStatement.objects.visible_to(actor)
        .filter(entry=entry)
        .prefetch_related("files")
        .order_by("filed_at", "pk")
    )


def statement_open(entry: ListEntry, today: datetime.date) -> bool:
    """Whether the subject may still file a statement online (the page offers the form;
    the service decides)."""
    return (
        entry.status == EntryStatus.NOTIFIED
        and entry.statement_due is not None
        and today <= entry.statement_due
    )


def statement_ended(entry: ListEntry, today: datetime.date) -> bool:
    """Whether the case waits for its hearing with the statement period over (the page
    then says the period ended, rather than that the case has moved on)."""
    return (
        entry.status == EntryStatus.NOTIFIED
        and entry.statement_due is not None
        and today > entry.statement_due
    )


def statement_file(*, actor: Actor, file_id: int):
    """An attachment of an online statement, for a reader of the case's documents (the
    designating department, the operator; the subject's own account): its path and name,
    the read audited."""
    f = (
        StatementFile.objects.visible_to(actor)
        .select_related("statement__entry")
        .filter(pk=file_id)
        .first()
    )
    if f is None:
        raise NotFound(_("没有附件 %(file_id)s") % {"file_id": file_id})
    access.require(actor, Action.ENTRY_DOCUMENT, f.statement.entry, hide=True)
    with transaction.atomic():
        audit_event_append(
            actor=actor, action=AuditAction.DOCUMENT_READ, object_type="statement_file",
            object_id=f.pk, detail={"entry": f.statement.entry_id, "sha256": f.sha256},
        )  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / f.path, f.name


@dataclass
class CaseDocuments:
    """One case of a subject as its account page shows it: the documents issued, whether
    a statement may still be filed (and until when), what it filed, and the rectification
    orders that followed."""

    entry: ListEntry
    documents: list[tuple[str, str]]  # (NoticeKind value, label)
    statement_open: bool
    statements: list[EntryStatement]
    orders: list  # sanctions.RectificationOrder


def account_documents(*, actor: Actor, subject, today: datetime.date) -> list[CaseDocuments]:
    """The cases of the bound ``subject`` from the prior notice on (the caller checked the
    binding), newest first."""
    entries = own_entries(subject=subject) + list(
        ListEntry.objects.filter(subject=subject, status=EntryStatus.DROPPED)
        .exclude(notified_at=None)
        .select_related("list_type", "department", "subject")
    )
    Order = apps.get_model("sanctions", "RectificationOrder")  # sanctions builds on lists
    orders: dict[int, list] = {}
    for o in Order.objects.filter(entry__in=entries).order_by("issued_at", "pk"):
        orders.setdefault(o.entry_id, []).append(o)
    said: dict[int, list] = {}
    for s in (
        EntryStatement.objects.visible_to(actor)
        .filter(entry__in=entries)
        .prefetch_related("files")
        .order_by("filed_at", "pk")
    ):
        said.setdefault(s.entry_id, []).append(s)
    return [
        CaseDocuments(
            entry=e,
            documents=[(k, str(NoticeKind(k).label)) for k in documents_available(e)],
            statement_open=statement_open(e, today),
            statements=said.get(e.pk, []),
            orders=orders.get(e.pk, []),
        )
        for e in entries
    ]


def _waiting(today: datetime.date) -> dict[str, Q]:
    """The cases each step of the procedure waits on: a prior notice to send, a statement
    period ended (the statement to record, or its absence), a decision to take, a decision
    to publish. A notified case whose period runs is waiting for the subject, not for us."""
    S = EntryStatus
    return {
        EntryAction.NOTIFY: Q(status=S.OPENED, list_type__prior_notice=True),
        EntryAction.HEAR: Q(status=S.NOTIFIED, statement_due__lt=today),
        EntryAction.DECIDE: Q(status=S.HEARD) | Q(status=S.OPENED, list_type__prior_notice=False),
        EntryAction.PUBLISH: Q(status=S.DECIDED),
    }


def _step_of(entry: ListEntry) -> str:
    """The step a case of :func:`_waiting` waits on."""
    if entry.status == EntryStatus.OPENED:
        return EntryAction.NOTIFY if entry.list_type.prior_notice else EntryAction.DECIDE
    return {EntryStatus.NOTIFIED: EntryAction.HEAR, EntryStatus.HEARD: EntryAction.DECIDE,
            EntryStatus.DECIDED: EntryAction.PUBLISH}[entry.status]  # fmt: skip


def cases_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """The designating department's cases waiting for a step the reader's role takes
    (clerks notify and record statements, reviewers decide and publish: the procedure's
    rules), oldest first; the statement period's end (working days, set when notified) is
    when the case began to wait."""
    waiting = [q for action, q in _waiting(today).items() if actor.role in STEPS[action].roles]
    if not waiting:
        return TodoList("cases", _("名单认定待办"), reverse("backoffice:list_cases"), 0, [])
    qs = ListEntry.objects.filter(
        access.acting_q(actor, Action.DEPARTMENT_ACT), reduce(operator.or_, waiting)
    )
    items = []
    for e in qs.select_related("list_type", "subject").order_by("opened_at", "pk")[:SHOWN]:
        action = _step_of(e)
        since = e.statement_due if action == EntryAction.HEAR else None
        items.append(Todo(step=str(EntryAction(action).label),
                          subject=e.subject.name, about=e.list_type.name,
                          url=reverse("backoffice:list_case", args=[e.pk]),
                          since=since or timezone.localtime(e.updated_at).date()))  # fmt: skip
    return TodoList("cases", _("名单认定待办"), reverse("backoffice:list_cases"), qs.count(),
                    late_first(items))  # fmt: skip
