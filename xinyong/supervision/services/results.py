"""Writes of inspection results (一公开): recorded per task by the lead department, then
published on the portal within ``XINYONG_SUPERVISION_PUBLISH_WORKDAYS`` (20) working days
of the inspection (``core.workdays``; the back office's to-do list flags late ones). A
negative result is filed in the credit file when published (:mod:`.filing`)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core import workdays
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.supervision.choices import NEGATIVE_OUTCOMES, Outcome, PlanStatus, TaskStatus
from xinyong.supervision.models import InspectionTask
from xinyong.supervision.services.common import row_id, text
from xinyong.supervision.services.filing import task_file


def _task(actor: Actor, task_id: int) -> InspectionTask:
    task = (
        InspectionTask.objects.visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("plan", "plan__department", "subject")
        .filter(pk=row_id(task_id, gettext("检查任务")))
        .first()
    )
    if task is None:
        raise NotFound(gettext("没有检查任务 %(id)s") % {"id": task_id})
    access.require(
        actor,
        Action.SUPERVISION_MANAGE,
        task.plan,
        message=gettext("检查结果由计划牵头部门录入和公示"),
    )
    return task


def task_result_record(
    *, actor: Actor, task_id: int, outcome: str, inspected_on: datetime.date, findings: str = ""
) -> InspectionTask:
    """The inspection's result: outcome, the day it was completed, what was found (required
    when problems were). It may be corrected until it is published; the publication
    deadline runs from the inspection day."""
    with transaction.atomic():
        task = _task(actor, task_id)
        errors: list[FieldError] = []
        if task.status == TaskStatus.PUBLISHED:
            raise ValidationFailed.one(
                "status", "task.published", gettext("检查结果已公示，不能修改")
            )
        if task.plan.status not in (PlanStatus.DRAWN, PlanStatus.PUBLISHED):
            raise ValidationFailed.one("status", "plan.not_drawn", gettext("计划尚未抽取"))
        if outcome not in Outcome.values:
            choices = "、".join(str(x) for x in Outcome.labels)
            errors.append(
                FieldError("outcome", "enum", gettext("检查结果应为：%(c)s") % {"c": choices})
            )
        today = timezone.localdate()
        if not isinstance(inspected_on, datetime.date):
            errors.append(FieldError("inspected_on", "required", gettext("请填写检查完成日期")))
        elif inspected_on > today:
            errors.append(
                FieldError("inspected_on", "task.future", gettext("检查完成日期不能晚于今天"))
            )
        elif inspected_on < timezone.localdate(task.plan.drawn_at):
            errors.append(
                FieldError(
                    "inspected_on", "task.before_draw", gettext("检查完成日期不能早于抽取日期")
                )
            )
        required = gettext("发现问题的，请填写检查情况") if outcome in NEGATIVE_OUTCOMES else ""
        findings = text(errors, "findings", findings, 2000, required)
        if errors:
            raise ValidationFailed(errors)
        try:
            due = workdays.add_workdays(inspected_on, settings.XINYONG_SUPERVISION_PUBLISH_WORKDAYS)
        except workdays.CalendarNotCovered as e:
            raise ValidationFailed.one("inspected_on", "calendar.not_covered", str(e)) from None
        task.outcome, task.inspected_on, task.findings = outcome, inspected_on, findings
        task.publish_due, task.recorded_by = due, actor.label
        task.status = TaskStatus.COMPLETED
        task.save()
        audit_event_append(
            actor=actor,
            action=AuditAction.TASK_RESULT_RECORD,
            object_type="inspection_task",
            object_id=task.pk,
            detail={
                "number": task.number,
                "outcome": outcome,
                "inspected_on": inspected_on.isoformat(),
                "publish_due": due.isoformat(),
            },
        )
    return task


def task_result_publish(*, actor: Actor, task_id: int) -> InspectionTask:
    """Publish a recorded result on the portal; a negative one also becomes an
    ``administrative_inspection`` record of the lead department, in this transaction."""
    with transaction.atomic():
        task = _task(actor, task_id)
        if task.status != TaskStatus.COMPLETED:
            rule, message = (
                ("task.published", gettext("检查结果已公示"))
                if task.status == TaskStatus.PUBLISHED
                else ("task.no_result", gettext("尚未录入检查结果"))
            )
            raise ValidationFailed.one("status", rule, message)
        now = timezone.now()
        if task.outcome in NEGATIVE_OUTCOMES:
            names = list(task.plan.departments.order_by("pk").values_list("name", flat=True))
            task.record_id = task_file(actor=actor, task=task, authority="、".join(names))
        task.status, task.published_at = TaskStatus.PUBLISHED, now
        task.save(update_fields=["status", "published_at", "record"])
        audit_event_append(
            actor=actor,
            action=AuditAction.TASK_RESULT_PUBLISH,
            object_type="inspection_task",
            object_id=task.pk,
            detail={
                "number": task.number,
                "outcome": task.outcome,
                "record": task.record_id,
                "late": timezone.localdate(now) > task.publish_due,
            },
        )
    return task
