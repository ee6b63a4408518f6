"""The demo city's early warnings: the rules evaluated over the city as the daily upkeep
would, and — so that the demo company's agent and the market regulator's clerk always have
one to look at — a repeated-penalties alert about the demo company with the warning notice
it sent, when the city's data raised none (the next run of the rules closes that one
automatically if the city's data still does not bear it out, as it would any alert whose
rule no longer holds). Idempotent."""

from django.utils import timezone

from xinyong.accounts.models import Department, User
from xinyong.alerts.choices import AlertStatus, EvidenceKind
from xinyong.alerts.models import Alert, AlertEvent, AlertRule, WarningNotice
from xinyong.alerts.notices import notice_document
from xinyong.alerts.run import alerts_run, evidence_key
from xinyong.remedies.models import SubjectBinding


def build_alerts(*, portal_user: str = "qiye_demo") -> int:
    """Alerts raised by the run, plus the demo company's (once); how many exist."""
    alerts_run()
    user = User.objects.filter(username=portal_user).first()
    binding = SubjectBinding.objects.filter(user=user, status="approved").first() if user else None
    market = Department.objects.filter(code="SCJG").first()
    rule = AlertRule.objects.filter(code="repeated_penalties").first()
    if binding is None or market is None or rule is None:
        return Alert.objects.count()
    subject = binding.subject
    if Alert.objects.filter(subject=subject, department=market).exists():
        return Alert.objects.count()
    records = subject.records.filter(status="active").order_by("-decision_date", "pk")[:3]
    evidence = [{"kind": EvidenceKind.RECORD.value, "id": r.pk, "department": r.provider_id,
                 "label": f"{r.source_id}（{r.decision_date or ''}）",
                 "on": r.decision_date.isoformat() if r.decision_date else ""}
                for r in records]  # fmt: skip
    if not evidence:
        return Alert.objects.count()
    now = timezone.now()
    alert = Alert.objects.create(
        rule=rule, rule_version=rule.version, subject=subject, department=market,
        status=AlertStatus.OPEN, summary=f"{rule.name}：{evidence[0]['label']}",
        evidence=evidence, evidence_key=evidence_key(evidence), raised_at=now, updated_at=now,
    )  # fmt: skip
    AlertEvent.objects.create(alert=alert, action="raised", by="system", at=now)
    WarningNotice.objects.create(
        alert=alert, subject=subject, department=market, title=rule.name, issued_at=now,
        document=notice_document(rule, alert, subject, market, now),
    )  # fmt: skip
    return Alert.objects.count()
