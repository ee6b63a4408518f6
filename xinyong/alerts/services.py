"""Writes of early warning's handling: the department's clerk acknowledges an alert (签收)
and closes it with a note and an outcome (confirmed risk or false alarm) — the outcome is
what the rule's precision counts. Each step is one transaction and one audit event; a
refused step writes nothing and names the field."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.alerts.choices import HANDLED, OPEN, AlertStatus
from xinyong.alerts.models import Alert, AlertEvent
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.catalog.rowschema import printable
from xinyong.core.errors import FieldError, NotFound, ValidationFailed
from xinyong.core.inputs import DB_INT_MAX

NOTE_MAX = 2000


def _flat(text: str) -> str:
    """A note's lines as one (line breaks are allowed in a note, other controls not)."""
    return text.replace("\r", " ").replace("\n", " ")


def _alert(actor: Actor, alert_id: int) -> Alert:
    """The alert locked for the step: one the actor sees and may handle; anything else is
    not found (another department's alert is not told to exist)."""
    found = None
    if actor.is_staff and 0 < alert_id <= DB_INT_MAX:
        found = Alert.objects.visible_to(actor).select_for_update().filter(pk=alert_id).first()
    if found is None:
        raise NotFound(gettext("没有预警 %(id)s") % {"id": alert_id})
    access.require(actor, Action.ALERT_HANDLE, found)
    return found


def alert_acknowledge(*, actor: Actor, alert_id: int) -> Alert:
    """签收: the department has seen the alert and works on it."""
    with transaction.atomic():
        alert = _alert(actor, alert_id)
        if alert.status != AlertStatus.OPEN:
            raise ValidationFailed.one(
                "status",
                "alert.state",
                gettext("该预警当前为“%(s)s”，只有待处理的预警可以签收")
                % {"s": alert.get_status_display()},
            )
        now = timezone.now()
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_at, alert.acknowledged_by = now, actor.label
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
        AlertEvent.objects.create(alert=alert, action="acknowledged", by=actor.label, at=now)
        audit_event_append(
            actor=actor,
            action=AuditAction.ALERT_ACKNOWLEDGE,
            object_type="alert",
            object_id=alert.pk,
            detail={"rule": alert.rule_id, "subject": alert.subject_id},
        )
    return alert


def alert_close(*, actor: Actor, alert_id: int, outcome: str, note: str) -> Alert:
    """关闭: with the outcome (confirmed risk / false alarm) and a note saying what was done
    or why it was nothing. A closed alert stays closed: the run does not raise the evidence
    it had again while the rule keeps holding (once the rule has stopped holding and holds
    again, a new alert is raised)."""
    errors = []
    if outcome not in HANDLED:  # "lapsed" is the run's, never a department's
        choices = "、".join(f"{o.value}（{o.label}）" for o in HANDLED)
        errors.append(
            FieldError("outcome", "enum", gettext("处理结论应为：%(c)s") % {"c": choices})
        )
    note = (note or "").strip()
    if not note:
        errors.append(FieldError("note", "required", gettext("请填写处理说明")))
    elif len(note) > NOTE_MAX:
        errors.append(
            FieldError("note", "max_length", gettext("不得超过 %(n)s 个字") % {"n": NOTE_MAX})
        )
    elif printable(_flat(note)) != _flat(note):
        errors.append(
            FieldError(
                "note", "text.control_char", gettext("含有不可显示的控制字符，请删除后重新填写")
            )
        )
    with transaction.atomic():
        alert = _alert(actor, alert_id)
        if alert.status not in OPEN:
            errors.insert(
                0, FieldError("status", "alert.state", gettext("该预警已关闭，不能再次关闭"))
            )
        if errors:
            raise ValidationFailed(errors)
        now = timezone.now()
        alert.status, alert.outcome, alert.note = AlertStatus.CLOSED, outcome, note
        alert.closed_at, alert.closed_by = now, actor.label
        alert.save(update_fields=["status", "outcome", "note", "closed_at", "closed_by"])
        AlertEvent.objects.create(
            alert=alert,
            action="closed",
            by=actor.label,
            at=now,
            note=f"{alert.get_outcome_display()}：{note}",
        )
        audit_event_append(
            actor=actor,
            action=AuditAction.ALERT_CLOSE,
            object_type="alert",
            object_id=alert.pk,
            detail={"rule": alert.rule_id, "outcome": outcome, "note": note},
        )
    return alert
