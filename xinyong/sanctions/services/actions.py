"""Writes of joint action (发起 → 响应 → 反馈), rectification orders and interviews: each by
the department the rules name, in one transaction with one audit event."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.accounts.models import Department
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.sanctions import selectors
from xinyong.sanctions.choices import InterviewKind, OrderStatus, TaskStatus
from xinyong.sanctions.models import ActionTask, Interview, JointAction, RectificationOrder


# -- joint action: initiate, respond ----------------------------------------------------
def _designating(actor: Actor, entry_id: int, what: str):
    """The entry, once the actor speaks for the department that designated it (谁认定谁…)."""
    from xinyong.lists.models import ListEntry

    entry = ListEntry.objects.select_related("list_type", "subject").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(gettext("没有名单条目 %(id)s") % {"id": entry_id})
    access.require(
        actor,
        Action.DEPARTMENT_ACT,
        entry,
        message=gettext("%(step)s由认定部门办理") % {"step": what},
    )
    if not entry.is_in_force(timezone.localdate()):
        raise ValidationFailed(
            [
                FieldError(
                    "entry",
                    "entry.not_in_effect",
                    gettext("名单条目未公示或已移出、届满，不能%(step)s") % {"step": what},
                )
            ]
        )
    return entry


def joint_action_initiate(*, actor: Actor, entry_id: int, note: str = "") -> JointAction:
    """发起联合奖惩: one task per measure the entry's list triggers and per department named
    to implement it (measures any department applies at its counter reach them through
    the credit check instead)."""
    entry = _designating(actor, entry_id, gettext("发起联合奖惩"))
    if entry.under_objection:
        raise ValidationFailed(
            [
                FieldError(
                    "entry",
                    "entry.under_objection",
                    gettext("名单条目处于异议中，措施中止，暂不能发起"),
                )
            ]
        )
    departments = {d.code: d for d in Department.objects.filter(is_active=True)}
    pairs = [
        (m, departments[code])
        for m in selectors.measures_for_list(entry.list_type.code)
        for code in m.departments
        if code in departments
    ]
    if not pairs:
        raise ValidationFailed(
            [FieldError("entry", "action.no_implementers",
                        gettext("该名单的措施没有指定实施部门（由各部门在信用核查中实施）"))]
        )  # fmt: skip
    ids = selectors.measure_ids()
    now = timezone.now()
    with transaction.atomic():
        action = JointAction.objects.create(
            entry=entry, department_id=entry.department_id, initiated_by=actor.label,
            initiated_at=now, note=(note or "").strip(),
        )  # fmt: skip
        ActionTask.objects.bulk_create(
            [ActionTask(action=action, measure_id=ids[m.code], department=d) for m, d in pairs]
        )
        audit_event_append(
            actor=actor, action=AuditAction.JOINT_ACTION_INITIATE, object_type="list_entry",
            object_id=entry.pk,
            detail={"action": action.pk, "tasks": [[m.code, d.code] for m, d in pairs]},
        )  # fmt: skip
    return action


def action_task_respond(*, actor: Actor, task_id: int, applied: bool, reason: str = ""):
    """响应、反馈: the implementing department says whether it applied the measure."""
    reason = (reason or "").strip()
    task = ActionTask.objects.visible_to(actor).filter(pk=task_id).first()
    if task is None or not access.allowed(actor, Action.DEPARTMENT_ACT, task):
        raise NotFound(gettext("没有本部门的任务 %(id)s") % {"id": task_id})
    if not applied and not reason:
        raise ValidationFailed([FieldError("reason", "required", gettext("未实施的须说明原因"))])
    if task.status != TaskStatus.PENDING:
        raise ValidationFailed([FieldError("task", "task.answered", gettext("该任务已反馈"))])
    with transaction.atomic():
        task.status = TaskStatus.APPLIED if applied else TaskStatus.NOT_APPLIED
        task.reason, task.responded_by, task.responded_at = reason, actor.label, timezone.now()
        task.save()
        audit_event_append(
            actor=actor, action=AuditAction.ACTION_TASK_RESPOND, object_type="action_task",
            object_id=task.pk, detail={"status": task.status, "reason": reason},
        )  # fmt: skip
    return task


# -- rectification orders and interviews ------------------------------------------------
def rectification_order_issue(
    *, actor: Actor, entry_id: int, content: str, legal_basis: str, workdays_given: int
) -> RectificationOrder:
    """限期整改: what the listed subject must correct within how many working days."""
    entry = _designating(actor, entry_id, gettext("责令限期整改"))
    content, legal_basis = (content or "").strip(), (legal_basis or "").strip()
    errors = []
    if not content:
        errors.append(FieldError("content", "required", gettext("整改要求必填")))
    if not legal_basis:
        errors.append(FieldError("legal_basis", "required", gettext("整改依据必填")))
    if not 1 <= workdays_given <= 180:
        errors.append(FieldError("workdays", "range", gettext("整改期限应为 1 至 180 个工作日")))
    if errors:
        raise ValidationFailed(errors)
    try:
        deadline = workdays.add_workdays(timezone.localdate(), workdays_given)
    except workdays.CalendarNotCovered as e:
        raise ValidationFailed([FieldError("workdays", "calendar.not_covered", str(e))]) from None
    with transaction.atomic():
        order = RectificationOrder.objects.create(
            subject=entry.subject, entry=entry, department_id=entry.department_id,
            content=content, legal_basis=legal_basis, issued_by=actor.label,
            issued_at=timezone.now(), deadline=deadline,
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.RECTIFICATION_ISSUE, object_type="list_entry",
            object_id=entry.pk, detail={"order": order.pk, "deadline": deadline.isoformat()},
        )  # fmt: skip
    return order


def rectification_order_complete(*, actor: Actor, order_id: int, result: str):
    result = (result or "").strip()
    order = RectificationOrder.objects.visible_to(actor).filter(pk=order_id).first()
    if order is None or not access.allowed(actor, Action.DEPARTMENT_ACT, order):
        raise NotFound(gettext("没有本部门的整改通知 %(id)s") % {"id": order_id})
    if order.status != OrderStatus.OPEN:
        raise ValidationFailed([FieldError("order", "order.closed", gettext("该整改已办结"))])
    if not result:
        raise ValidationFailed([FieldError("result", "required", gettext("请填写整改结果"))])
    with transaction.atomic():
        order.status, order.result, order.completed_at = (
            OrderStatus.COMPLETED,
            result,
            timezone.now(),
        )
        order.save()
        audit_event_append(
            actor=actor, action=AuditAction.RECTIFICATION_COMPLETE, object_type="rectification",
            object_id=order.pk, detail={"result": result[:200]},
        )  # fmt: skip
    return order


def interview_schedule(
    *, actor: Actor, entry_id: int, kind: str, scheduled_at: datetime.datetime, participants: str
) -> Interview:
    """约谈 by the designating department (谁认定、谁约谈)."""
    entry = _designating(actor, entry_id, gettext("约谈"))
    participants = (participants or "").strip()
    errors = []
    if kind not in InterviewKind.values:
        errors.append(FieldError("kind", "enum", gettext("约谈类型应为提示约谈或警示约谈")))
    if not participants:
        errors.append(
            FieldError("participants", "required", gettext("请写明约谈对象（如法定代表人）"))
        )
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        interview = Interview.objects.create(
            subject=entry.subject, entry=entry, department_id=entry.department_id, kind=kind,
            scheduled_at=scheduled_at, participants=participants, created_by=actor.label,
            created_at=timezone.now(),
        )  # fmt: skip
        audit_event_append(
            actor=actor, action=AuditAction.INTERVIEW_SCHEDULE, object_type="list_entry",
            object_id=entry.pk, detail={"interview": interview.pk, "kind": kind},
        )  # fmt: skip
    return interview


def interview_record(*, actor: Actor, interview_id: int, minutes: str) -> Interview:
    minutes = (minutes or "").strip()
    interview = Interview.objects.visible_to(actor).filter(pk=interview_id).first()
    if interview is None or not access.allowed(actor, Action.DEPARTMENT_ACT, interview):
        raise NotFound(gettext("没有本部门的约谈 %(id)s") % {"id": interview_id})
    if not minutes:
        raise ValidationFailed([FieldError("minutes", "required", gettext("请填写约谈记录"))])
    if interview.minutes:
        raise ValidationFailed(
            [FieldError("interview", "interview.recorded", gettext("该约谈已记录"))]
        )
    with transaction.atomic():
        interview.minutes, interview.held_at = minutes, timezone.now()
        interview.save()
        audit_event_append(
            actor=actor, action=AuditAction.INTERVIEW_RECORD, object_type="interview",
            object_id=interview.pk, detail={"minutes": minutes[:200]},
        )  # fmt: skip
    return interview
