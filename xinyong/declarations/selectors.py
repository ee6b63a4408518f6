"""Reads of self-declaration: the account's own declarations, the queue of those to verify
(late first), one declaration with its evidence, the dashboard's to-do list."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.declarations.choices import DeclarationStatus
from xinyong.declarations.models import Declaration, DeclarationEvidence


def verify_departments() -> list[tuple[str, str]]:
    """The departments an applicant may ask to verify, by name (active ones)."""
    active = Department.objects.filter(is_active=True).order_by("code")
    return list(active.values_list("code", "name"))


def subject_declarations(*, actor: Actor, subject) -> list[Declaration]:
    """A subject's declarations the reader may see (its bound account: all of them), newest
    first, with their evidence and where each stands."""
    return list(
        Declaration.objects.visible_to(actor)
        .filter(subject=subject)
        .select_related("department", "decided_department")
        .prefetch_related("evidence")
        .order_by("-submitted_at", "-pk")
    )


def _to_verify(actor: Actor):
    return Declaration.objects.filter(
        access.acting_q(actor, Action.DECLARATION_VERIFY), status=DeclarationStatus.SUBMITTED
    )


def declaration_queue(*, actor: Actor) -> list[Declaration]:
    """What the reader may verify: for a department, those routed to it; for the platform
    operator, every one (those routed to no department are its own). Late ones first,
    then by deadline."""
    access.require(actor, Action.REMEDY_QUEUE, message=_("无权查看自主申报"))
    return list(
        _to_verify(actor)
        .select_related("subject", "department")
        .prefetch_related("evidence")
        .order_by("verify_due", "submitted_at", "pk")[:500]
    )


def declarations_recent(*, actor: Actor, limit: int = 20) -> list[Declaration]:
    """The reader's latest decisions (and any record still pending), below the queue."""
    access.require(actor, Action.REMEDY_QUEUE, message=_("无权查看自主申报"))
    return list(
        Declaration.objects.visible_to(actor)
        .filter(access.acting_q(actor, Action.DECLARATION_VERIFY))
        .exclude(status=DeclarationStatus.SUBMITTED)
        .select_related("subject", "decided_department")
        .order_by("-decided_at", "-pk")[:limit]
    )


def declaration_get(*, actor: Actor, declaration_id: int) -> Declaration:
    """One declaration for back-office staff and business systems who see it (the routed
    department, the operator); anything else is not found."""
    found = None
    if actor.is_staff and 0 < declaration_id <= DB_INT_MAX:
        found = (
            Declaration.objects.visible_to(actor)
            .select_related("subject", "department", "decided_department")
            .prefetch_related("evidence")
            .filter(pk=declaration_id)
            .first()
        )
    if found is None:
        raise NotFound(_("没有自主申报 %(id)s") % {"id": declaration_id})
    return found


def declarations_to_verify(*, actor: Actor) -> list[Declaration]:
    """A business system's list: the declarations waiting for its department's verification
    (oldest deadline first), with their evidence — none for those who verify nothing."""
    return list(
        _to_verify(actor)
        .select_related("subject", "department")
        .prefetch_related("evidence")
        .order_by("verify_due", "pk")[:500]
    )


def declaration_evidence(*, actor: Actor, evidence_id: int):
    """An evidence file, for those who verify the declaration (the read is audited): its
    path and the name it was uploaded under."""
    e = None
    if actor.is_staff and 0 < evidence_id <= DB_INT_MAX:
        e = (
            DeclarationEvidence.objects.visible_to(actor)
            .select_related("declaration")
            .filter(pk=evidence_id)
            .first()
        )
    if e is None or not access.allowed(actor, Action.DECLARATION_VERIFY, e.declaration):
        raise NotFound(_("没有证明材料 %(id)s") % {"id": evidence_id})
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.CREDIT_FILE_READ,
                           object_type="declaration", object_id=e.declaration_id,
                           detail={"evidence": e.pk})  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / e.path, e.name


def declarations_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Declarations waiting for the reader's verification, by their working-day deadline
    (:func:`acting_q`: the routed department's staff, the operator for every one)."""
    qs = _to_verify(actor)
    url = reverse("backoffice:declarations")
    items = [
        Todo(
            step=str(_("核实自主申报")),
            subject=d.subject.name,
            about=d.title,
            url=reverse("backoffice:declaration", args=[d.pk]),
            due=d.verify_due,
            late=today > d.verify_due,
        )
        for d in qs.select_related("subject").order_by("verify_due", "pk")[:SHOWN]
    ]
    return TodoList("declarations", _("自主申报待核实"), url, qs.count(), late_first(items))
