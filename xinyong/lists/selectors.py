"""Reads of credit lists. A department sees its own cases at every step and other
departments' entries only once published; the platform operator and the auditor see all.
What has effect is decided by one rule (``lists.models.in_force_q`` and the methods built
from it), used by the credit check, the portal and the pages alike."""

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from xinyong.lists.choices import EntryStatus, ListEffect
from xinyong.lists.models import ListEntry, ListType, Roll, RollExclusion


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
