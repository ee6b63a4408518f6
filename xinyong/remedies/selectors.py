"""Reads of objections and repair. This part: the bindings of a portal account, the queue
of bindings to review, and a bound subject's own file."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.selectors import item_names
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX
from xinyong.core.todo import SHOWN, Todo, TodoList, late_first
from xinyong.lists.choices import EntryStatus, RemovalReason
from xinyong.lists.schemas import PublicEntryOut
from xinyong.lists.selectors import own_entries
from xinyong.records.models import Record
from xinyong.remedies import rules
from xinyong.remedies.choices import (
    OBJECTION_OPEN,
    BindingStatus,
    ObjectionStatus,
    RepairStatus,
)
from xinyong.remedies.models import (
    Notification,
    Objection,
    RepairApplication,
    RepairMaterial,
    SubjectBinding,
)
from xinyong.reports.selectors import report_pdf
from xinyong.reports.services import verify_link


def my_bindings(*, actor: Actor) -> list[SubjectBinding]:
    return list(SubjectBinding.objects.filter(user_id=actor.user_id).select_related("subject"))


def bound_subject(*, actor: Actor, subject_id: int):
    """The subject, if this portal account is bound to it; a subject sees its own file
    only (anything else is not found)."""
    if actor.user_id is None or not 0 < subject_id <= DB_INT_MAX:  # beyond any row
        raise NotFound(_("没有绑定主体 %(subject_id)s") % {"subject_id": subject_id})
    binding = (
        SubjectBinding.objects.filter(
            user_id=actor.user_id, subject_id=subject_id, status=BindingStatus.APPROVED
        )
        .select_related("subject")
        .first()
    )
    if actor.user_id is None or binding is None:
        raise NotFound(_("没有绑定主体 %(subject_id)s") % {"subject_id": subject_id})
    return binding.subject


def pending_bindings(*, actor: Actor) -> list[SubjectBinding]:
    """What the reader may review: every pending binding for the operator; for a
    department, those of subjects it registered."""
    access.require(actor, Action.REMEDY_QUEUE, message="无权审核主体绑定")
    qs = SubjectBinding.objects.visible_to(actor).filter(status=BindingStatus.PENDING)
    return list(qs.select_related("subject", "user").order_by("requested_at"))


def binding_evidence(*, actor: Actor, binding_id: int):
    """The uploaded proof, for a reviewer of the binding (the read is audited)."""
    binding = (
        SubjectBinding.objects.visible_to(actor).select_related("subject").filter(pk=binding_id)
    ).first()
    if binding is None or not access.allowed(actor, Action.BINDING_REVIEW, binding):
        raise NotFound(_("没有绑定申请 %(binding_id)s") % {"binding_id": binding_id})
    return _material_read(
        actor, AuditAction.BINDING_REVIEW, "binding", binding.pk, {"read": "evidence"},
        binding.evidence_path, binding.evidence_name,
    )  # fmt: skip


def _material_read(actor: Actor, action, object_type: str, object_id: int, detail: dict,
                   path: str, name: str):  # fmt: skip
    """An uploaded material handed to a reader already found entitled: the read audited,
    then its file and the name it was uploaded under."""
    with transaction.atomic():
        audit_event_append(actor=actor, action=action, object_type=object_type,
                           object_id=object_id, detail=detail)  # fmt: skip
    return settings.XINYONG_REMEDY_DIR / path, name


@dataclass
class ObjectionRow:
    """An objection as a queue shows it, with the step that is late, if any."""

    objection: Objection
    target: str
    overdue: str  # "", or the step past its deadline: mark / forward / decide


def _overdue(o: Objection, today: datetime.date) -> str:
    if o.status == ObjectionStatus.RECEIVED and today > o.mark_due:
        return "mark"
    if o.status in (ObjectionStatus.RECEIVED, ObjectionStatus.MARKED) and today > o.forward_due:
        return "forward"
    if o.status == ObjectionStatus.FORWARDED and o.decide_due and today > o.decide_due:
        return "decide"
    return ""


def decided_on_time_q() -> Q:
    """Decided by its due date — the working-day deadline stored when it was filed, its
    last day included (the queues call a step late from the day after it): objections
    (the provider's ``decide_due``) and repair applications alike. The effectiveness
    scorecards (``stats.scorecards``) count it."""
    return Q(decided_at__isnull=False, decided_at__date__lte=F("decide_due"))


def _rows(qs, today) -> list[ObjectionRow]:
    out, items = [], item_names()
    for o in qs.select_related("record", "entry__list_type", "subject", "provider")[:500]:
        target = (f"{o.entry.list_type.name} {o.entry.decision_no}" if o.entry_id
                  else f"{items.get(o.record.item_code, '')} {o.record.source_id}")  # fmt: skip
        out.append(ObjectionRow(o, target, _overdue(o, today)))
    return out


def objection_queue(*, actor: Actor, today: datetime.date, open_only: bool = True):
    """The operator: every objection (to mark and forward, late ones flagged); a
    department: those on its own information (to decide)."""
    access.require(actor, Action.REMEDY_QUEUE, message="无权查看异议")
    qs = Objection.objects.visible_to(actor)
    if open_only:
        qs = qs.exclude(status=ObjectionStatus.DECIDED)
    if not actor.is_operator:  # a department's queue: what it has to decide
        qs = qs.filter(provider_id=actor.department_id)
    return _rows(qs.order_by("filed_at"), today)


def subject_objections(*, actor: Actor, subject, today: datetime.date) -> list[ObjectionRow]:
    """A subject's objections the reader may see, every step and deadline (its own file;
    in the back office, those of the reader's department, all for the operator)."""
    qs = Objection.objects.visible_to(actor).filter(subject=subject)
    return _rows(qs.order_by("-filed_at"), today)


def notifications(*, actor: Actor, limit: int = 20):
    return list(Notification.objects.filter(user_id=actor.user_id)[:limit])


def subject_repairs(*, actor: Actor, subject) -> list[RepairApplication]:
    """A subject's repair applications the reader may see (its progress page; the
    responsible department's in the back office)."""
    return list(
        RepairApplication.objects.visible_to(actor)
        .filter(subject=subject)
        .prefetch_related("records", "entries__list_type", "materials")
        .select_related("department")
    )


def repair_queue(*, actor: Actor) -> list[RepairApplication]:
    """The responsible department's applications waiting for a decision (oldest first)."""
    access.require(actor, Action.REPAIR_QUEUE, message="无权查看信用修复申请")
    apps = list(
        RepairApplication.objects.visible_to(actor)
        .filter(department_id=actor.department_id, status=RepairStatus.SUBMITTED)
        .select_related("subject")
        .prefetch_related("records", "entries__list_type", "materials")
        .order_by("filed_at")
    )
    for app in apps:  # a platform report is verified where anyone verifies it
        for m in app.materials.all():
            m.verify_url = verify_link(m.name, m.report_code) if m.report_id else ""
    return apps


def repair_material(*, actor: Actor, material_id: int):
    """A material, for the department deciding the application (the read is audited):
    an upload's path and name — or, for a credit report of this platform named as the
    material (no upload), the report's PDF as issued (bytes) and its file name, read and
    audited the same way (the deciding department must be able to read what it decides
    on; the applicant handed over the report's number and code for that)."""
    m = RepairMaterial.objects.visible_to(actor).filter(pk=material_id).first()
    if m is None or not access.allowed(actor, Action.REPAIR_QUEUE) or not (m.path or m.report_id):
        raise NotFound(_("没有材料 %(material_id)s") % {"material_id": material_id})
    if not m.path:
        report = m.report
        with transaction.atomic():
            audit_event_append(
                actor=actor, action=AuditAction.CREDIT_FILE_READ, object_type="repair",
                object_id=m.application_id, detail={"material": m.pk, "report": report.number},
            )  # fmt: skip
        return report_pdf(report), f"{report.number}.pdf"
    return _material_read(actor, AuditAction.CREDIT_FILE_READ, "repair", m.application_id,
                          {"material": m.pk}, m.path, m.name)  # fmt: skip


def correction_notices(*, limit: int = 100) -> list[Objection]:
    """更正公告: list entries revoked because an objection succeeded, published to restore
    the subject's reputation (newest first)."""
    return list(
        Objection.objects.filter(
            decision="revoked", entry__isnull=False, entry__list_type__public=True
        )
        .select_related("entry__list_type", "entry__department", "subject")
        .order_by("-decided_at")[:limit]
    )


def correction_notice(*, objection_id: int) -> Objection:
    """One correction notice of :func:`correction_notices` (public), or not found."""
    o = (
        Objection.objects.filter(
            pk=objection_id, decision="revoked", entry__isnull=False,
            entry__list_type__public=True,
        )
        .select_related("entry__list_type", "entry__department", "subject")
        .first()
    )  # fmt: skip
    if o is None:
        raise NotFound(_("没有更正公告 %(objection_id)s") % {"objection_id": objection_id})
    return o


def objection_get(*, actor: Actor, objection_id: int) -> Objection:
    """One objection, for the platform operator, the providing department or the
    department that filed it."""
    o = Objection.objects.visible_to(actor).filter(pk=objection_id).first()
    if o is None or not actor.is_staff:
        raise NotFound(_("没有异议 %(objection_id)s") % {"objection_id": objection_id})
    return o


def subject_remedies(*, actor: Actor, subject, today: datetime.date) -> dict:
    """Objections and repair applications in a subject's back-office credit file."""
    return {"objections": subject_objections(actor=actor, subject=subject, today=today),
            "repairs": subject_repairs(actor=actor, subject=subject)}  # fmt: skip


def objection_evidence(*, actor: Actor, objection_id: int):
    """The evidence filed with an objection, for those who act on it: the platform
    operator (who marks and forwards it), the staff of the providing department (who
    decide it) and of a department that filed it; each read is audited, anyone else finds
    nothing."""
    o = Objection.objects.visible_to(actor).filter(pk=objection_id).first()
    may = o is not None and actor.is_staff
    if not may or not o.evidence_path:
        raise NotFound(_("没有异议 %(objection_id)s 的证明材料") % {"objection_id": objection_id})
    return _material_read(
        actor, AuditAction.CREDIT_FILE_READ, "objection", o.pk, {"evidence": o.evidence_name},
        o.evidence_path, o.evidence_name,
    )  # fmt: skip


@dataclass
class OwnEntry:
    """A list entry in the subject's own file, with where it stands and whether an
    objection may be filed on it now."""

    entry: PublicEntryOut
    state: str  # 生效中, or the status (with the removal reason) when it has no effect
    in_force: bool
    objectable: bool


def own_entries_file(*, subject, today: datetime.date) -> list[OwnEntry]:
    """The subject's entries from the prior notice on, each marked in force or not by the
    one rule, and offered for objection only where :func:`rules.may_object_to_entry` and
    no objection is open on it."""
    entries = own_entries(subject=subject)
    busy = _open_objections(entry_ids=[e.pk for e in entries])
    out = []
    for e in entries:
        in_force = e.is_in_force(today)
        if in_force:
            state = str(_("生效中"))
        elif e.status == EntryStatus.PUBLISHED:
            state = str(_("已届满"))
        else:
            state = str(EntryStatus(e.status).label)
            if e.removal_reason:
                state += f"（{RemovalReason(e.removal_reason).label}）"
        objectable = rules.may_object_to_entry(e, today) and e.pk not in busy
        out.append(OwnEntry(PublicEntryOut.of(e), state, in_force, objectable))
    return out


def objectable_records(*, record_ids: list[int]) -> set[int]:
    """Of these records of a subject's own file, those an objection may be filed on now."""
    live = Record.objects.filter(pk__in=record_ids)
    ok = {r.pk for r in live if rules.may_object_to_record(r)}
    return ok - _open_objections(record_ids=list(ok))


def _open_objections(*, record_ids=(), entry_ids=()) -> set[int]:
    if record_ids:
        qs = Objection.objects.filter(status__in=OBJECTION_OPEN, record_id__in=record_ids)
        return set(qs.values_list("record_id", flat=True))
    qs = Objection.objects.filter(status__in=OBJECTION_OPEN, entry_id__in=entry_ids)
    return set(qs.values_list("entry_id", flat=True))


# -- to-do lists (the back-office dashboard) -------------------------------------------


def _todo_rows(qs):
    return qs.select_related("subject", "record", "entry__list_type")


def _target(o: Objection, items: dict[str, str]) -> str:
    if o.entry_id:
        return f"{o.entry.list_type.name} {o.entry.decision_no}".strip()
    return f"{items.get(o.record.item_code, '')} {o.record.source_id}".strip()


def objections_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Objections waiting for the reader's step, by their working-day deadlines (set when
    filed and forwarded, from the working-day calendar): to mark and to forward for the
    platform operator, to decide for the providing department — as the access layer
    grants (:func:`acting_q`)."""
    route = Objection.objects.filter(
        access.acting_q(actor, Action.OBJECTION_ROUTE),
        status__in=(ObjectionStatus.RECEIVED, ObjectionStatus.MARKED),
    )
    decide = Objection.objects.filter(
        access.acting_q(actor, Action.OBJECTION_DECIDE), status=ObjectionStatus.FORWARDED
    )
    steps = {ObjectionStatus.RECEIVED: (_("标注异议"), "mark_due"),
             ObjectionStatus.MARKED: (_("转交提供部门"), "forward_due"),
             ObjectionStatus.FORWARDED: (_("办结异议"), "decide_due")}  # fmt: skip
    route_due = Case(When(status=ObjectionStatus.RECEIVED, then=F("mark_due")),
                     default=F("forward_due"))  # fmt: skip
    rows = [*_todo_rows(route.annotate(due=route_due).order_by("due", "pk"))[:SHOWN],
            *_todo_rows(decide.order_by("decide_due", "pk"))[:SHOWN]]  # fmt: skip
    items, names = [], item_names()
    for o in rows:
        step, due_field = steps[o.status]
        due = getattr(o, due_field)
        items.append(Todo(step=str(step), subject=o.subject.name, about=_target(o, names),
                          url=reverse("backoffice:objections") + f"#objection-{o.pk}",
                          due=due, late=due is not None and today > due))  # fmt: skip
    return TodoList("objections", _("异议待办"), reverse("backoffice:objections"),
                    route.count() + decide.count(), late_first(items)[:SHOWN])  # fmt: skip


def repairs_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Repair applications the reader's department decides, by their 10-working-day
    deadline — for the reviewer the access layer lets decide (:func:`acting_q`)."""
    qs = RepairApplication.objects.filter(
        access.acting_q(actor, Action.REPAIR_DECIDE), status=RepairStatus.SUBMITTED
    )
    items = [
        Todo(
            step=str(_("审核信用修复")),
            subject=a.subject.name,
            about=_("%(date)s 申请") % {"date": f"{timezone.localtime(a.filed_at):%Y-%m-%d}"},
            url=reverse("backoffice:repairs") + f"#repair-{a.pk}",
            due=a.decide_due,
            late=today > a.decide_due,
        )
        for a in qs.select_related("subject").order_by("decide_due", "pk")[:SHOWN]
    ]
    return TodoList("repairs", _("信用修复待审核"), reverse("backoffice:repairs"), qs.count(),
                    late_first(items))  # fmt: skip


def bindings_todo(*, actor: Actor, today: datetime.date) -> TodoList:
    """Bindings waiting for review, oldest first (no rule sets a deadline): every one for
    the operator, those of subjects its department registered for a department."""
    qs = SubjectBinding.objects.filter(
        access.acting_q(actor, Action.BINDING_REVIEW), status=BindingStatus.PENDING
    )
    items = [
        Todo(
            step=str(_("审核主体绑定")),
            subject=b.subject.name,
            about=b.applicant,
            url=reverse("backoffice:bindings") + f"#binding-{b.pk}",
            since=timezone.localtime(b.requested_at).date(),
        )
        for b in qs.select_related("subject", "user").order_by("requested_at", "pk")[:SHOWN]
    ]
    return TodoList("bindings", _("主体绑定待审核"), reverse("backoffice:bindings"), qs.count(),
                    items)  # fmt: skip
