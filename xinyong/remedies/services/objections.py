"""Writes of objections (异议): filed, marked, forwarded, decided, each step with its
working-day deadline, audited and notified."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound, ValidationFailed
from xinyong.lists.choices import RemovalReason
from xinyong.lists.models import ListEntry
from xinyong.lists.procedure import DESIGNATED
from xinyong.lists.services import entries_objection_flag, entries_take_off
from xinyong.records.models import Record
from xinyong.records.withdrawal import records_withdraw
from xinyong.remedies import rules
from xinyong.remedies.choices import (
    OBJECTION_OPEN,
    BindingStatus,
    ObjectionDecision,
    ObjectionStatus,
)
from xinyong.remedies.models import (
    Objection,
    SubjectBinding,
)
from xinyong.remedies.services.bindings import (
    _store,
    _workdays_after,
    material_check,
    notify,
)

# -- objections -------------------------------------------------------------------------
MARK_WORKDAYS, FORWARD_WORKDAYS, DECIDE_WORKDAYS = 1, 2, 5
OPEN = OBJECTION_OPEN
NOT_SERVED = gettext_noop(
    "异议由信用主体本人（绑定账号）、信用办，或为该主体办理业务的部门经办人提出"
)
SUSPENDING = (ObjectionStatus.MARKED, ObjectionStatus.FORWARDED)


def objection_file(*, actor: Actor, reasons: str, record_id: int | None = None,
                   entry_id: int | None = None, evidence=None) -> Objection:  # fmt: skip
    """File an objection against one record or one list entry: by the subject's bound
    account (its own file only) or by a department on its behalf. The deadlines start
    now, in working days."""
    reasons = (reasons or "").strip()
    if (record_id is None) == (entry_id is None):  # exactly one, whatever its value
        raise ValidationFailed.one(
            "target", "objection.target", gettext("请选择一条信用记录或一个名单条目")
        )
    if record_id is not None:
        target = Record.objects.filter(pk=record_id).select_related("subject").first()
        provider_id = target.provider_id if target else None
    else:
        # Only an entry in force can be disputed here (before, the statement and defence
        # of the designation procedure is the subject's say).
        target = ListEntry.objects.filter(pk=entry_id).select_related("subject").first()
        if target is not None and not rules.may_object_to_entry(target):
            target = None
        provider_id = target.department_id if target else None
    if target is None:
        raise NotFound(gettext("没有该信用记录或名单条目"))
    # The subject's bound account, the operator, or a clerk of a department serving the
    # subject (access.serves); another subject's data stays unseen by a portal account.
    refusal = gettext("没有该信用记录或名单条目" if actor.is_public else NOT_SERVED)
    access.require(actor, Action.OBJECTION_FILE, target.subject, hide=actor.is_public,
                   message=refusal)  # fmt: skip
    binding = None
    if actor.is_portal_account:
        binding = SubjectBinding.objects.filter(
            user_id=actor.user_id, subject_id=target.subject_id, status=BindingStatus.APPROVED
        ).first()
    if record_id and not rules.may_object_to_record(target):
        raise ValidationFailed.one(
            "record", "objection.record_not_active",
            gettext("该记录%(status)s，已不在信用档案中，无需提出异议")
            % {"status": target.get_status_display()},
        )  # fmt: skip
    if not reasons:
        raise ValidationFailed.one("reasons", "required", gettext("请写明异议理由"))
    if len(reasons) > 5000:
        raise ValidationFailed.one("reasons", "max_length", gettext("异议理由不得超过5000字"))
    busy = Objection.objects.filter(status__in=OPEN, record_id=record_id, entry_id=entry_id)
    if busy.exists():
        raise ValidationFailed.one("target", "objection.open", gettext("该信息已有未办结的异议"))
    if evidence is not None:
        material_check(evidence)
    today = timezone.localdate()
    mark_due, forward_due = (_workdays_after(today, MARK_WORKDAYS),
                             _workdays_after(today, FORWARD_WORKDAYS))  # fmt: skip
    path, name = ("", "")
    if evidence is not None:
        path, _digest = _store(evidence)
        name = Path(evidence.name).name[:255]
    try:
        with transaction.atomic(durable=True):
            obj = Objection.objects.create(
                subject_id=target.subject_id, record_id=record_id, entry_id=entry_id,
                record_version=getattr(target, "version", None), provider_id=provider_id,
                filed_by=actor.label, binding=binding, reasons=reasons, evidence_path=path,
                filed_department_id=None if binding else actor.department_id,
                evidence_name=name, status=ObjectionStatus.RECEIVED, filed_at=timezone.now(),
                mark_due=mark_due, forward_due=forward_due,
            )  # fmt: skip
            audit_event_append(
                actor=actor, action=AuditAction.OBJECTION_FILE, object_type="objection",
                object_id=obj.pk, detail={"record": record_id, "entry": entry_id},
                subjects=[obj.subject_id],
            )  # fmt: skip
            notify(actor.user_id if binding else None,
                   f"异议已受理，将于{mark_due:%Y-%m-%d}前标注、{forward_due:%Y-%m-%d}前转交提供部门",
                   f"/account/subjects/{target.subject_id}/")  # fmt: skip
    except BaseException:
        if path:
            (Path(settings.XINYONG_REMEDY_DIR) / path).unlink(missing_ok=True)
        raise
    return obj


def _objection(actor: Actor, objection_id: int, status: tuple, who: str) -> Objection:
    obj = Objection.objects.visible_to(actor).select_for_update().filter(pk=objection_id).first()
    if obj is None:
        raise NotFound(gettext("没有异议 %(id)s") % {"id": objection_id})
    if who == "operator":
        access.require(actor, Action.OBJECTION_ROUTE, obj,
                       message=gettext("异议的标注和转交由平台运营人员办理"))  # fmt: skip
    if who == "provider":
        access.require(
            actor, Action.OBJECTION_DECIDE, obj, message=gettext("异议由信息提供（认定）部门办结")
        )
    if obj.status not in status:
        raise ValidationFailed.one("status", "objection.step_order",
                    gettext("异议当前为“%(status)s”，不能办理该环节")
                    % {"status": ObjectionStatus(obj.status).label})  # fmt: skip
    return obj


def _affected_entries(obj: Objection):
    """The list entries the objection puts in doubt: the entry itself, or those resting
    on the disputed record."""
    if obj.entry_id:
        return list(ListEntry.objects.filter(pk=obj.entry_id))
    return list(ListEntry.objects.filter(basis_records=obj.record_id))


def _suspension(obj: Objection, by: str, now) -> list[int]:
    """Entries resting on an open, marked objection show it (measures suspended); others
    not. A step of the objection's marking or decision (whose one audit event names the
    entries changed, returned here); each change is on the entry's procedure log."""
    changed = {True: [], False: []}
    for entry in _affected_entries(obj):
        if entry.status not in DESIGNATED:
            continue
        others = Objection.objects.filter(status__in=SUSPENDING).exclude(pk=obj.pk)
        doubted = (
            others.filter(entry=entry).exists()
            or others.filter(record__in=entry.basis_records.all()).exists()
        )
        # A record revoked on objection leaves the entries resting on it without basis:
        # they stay suspended until their designating department reconsiders them.
        basis_gone = obj.decision == ObjectionDecision.REVOKED and obj.record_id is not None
        under = obj.status in SUSPENDING or doubted or basis_gone
        if entry.under_objection != under:
            changed[under].append(entry.pk)
    for under, ids in changed.items():
        entries_objection_flag(ids, under=under, by=by, now=now, note=f"异议 {obj.pk}")
    return sorted(changed[True] + changed[False])


def objection_mark(*, actor: Actor, objection_id: int) -> Objection:
    """Mark the record or entry as under objection (due 1 working day after filing)."""
    with transaction.atomic(durable=True):
        obj = _objection(actor, objection_id, (ObjectionStatus.RECEIVED,), "operator")
        now = timezone.now()
        obj.status, obj.marked_at = ObjectionStatus.MARKED, now
        obj.save()
        marked = _suspension(obj, actor.label, now)
        audit_event_append(
            actor=actor, action=AuditAction.OBJECTION_MARK, object_type="objection",
            object_id=obj.pk, detail={"late": timezone.localdate() > obj.mark_due,
                                      "entries_suspended": marked},
            subjects=[obj.subject_id],  # its entries (read-your-writes: core.replicas)
        )  # fmt: skip
        notify(_owner(obj), "异议信息已标注“异议中”，相关惩戒措施暂停实施")
    return obj


def objection_forward(*, actor: Actor, objection_id: int) -> Objection:
    """Forward to the providing department, which then has 5 working days."""
    with transaction.atomic(durable=True):
        obj = _objection(actor, objection_id, (ObjectionStatus.MARKED,), "operator")
        obj.status, obj.forwarded_at = ObjectionStatus.FORWARDED, timezone.now()
        obj.decide_due = _workdays_after(timezone.localdate(), DECIDE_WORKDAYS)
        obj.save()
        audit_event_append(
            actor=actor, action=AuditAction.OBJECTION_FORWARD, object_type="objection",
            object_id=obj.pk, detail={"decide_due": obj.decide_due.isoformat(),
                                      "late": timezone.localdate() > obj.forward_due},
            subjects=[obj.subject_id],
        )  # fmt: skip
        notify(_owner(obj), f"异议已转交提供部门，将于{obj.decide_due:%Y-%m-%d}前办结")
    return obj


def objection_decide(*, actor: Actor, objection_id: int, decision: str, reason: str):
    """The providing department decides: corrected (it has sent the corrected record — a
    new version — through its usual channel), revoked (the record is withdrawn / the entry
    revoked, its effects end at once), or maintained (suspended measures resume).

    One act, one transaction, one audit event naming everything it changed: the record
    withdrawn (by the same step as a feed's withdrawal rows; its new version names this
    objection and who decided it) or the entry taken off, and the objection marks cleared.
    The provider's decision is the authority for these (its clerk or system may take it)."""
    reason = (reason or "").strip()
    if decision not in ObjectionDecision.values:
        raise ValidationFailed.one("decision", "enum", gettext("处理结果应为更正、撤销或维持"))
    if not reason:
        raise ValidationFailed.one("reason", "required", gettext("请写明处理理由"))
    with transaction.atomic(durable=True):
        obj = _objection(actor, objection_id, (ObjectionStatus.FORWARDED,), "provider")
        now = timezone.now()
        withdrawn: list[int] = []
        removed: list[int] = []
        if decision == ObjectionDecision.CORRECTED:
            if obj.entry_id or obj.record.version <= (obj.record_version or 0):
                raise ValidationFailed.one(
                    "decision",
                    "objection.not_corrected",
                    gettext("尚未收到更正后的记录：请先通过接口或文件报送更正数据（形成新版本）"),
                )
        elif decision == ObjectionDecision.REVOKED:
            because = f"异议 #{obj.pk} 成立（{actor.label} 办结）：{reason}"
            if obj.entry_id:
                removed = entries_take_off(
                    [obj.entry_id], reason=RemovalReason.REVOKED, by=actor.label, now=now,
                    note=because,
                )  # fmt: skip
            else:
                withdrawn = records_withdraw(
                    record_ids=[obj.record_id], reason=because, by=actor.label, now=now
                )
        obj.status, obj.decision = ObjectionStatus.DECIDED, decision
        obj.decision_reason, obj.decided_by, obj.decided_at = reason, actor.label, now
        obj.save()
        marks = _suspension(obj, actor.label, now)
        audit_event_append(
            actor=actor, action=AuditAction.OBJECTION_DECIDE, object_type="objection",
            object_id=obj.pk,
            detail={"decision": decision, "reason": reason,
                    "late": bool(obj.decide_due and timezone.localdate() > obj.decide_due),
                    "records_withdrawn": withdrawn, "entries_removed": removed,
                    "entries_marks_changed": marks},
            subjects=[obj.subject_id],
        )  # fmt: skip
        notify(_owner(obj), f"异议已办结：{ObjectionDecision(decision).label}。理由：{reason}")
    return obj


def _owner(obj: Objection) -> int | None:
    return obj.binding.user_id if obj.binding_id else None
