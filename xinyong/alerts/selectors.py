"""Reads of early warning: a department's queue (filters: state, rule, outcome, subject
name), one alert with its explanation and evidence (each read audited: the evidence is
non-public), the rules, each rule's precision, and the warning notices a subject's bound
account holds. Every read starts from ``visible_to``: another department's alert is never
seen, and neither the public nor the subject reads any alert."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from xinyong.accounts import access
from xinyong.accounts.access import Action
from xinyong.accounts.actors import Actor
from xinyong.alerts.choices import HANDLED, OPEN, AlertStatus, EvidenceKind, Outcome
from xinyong.alerts.evaluators import EVALUATORS
from xinyong.alerts.models import Alert, AlertRule, WarningNotice
from xinyong.audit.choices import AuditAction
from xinyong.audit.services import audit_event_append
from xinyong.core.errors import NotFound
from xinyong.core.inputs import DB_INT_MAX

QUEUE_MAX = 500


def alert_queue(
    *, actor: Actor, status: str = "", rule: str = "", outcome: str = "", q: str = ""
) -> list[Alert]:
    """The alerts the reader sees, open ones first then newest; a filter value that is not
    one of its choices is ignored (the page shows the choices)."""
    access.require(actor, Action.ALERT_QUEUE, message=_("无权查看失信预警"))
    qs = Alert.objects.visible_to(actor).select_related("rule", "subject", "department")
    if status == "open_all":
        qs = qs.filter(status__in=OPEN)
    elif status in AlertStatus.values:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule__code=rule[:48])
    if outcome in Outcome.values:
        qs = qs.filter(outcome=outcome)
    if q.strip():
        qs = qs.filter(subject__name__icontains=q.strip()[:100])
    return list(qs.order_by("-raised_at", "-pk")[:QUEUE_MAX])


def alert_get(*, actor: Actor, alert_id: int, audit: bool = True) -> Alert:
    """One alert for the staff who see it (its department, the operator, the auditor); the
    read is audited. Anything else is not found."""
    found = None
    if actor.is_staff and 0 < alert_id <= DB_INT_MAX:
        found = (
            Alert.objects.visible_to(actor)
            .select_related("rule", "subject", "department")
            .prefetch_related("events")
            .filter(pk=alert_id)
            .first()
        )
    if found is None:
        raise NotFound(_("没有预警 %(id)s") % {"id": alert_id})
    if audit:
        with transaction.atomic():
            audit_event_append(
                actor=actor,
                action=AuditAction.ALERT_READ,
                object_type="alert",
                object_id=found.pk,
                detail={"subject": found.subject_id},
            )
    return found


def alert_notice(alert: Alert) -> WarningNotice | None:
    """The warning notice the alert sent the subject, if its rule sends one."""
    return WarningNotice.objects.filter(alert=alert).first()


def explanation(rule: AlertRule) -> str:
    ev = EVALUATORS.get(rule.evaluator)
    return ev.explanation if ev else ""


_LINKS = {
    EvidenceKind.RECORD: lambda e, a: (
        reverse("backoffice:subject", args=[a.subject_id]) + f"#record-{e['id']}"
    ),
    EvidenceKind.COMMITMENT: lambda e, a: reverse("backoffice:commitment", args=[e["id"]]),
    EvidenceKind.ENTRY: lambda e, a: reverse("backoffice:list_case", args=[e["id"]]),
    EvidenceKind.RESULT: lambda e, a: reverse("backoffice:subject", args=[a.subject_id]),
}


def evidence_rows(alert: Alert) -> list[dict]:
    """The evidence as the page shows it: kind's name, label, date and where to follow it."""
    out = []
    for e in alert.evidence:
        kind = e.get("kind")
        link = _LINKS.get(kind)
        out.append(
            {
                **e,
                "kind_label": EvidenceKind(kind).label if kind in EvidenceKind.values else kind,
                "url": link(e, alert) if link else "",
            }
        )
    return out


def rules_list() -> list[AlertRule]:
    rules = list(AlertRule.objects.order_by("code"))
    for r in rules:
        ev = EVALUATORS.get(r.evaluator)
        r.explanation = ev.explanation if ev else ""
        r.evaluator_label = ev.label if ev else r.evaluator
    return rules


def rule_get(rule_id: int) -> AlertRule:
    rule = AlertRule.objects.filter(pk=rule_id).first() if 0 < rule_id <= DB_INT_MAX else None
    if rule is None:
        raise NotFound(_("没有预警规则 %(id)s") % {"id": rule_id})
    return rule


@dataclass
class Precision:
    """One rule's (and department's) figures: raised, closed by the department, confirmed,
    false alarms, and closed by a run because the rule no longer held (no judgement: in
    neither side of the precision)."""

    rule: str
    rule_name: str
    department: str
    raised: int
    closed: int
    confirmed: int
    false_alarms: int
    lapsed: int = 0

    @property
    def precision(self) -> float | None:
        """confirmed / closed by the department; None before any was."""
        return self.confirmed / self.closed if self.closed else None

    @property
    def percent(self) -> str:
        return "—" if self.precision is None else f"{self.precision * 100:.1f}%"


def _figures(qs, keys: list[str]) -> list[dict]:
    closed = Q(status=AlertStatus.CLOSED)
    return list(
        qs.values(*keys)
        .annotate(
            raised=Count("pk"),
            closed=Count("pk", filter=closed & Q(outcome__in=HANDLED)),
            confirmed=Count("pk", filter=closed & Q(outcome=Outcome.CONFIRMED)),
            false_alarms=Count("pk", filter=closed & Q(outcome=Outcome.FALSE_ALARM)),
            lapsed=Count("pk", filter=closed & Q(outcome=Outcome.LAPSED)),
        )
        .order_by(*keys)
    )


def precision(*, actor: Actor) -> tuple[list[Precision], list[Precision]]:
    """Per rule (every department the reader sees together) and per rule and department:
    one GROUP BY each. A department's staff see their own department's figures."""
    access.require(actor, Action.ALERT_PRECISION, message=_("无权查看预警准确率"))
    qs = Alert.objects.visible_to(actor)
    per_rule = [
        Precision(
            r["rule__code"],
            r["rule__name"],
            "",
            r["raised"],
            r["closed"],
            r["confirmed"],
            r["false_alarms"],
            r["lapsed"],
        )
        for r in _figures(qs, ["rule__code", "rule__name"])
    ]
    per_dept = [
        Precision(
            r["rule__code"],
            r["rule__name"],
            r["department__name"],
            r["raised"],
            r["closed"],
            r["confirmed"],
            r["false_alarms"],
            r["lapsed"],
        )
        for r in _figures(qs, ["rule__code", "rule__name", "department__name"])
    ]
    return per_rule, per_dept


def subject_notices(*, actor: Actor, subject) -> list[WarningNotice]:
    """The warning notices of a subject its bound account (or staff) may read."""
    return list(
        WarningNotice.objects.visible_to(actor)
        .filter(subject=subject)
        .select_related("department")
        .order_by("-issued_at", "-pk")
    )


def notice_read(*, actor: Actor, notice_id: int) -> tuple[str, bytes]:
    """A warning notice as PDF (file name, bytes) for its subject's bound account or the
    staff who see it; the read is audited. Anything else is not found."""
    from xinyong.alerts.notices import notice_pdf

    notice = None
    if 0 < notice_id <= DB_INT_MAX:
        notice = WarningNotice.objects.visible_to(actor).filter(pk=notice_id).first()
    if notice is None or not access.allowed(actor, Action.WARNING_NOTICE_READ, notice):
        raise NotFound(_("没有失信预警提示书 %(id)s") % {"id": notice_id})
    data = notice_pdf(notice)
    with transaction.atomic():
        audit_event_append(
            actor=actor,
            action=AuditAction.WARNING_NOTICE_READ,
            object_type="warning_notice",
            object_id=notice.pk,
            detail={"subject": notice.subject_id},
        )
    return f"失信预警提示书{notice.number}.pdf", data
