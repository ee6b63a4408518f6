from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.commitments.choices import (
    BreachKind,
    Channel,
    CheckMethod,
    CommitmentKind,
    CommitmentStatus,
    HearingOutcome,
)


class MatterRule(models.Model):
    """How a matter (办理事项) treats commitments: its statutory time limit (a deficiency-
    tolerant case may never run beyond it), whether it is too risky for notify-and-commit
    (涉及国家安全、生态环境、人身健康等的高风险事项), and for how long a breach in it bars the
    subject from notify-and-commit in it again."""

    matter = models.OneToOneField(
        "sanctions.Matter",
        on_delete=models.CASCADE,
        related_name="commitment_rule",
        verbose_name=_("办理事项"),
    )
    time_limit_workdays = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"), default=20)
    high_risk = models.BooleanField(_("高风险事项，不适用告知承诺"), default=False)
    high_risk_basis = models.CharField(_("不适用的依据"), max_length=300, blank=True)
    block_months = models.PositiveSmallIntegerField(
        _("违诺后不适用告知承诺的期限（月）"), default=12
    )

    class Meta:
        verbose_name = _("事项承诺规则")
        verbose_name_plural = _("事项承诺规则")

    def __str__(self) -> str:
        return str(self.matter_id)


class CommitmentTemplate(models.Model):
    """One kind of commitment a matter allows, with how and when it is checked and how
    long it holds. Its text lives in versions: a signed commitment keeps the version it
    was signed under, whatever the office writes later."""

    matter = models.ForeignKey(
        "sanctions.Matter",
        on_delete=models.PROTECT,
        related_name="commitment_templates",
        verbose_name=_("办理事项"),
    )
    kind = models.CharField(_("承诺类型"), max_length=16, choices=CommitmentKind)
    name = models.CharField(_("承诺书名称"), max_length=200)
    check_method = models.CharField(_("核查方式"), max_length=16, choices=CheckMethod)
    check_workdays = models.PositiveSmallIntegerField(
        _("签署后核查期限（工作日）"), null=True, blank=True
    )  # None with the exempt method
    exempt_reason = models.CharField(_("免于核查的理由"), max_length=300, blank=True)
    validity_months = models.PositiveSmallIntegerField(_("有效期（月）"), default=12)
    legal_basis = models.CharField(_("依据"), max_length=300)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承诺书模板")
        verbose_name_plural = _("承诺书模板")
        ordering = ["matter_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "kind"], name="template_once_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    """The text of a template as it stood; immutable once written (a change is a new
    version)."""

    template = models.ForeignKey(
        CommitmentTemplate, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("版本"))
    text = models.TextField(_("承诺书正文"))
    created_by = models.CharField(_("修订人"), max_length=150)
    created_at = models.DateTimeField(_("修订时间"))

    class Meta:
        verbose_name = _("承诺书版本")
        verbose_name_plural = _("承诺书版本")
        ordering = ["template_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["template", "version"], name="template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.template_id} v{self.version}"


def bars_q(subject, today):
    """A subject's breaches whose bar on notify-and-commit holds ``today`` (the partial
    index ``commitment_bars`` serves it)."""
    return Commitment.objects.filter(
        subject_id=subject,
        status=CommitmentStatus.BREACHED,
        lifted_at__isnull=True,
        bar_until__gte=today,
    )


def _published() -> Q:
    return Q(public=True)


class Commitment(models.Model):
    """信用承诺: a subject's signed pledge in a matter, accepted by a department, from
    signature to fulfilment (kept) or breach — tracking is the point (GB/T 46277). A
    breach is decided only after the subject was heard; then it is a negative record in
    the credit file, a watch-list case and a bar on notify-and-commit until its end or
    the record's repair."""

    number = models.CharField(_("承诺编号"), max_length=32, unique=True)
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("信用主体"),
    )
    matter = models.ForeignKey(
        "sanctions.Matter", on_delete=models.PROTECT, related_name="+", verbose_name=_("办理事项")
    )
    kind = models.CharField(_("承诺类型"), max_length=16, choices=CommitmentKind)
    template = models.ForeignKey(CommitmentTemplate, on_delete=models.PROTECT, related_name="+")
    template_version = models.ForeignKey(
        TemplateVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("承诺书版本"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理部门"),
    )
    channel = models.CharField(_("签署方式"), max_length=8, choices=Channel)
    binding = models.ForeignKey(
        "remedies.SubjectBinding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signatory = models.CharField(_("签署人"), max_length=50)
    reason = models.CharField(_("承诺事由"), max_length=300)
    public = models.BooleanField(_("公示"), default=True)  # an organisation's: published
    signed_at = models.DateTimeField(_("签署时间"))
    recorded_by = models.CharField(_("录入人"), max_length=150, blank=True)  # paper ones
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"))
    scan_path = models.CharField(_("承诺书扫描件"), max_length=255, blank=True)
    scan_name = models.CharField(_("扫描件文件名"), max_length=255, blank=True)
    scan_sha256 = models.CharField(_("扫描件摘要"), max_length=64, blank=True)
    check_method = models.CharField(_("核查方式"), max_length=16, choices=CheckMethod)
    check_due = models.DateField(_("核查期限"), null=True, blank=True)  # None: exempt
    status = models.CharField(_("履约状态"), max_length=16, choices=CommitmentStatus)
    # Deficiency-tolerant acceptance: what is missing (DeficiencyItem), by when, and what
    # happens if late — stated once, at signing.
    supply_due = models.DateField(_("补正材料期限"), null=True, blank=True)
    late_consequence = models.CharField(_("逾期未补正的后果"), max_length=300, blank=True)
    supplied_at = models.DateTimeField(_("材料补齐时间"), null=True, blank=True)
    # The check.
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    checked_by = models.CharField(_("核查人"), max_length=150, blank=True)
    check_note = models.TextField(_("核查情况"), blank=True)
    # A breach: proposed with evidence and reasons, heard, decided.
    breach_kind = models.CharField(_("违诺情形"), max_length=8, choices=BreachKind, blank=True)
    breach_reasons = models.TextField(_("违诺事实和理由"), blank=True)
    evidence_path = models.CharField(_("违诺证据"), max_length=255, blank=True)
    evidence_name = models.CharField(_("证据文件名"), max_length=255, blank=True)
    evidence_sha256 = models.CharField(_("证据摘要"), max_length=64, blank=True)
    proposed_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    proposed_by = models.CharField(_("告知人"), max_length=150, blank=True)
    statement_due = models.DateField(_("陈述申辩期至"), null=True, blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    statement_at = models.DateTimeField(_("陈述申辩时间"), null=True, blank=True)
    hearing_outcome = models.CharField(
        _("陈述申辩采纳情况"), max_length=16, choices=HearingOutcome, blank=True
    )
    decision_reason = models.TextField(_("认定理由"), blank=True)
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    decided_by = models.CharField(_("认定人"), max_length=150, blank=True)
    # What a breach bars: notify-and-commit in this matter (or, for a false commitment, in
    # every matter) until this day — or until the breach record is repaired or withdrawn.
    bar_until = models.DateField(_("不适用告知承诺至"), null=True, blank=True)
    bars_every_matter = models.BooleanField(_("所有事项均不适用"), default=False)
    lifted_at = models.DateTimeField(_("限制解除时间"), null=True, blank=True)
    lifted_reason = models.CharField(_("解除原因"), max_length=300, blank=True)
    breach_record_id = models.BigIntegerField(_("违诺信用记录"), null=True, blank=True)
    case = models.ForeignKey(
        "lists.ListEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("重点关注名单案件"),
    )
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最近变更时间"))

    objects = scoped_manager(
        Scope(department="department_id", subject="subject_id", everyone=_published)
    )

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-signed_at", "-pk"]
        indexes = [
            # The credit check: a subject's bars in force (few rows, most subjects none).
            models.Index(
                fields=["subject"],
                condition=Q(status="breached", lifted_at__isnull=True),
                name="commitment_bars",
            ),
            # The review queue: a department's open commitments by due date.
            models.Index(fields=["department", "status", "check_due"], name="commitment_queue"),
            # A department's commitments due in a month, whatever their state (the scorecards).
            models.Index(fields=["department", "check_due"], name="commitment_due"),
            # The public column, newest first.
            models.Index(fields=["public", "-signed_at"], name="commitment_column"),
            # The deficiency sweep.
            models.Index(
                fields=["supply_due"],
                condition=Q(kind="deficiency", status="in_force"),
                name="commitment_supply_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class DeficiencyItem(models.Model):
    """One document a deficiency-tolerant acceptance waits for, and in what form."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="missing")
    name = models.CharField(_("待补材料"), max_length=200)
    form = models.CharField(_("材料形式"), max_length=100)  # 原件、复印件、电子证照…
    supplied_at = models.DateTimeField(_("补正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待补材料")
        verbose_name_plural = _("待补材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class CommitmentEvent(models.Model):
    """Each step of a commitment as the subject and the public may follow it (signed,
    checked, breach proposed, statement, decided, ended, bar lifted) — the audit trail
    holds the acts, this the story told on the pages."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("环节"), max_length=32)
    status = models.CharField(_("办理后状态"), max_length=16, choices=CommitmentStatus)
    by = models.CharField(_("办理人"), max_length=150)
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("承诺办理环节")
        verbose_name_plural = _("承诺办理环节")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.action}"
