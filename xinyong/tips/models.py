from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.tips.choices import OPEN, RewardStatus, TipStatus, TransferKind


class TipPolicy(models.Model):
    """The credit office's settings of rewarded tips (one row). The policy texts ask for a
    rewarded-tip system with protection of the tipster (苏政办发〔2015〕88号) but set no
    periods, so the periods are data the office sets on the routing page, without a
    deployment; a tip keeps the deadlines it was given."""

    ack_workdays = models.PositiveSmallIntegerField(_("受理期限（工作日）"), default=5)
    decide_workdays = models.PositiveSmallIntegerField(_("办结期限（工作日）"), default=30)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("举报设置")
        verbose_name_plural = _("举报设置")

    def __str__(self) -> str:
        return str(_("举报设置"))


class TipDomain(models.Model):
    """A line of the routing table the credit office keeps: a domain a tipster chooses
    (食品安全, 税收…) and the department competent for it. A domain of no department
    (or a tip of no domain) is routed by the credit office by hand."""

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("领域"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("主管部门"),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    # Reference data: every member of staff reads the routing table (the filing form reads
    # the active domains without an actor).
    objects = scoped_manager(Scope(department="department_id", everyone=lambda: Q()))

    class Meta:
        verbose_name = _("举报领域")
        verbose_name_plural = _("举报领域")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Tip(models.Model):
    """失信行为有奖举报: a member of the public reports a subject's dishonest act. The
    competent department accepts or declines it and then decides it within working days;
    a substantiated tip enters the subject's credit file (a record of the
    ``tip_substantiated`` item, provided by the deciding department, whose source id is
    the case number) and earns a reward under the department's rule.

    The tipster is not here: a verified tipster's identity is a :class:`TipIdentity` row
    only the handling officer reads (each read audited), and the tipster follows the case
    with a receipt code whose keyed hash alone is kept."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("被举报主体"),
    )  # fmt: skip
    domain = models.ForeignKey(
        TipDomain, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("举报领域"),
    )  # fmt: skip
    content = models.TextField(_("举报内容"))
    occurred_on = models.DateField(_("发生时间"))
    place = models.CharField(_("发生地点"), max_length=200)
    anonymous = models.BooleanField(_("匿名举报"))
    receipt_hash = models.CharField(_("查询码摘要"), max_length=64, unique=True)
    status = models.CharField(_("状态"), max_length=16, choices=TipStatus)
    submitted_at = models.DateTimeField(_("举报时间"))
    # The competent department (none: waiting for the credit office to route it).
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("承办部门"),
    )  # fmt: skip
    routed_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    ack_due = models.DateField(_("受理期限"))
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("受理人"), max_length=150, blank=True)
    # 承办人: the department's staff member who holds the case — the clerk who accepted it
    # (or who took it over when a business system accepted it). The only reader of the
    # tipster's identity.
    handler = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("承办人"),
    )  # fmt: skip
    decide_due = models.DateField(_("办结期限"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.CharField(_("办结人"), max_length=150, blank=True)
    reason = models.TextField(_("理由"), blank=True)  # declining's or the decision's reasons
    summary = models.TextField(_("处理结果（告知举报人）"), blank=True)
    record_source_id = models.CharField(_("信用记录来源编号"), max_length=128, blank=True)
    record = models.ForeignKey(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False, verbose_name=_("信用记录"),
    )  # fmt: skip
    record_error = models.CharField(_("入档失败原因"), max_length=500, blank=True)
    reward_status = models.CharField(_("奖励状态"), max_length=16, choices=RewardStatus,
                                     blank=True, default="")  # fmt: skip
    reward_amount = models.DecimalField(_("奖励金额（元）"), max_digits=12, decimal_places=2,
                                        null=True, blank=True)  # fmt: skip
    reward_basis = models.TextField(_("奖励依据"), blank=True)
    reward_decided_at = models.DateTimeField(_("奖励核定时间"), null=True, blank=True)
    reward_paid_on = models.DateField(_("奖励发放日期"), null=True, blank=True)

    # Departments read their own tips; the operator all; the auditor the overview; portal
    # accounts none (a subject's account sees nothing of tips about it).
    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("失信行为举报")
        verbose_name_plural = _("失信行为举报")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(
                fields=["status", "ack_due"],
                condition=Q(status__in=["routing", "submitted", "accepted"]),
                name="tip_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.status}"

    @property
    def number(self) -> str:
        """举报编号: the case's number (the source id of its record); not the receipt code."""
        return f"JB{self.submitted_at:%Y%m%d}{self.pk:06d}"

    @property
    def due(self):
        """The deadline of the step the department owes, if any. A transferred tip waiting
        for acceptance owes it by the acceptance deadline, or by the decision deadline the
        transfer fixed if that comes first."""
        if self.status == TipStatus.ACCEPTED:
            return self.decide_due
        if self.status in OPEN:
            return min(self.ack_due, self.decide_due) if self.decide_due else self.ack_due
        return None

    @property
    def overdue(self) -> bool:
        due = self.due
        return due is not None and timezone.localdate() > due

    @property
    def record_pending(self) -> bool:
        return self.status == TipStatus.SUBSTANTIATED and self.record_id is None


class TipIdentity(models.Model):
    """The identity of a tipster who filed under a verified identity: the signed-in portal
    account, and the name and contact it gave, encrypted (AES-GCM, :mod:`xinyong.core.crypto`).
    Kept apart from :class:`Tip` so that no list, export, feed or schema of tips can reach
    it; read only through :func:`xinyong.tips.selectors.tip_identity`, by the handling
    officer, for a stated purpose, each read an audit event."""

    tip = models.OneToOneField(Tip, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    name_encrypted = models.TextField()
    contact_encrypted = models.TextField()

    class Meta:
        verbose_name = _("举报人身份")
        verbose_name_plural = _("举报人身份")

    def __str__(self) -> str:
        return f"{self.tip_id}"


class TipEvidence(models.Model):
    """One evidence file of a tip (checked by content, kept outside the web root by
    :mod:`xinyong.core.uploads`)."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="evidence")
    path = models.CharField(_("文件"), max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("摘要"), max_length=64)

    objects = scoped_manager(Scope(department="tip__department_id", auditor=False))

    class Meta:
        verbose_name = _("举报证据材料")
        verbose_name_plural = _("举报证据材料")

    def __str__(self) -> str:
        return f"{self.tip_id} {self.name}"


class TipTransfer(models.Model):
    """转办: a tip moved, before its decision, from the department it was routed to to the
    one competent for it — sent on by that department, or reassigned by the credit office
    — with the reasons. The new department accepts it afresh (its acceptance period runs
    from the transfer) and decides it by the deadline the transfer fixed (counted from the
    transfer; its acceptance does not move it); the handling officer of the old department
    is no longer one (the tipster's identity goes with the case, to whoever accepts it).
    The tipster reads "transferred to <department>" with the receipt code; the reasons stay
    with the departments."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("转办方式"), max_length=16, choices=TransferKind)
    from_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("原承办部门"),
    )  # fmt: skip
    to_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("转至部门"),
    )  # fmt: skip
    status_before = models.CharField(_("转办前状态"), max_length=16, choices=TipStatus)
    reason = models.TextField(_("转办理由"))
    at = models.DateTimeField(_("转办时间"))
    by = models.CharField(_("转办人"), max_length=150)
    # The step the old department owed was already overdue when it sent the tip on: the
    # transfer does not erase it (the event and the tip's page say so).
    late = models.BooleanField(_("转办时已超期"), default=False)

    # Read with its tip: the department now holding it, the operator, the auditor.
    objects = scoped_manager(Scope(department="tip__department_id"))

    class Meta:
        verbose_name = _("举报转办")
        verbose_name_plural = _("举报转办")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.tip_id} {self.from_department_id}→{self.to_department_id}"
