"""Reads of credit lists. A department sees its own cases at every step and other
departments' entries only once published; the platform operator and the auditor see all.
What has effect is decided by one rule (``lists.models.in_force_q`` and the methods built
from it), used by the credit check, the portal and the pages alike."""

import datetime
import operator
from functools import reduce

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.lists.choices import EntryAction, EntryStatus, ListEffect
from xinyong.lists.models import ListEntry, ListType, Roll
from xinyong.lists.procedure import STEPS


def list_types(*, active_only: bool = True) -> QuerySet[ListType]:
    qs = ListType.objects.all()
    return qs.filter(active=True) if active_only else qs


def entries_visible(actor: Actor) -> QuerySet[ListEntry]:
    """Entries this reader may see in the back office: its department's cases at every
    step, others' once published (``ListEntry.objects.visible_to``)."""
    if not actor.is_staff:
        raise PermissionDenied("名单办理信息仅限部门工作人员查看")
    return ListEntry.objects.visible_to(actor).select_related("list_type", "subject", "department")


def entry_get(*, actor: Actor, entry_id: int) -> ListEntry:
    entry = entries_visible(actor).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(f"没有名单条目 {entry_id}")
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
