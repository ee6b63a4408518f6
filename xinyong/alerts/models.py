from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.alerts.choices import AlertStatus, Outcome, Recipients


class AlertRule(models.Model):
    """失信预警规则, kept as data by the credit office: which evaluator (a small function
    whose docstring is the explanation users read), with which parameters, alerting which
    departments, and whether the subject is sent a warning notice. A change bumps the
    version, so an alert says under which version it was raised."""

    code = models.CharField(_("规则编码"), max_length=48, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    evaluator = models.CharField(_("判断方法"), max_length=32)  # evaluators.EVALUATORS
    params = models.JSONField(_("参数"), default=dict)  # validated by the evaluator's schema
    recipients = models.CharField(_("预警对象部门"), max_length=16, choices=Recipients)
    departments = models.JSONField(_("指定部门"), default=list)  # codes, for NAMED
    notify_subject = models.BooleanField(_("向主体发送失信预警提示"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    changed_at = models.DateTimeField(_("修改时间"))
    changed_by = models.CharField(_("修改人"), max_length=150)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One early warning to one department about one subject under one rule, with the
    records behind it (ids and labels, so the clerk can follow each). One open alert per
    rule, subject and department: a run with the same evidence writes nothing, new
    evidence updates it; a run that finds the rule no longer holding closes it (outcome
    ``lapsed``, a system note naming why). A closed alert is never reopened; it keeps a
    run from raising the same evidence again only while the rule goes on holding — once a
    run finds the rule lapsed (``lapsed_at``), a later run where it holds again raises a
    new alert. Departments' business only: the public and the subject never read alerts."""

    rule = models.ForeignKey(
        AlertRule, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("预警规则")
    )
    rule_version = models.PositiveIntegerField(_("规则版本"))
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("信用主体")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("预警部门"),
    )
    status = models.CharField(_("状态"), max_length=16, choices=AlertStatus)
    summary = models.CharField(_("预警摘要"), max_length=300)
    evidence = models.JSONField(_("预警依据"))  # [{"kind", "id", "label", "department"}]
    evidence_key = models.CharField(_("依据摘要"), max_length=64)
    raised_at = models.DateTimeField(_("预警时间"))
    updated_at = models.DateTimeField(_("依据更新时间"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("签收人"), max_length=150, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    closed_by = models.CharField(_("关闭人"), max_length=150, blank=True)
    outcome = models.CharField(_("处理结论"), max_length=16, choices=Outcome, blank=True)
    note = models.TextField(_("处理说明"), blank=True)
    # When a run first found the rule no longer holding for the alert's subject and
    # department: an open alert is then closed by the run; a closed one stops holding back
    # a new alert on the same evidence. Alerts with it set are history, never read by runs.
    lapsed_at = models.DateTimeField(_("规则不再成立时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("失信预警")
        verbose_name_plural = _("失信预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject", "department"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="alert_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["department", "status", "-raised_at"], name="alert_queue"),
            models.Index(fields=["rule", "status"], name="alert_rule_status"),
            # What a run reads of its rule: the alerts whose rule still held at the last run.
            models.Index(
                fields=["rule"], condition=Q(lapsed_at__isnull=True), name="alert_rule_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.subject_id}→{self.department_id}"

    @property
    def number(self) -> str:
        """预警编号, as staff and the API name it."""
        return f"YJ{self.raised_at:%Y%m%d}{self.pk:06d}"


class AlertEvent(models.Model):
    """Each step of an alert (raised, evidence updated, acknowledged, closed) as its page
    tells it; the audit trail holds the acts."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("环节"), max_length=16)
    by = models.CharField(_("办理人"), max_length=150)
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("预警处理环节")
        verbose_name_plural = _("预警处理环节")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.action}"


class WarningNotice(models.Model):
    """失信预警提示: what the subject is told when a rule says so — the facts behind the
    warning (not the department's alert, its handling or its outcome), as a PDF on its
    bound portal account. Kept as issued (the document's data), rendered when read."""

    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="notice")
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("信用主体")
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提示部门"),
    )
    title = models.CharField(_("提示事项"), max_length=200)
    document = models.JSONField(_("提示书内容"))  # reports.schemas.DocumentDoc
    issued_at = models.DateTimeField(_("发出时间"))

    objects = scoped_manager(Scope(department="department_id", subject="subject_id"))

    class Meta:
        verbose_name = _("失信预警提示")
        verbose_name_plural = _("失信预警提示")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"XYYJ{self.issued_at:%Y%m%d}{self.pk:06d}"
