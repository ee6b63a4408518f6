"""Reads of public bodies' notices: the queue of notices to acknowledge (the addressee
department's) and of those outstanding (the issuing department's, the credit office's
all), one receipt with its notice, the dashboard's to-do list, the staff misconduct
notices a department issued, and the public bodies' credit files."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.bodies.models import NoticeReceipt, PublicBodyProfile, StaffMisconduct
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.lists.documents import _PUBLIC_FORMS, is_public_body
from xinyong.lists.models import EntryNotice, ListEntry
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.models import Subject

LIMIT = 500


def _outstanding(actor: Actor, action: Action):
    return NoticeReceipt.objects.filter(access.acting_q(actor, action),
                                        acknowledged_at__isnull=True)  # fmt: skip


def _rows(qs):
    return list(qs.select_related("body", "issuer", "department").order_by("due", "pk")[:LIMIT])


def receipts_queue(*, actor: Actor) -> dict:
    """待签收通报: for the reader's department, what it must acknowledge and what it sent
    that is not acknowledged yet (the credit office: every outstanding one), late first by
    deadline; below, the latest acknowledged ones the reader sees."""
    if not actor.is_staff:
        return {"to_acknowledge": [], "sent": [], "done": []}
    done = (
        NoticeReceipt.objects.visible_to(actor).filter(acknowledged_at__isnull=False)
        .select_related("body", "issuer", "department").order_by("-acknowledged_at", "-pk")[:20]
    )  # fmt: skip
    return {
        "to_acknowledge": _rows(_outstanding(actor, Action.NOTICE_ACKNOWLEDGE)),
        "sent": _rows(_outstanding(actor, Action.NOTICE_RECEIPT_RECORD)),
        "done": list(done),
    }


def receipt_get(*, actor: Actor, receipt_id: int, audit: bool = True) -> NoticeReceipt:
    """One receipt the reader sees (the issuing and the addressee department, the credit
    office, the auditor), with its notice; anything else is not found. The read of the
    notice is audited (``audit=False``: the answer to a step just taken, already audited)."""
    found = None
    if actor.is_staff and 0 < receipt_id <= DB_INT_MAX:
        found = (
            NoticeReceipt.objects.visible_to(actor)
            .select_related("body", "issuer", "department", "entry_notice__entry__list_type",
                            "misconduct")
            .filter(pk=receipt_id).first()
        )  # fmt: skip
    if found is None:
        raise NotFound(_("没有通报 %(id)s") % {"id": receipt_id})
    if audit:
        with transaction.atomic():
            audit_event_append(actor=actor, action=AuditAction.NOTICE_READ,
                               object_type="notice_receipt", object_id=found.pk,
                               detail={"source": found.source, "body": found.body_id})  # fmt: skip
    return found


def notices_addressed(*, actor: Actor, status: str = "") -> list[NoticeReceipt]:
    """The notices addressed to the reader's department — those it acknowledges
    (:data:`Action.NOTICE_ACKNOWLEDGE`) — by deadline, at most :data:`LIMIT`: ``outstanding``
    ones, ``acknowledged`` ones, or (``""``) both. An actor of no department gets none."""
    qs = NoticeReceipt.objects.visible_to(actor).filter(
        access.acting_q(actor, Action.NOTICE_ACKNOWLEDGE)
    )
    if status == "outstanding":
        qs = qs.filter(acknowledged_at__isnull=True)
    elif status == "acknowledged":
        qs = qs.filter(acknowledged_at__isnull=False)
    return _rows(qs)


def receipt_text(receipt: NoticeReceipt) -> str:
    """The notice as issued, shown to whoever sees the receipt (its addressee included)."""
    if receipt.entry_notice_id:
        return receipt.entry_notice.body
    return receipt.misconduct.body


def receipts_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Notices waiting for the reader's department's acknowledgement, by deadline."""
    qs = _outstanding(actor, Action.NOTICE_ACKNOWLEDGE)
    items = [
        Todo(
            step=str(_("签收通报")),
            subject=r.body.name,
            about=r.title,
            url=reverse("backoffice:notice_receipt", args=[r.pk]),
            due=r.due,
            late=r.late_on(today),
        )
        for r in qs.select_related("body").order_by("due", "pk")[:SHOWN]
    ]
    url = reverse("backoffice:notice_receipts")
    return TodoList("notice_receipts", _("待签收通报"), url, qs.count(), late_first(items))


def misconduct_list(*, actor: Actor, limit: int = 100) -> list[StaffMisconduct]:
    """The staff misconduct notices the reader's department issued (the credit office:
    all), newest first, with their receipts."""
    return list(
        StaffMisconduct.objects.visible_to(actor)
        .select_related("unit", "person", "department").prefetch_related("receipts")
        .order_by("-recorded_at", "-pk")[:limit]
    )  # fmt: skip


def discipline_departments() -> list[tuple[str, str]]:
    return list(Department.objects.filter(is_active=True).values_list("code", "name"))


def public_bodies_q() -> Q:
    """:func:`xinyong.lists.documents.is_public_body` as a filter on subjects."""
    q = Q(uscc__startswith="12")
    for word in _PUBLIC_FORMS:
        q |= Q(legal_form__contains=word)
    return q & ~Q(kind=SubjectKind.PERSON)


def public_bodies(*, actor: Actor, q: str = "", limit: int = 200) -> list[Subject]:
    """Public institutions and state-owned enterprises, by name (``q`` narrows), each with
    the list entries the reader sees and its outstanding notices."""
    qs = Subject.objects.filter(public_bodies_q())
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(uscc=q.upper()))
    bodies = list(qs.order_by("name", "pk")[:limit])
    ids = [b.pk for b in bodies]
    entries = dict(
        ListEntry.objects.visible_to(actor).filter(subject_id__in=ids)
        .values_list("subject_id").annotate(n=Count("pk"))
    )  # fmt: skip
    receipts = NoticeReceipt.objects.visible_to(actor).filter(body_id__in=ids)
    open_ = dict(receipts.filter(acknowledged_at__isnull=True).values_list("body_id")
                 .annotate(n=Count("pk")))  # fmt: skip
    late = dict(receipts.filter(acknowledged_at__isnull=True, due__lt=timezone.localdate())
                .values_list("body_id").annotate(n=Count("pk")))  # fmt: skip
    for b in bodies:
        b.entries_seen, b.outstanding, b.overdue = (
            entries.get(b.pk, 0),
            open_.get(b.pk, 0),
            late.get(b.pk, 0),
        )
    return bodies


def public_body_file(*, actor: Actor, subject_id: int) -> dict:
    """A public body's credit file as staff see it: its list entries (the reader's scope),
    the notices issued about it and each addressee's acknowledgement, the staff
    misconduct notices about its staff, and who its notices go to. The read is audited
    (non-public entries and notices)."""
    body = None
    if actor.is_staff and 0 < subject_id <= DB_INT_MAX:
        body = Subject.objects.filter(pk=subject_id).first()
    if body is None or not is_public_body(body):
        raise NotFound(_("没有机关事业单位或国有企业 %(id)s") % {"id": subject_id})
    entries = list(
        ListEntry.objects.visible_to(actor).filter(subject=body)
        .select_related("list_type", "department").order_by("-opened_at", "-pk")
    )  # fmt: skip
    receipts = list(
        NoticeReceipt.objects.visible_to(actor).filter(body=body)
        .select_related("issuer", "department", "entry_notice").order_by("-sent_at", "-pk")
    )  # fmt: skip
    notices = list(
        EntryNotice.objects.visible_to(actor).filter(entry__subject=body, kind="superior")
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    with transaction.atomic():
        audit_event_append(actor=actor, action=AuditAction.CREDIT_FILE_READ,
                           object_type="public_body", object_id=body.pk,
                           detail={"entries": len(entries), "receipts": len(receipts)})  # fmt: skip
    return {
        "body": body,
        "profile": PublicBodyProfile.objects.filter(subject=body)
        .select_related("superior_department", "audit_department")
        .first(),
        "entries": entries,
        "notices": notices,
        "list_receipts": [r for r in receipts if r.entry_notice_id],
        "misconduct_receipts": [r for r in receipts if r.misconduct_id],
    }
