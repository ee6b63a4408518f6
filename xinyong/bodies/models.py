import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.bodies.choices import AckMethod, AddresseeRole, ReceiptSource


class PublicBodyProfile(models.Model):
    """Who a public institution's or state-owned enterprise's notices go to: its superior
    body and its audit department, each a department of the platform (it then acknowledges
    online) or a body named here (its paper receipt is recorded). Kept by the department
    that registered the subject or the credit office; without it the superior is named
    from the subject and the audit department is ``XINYONG_AUDIT_DEPARTMENT``."""

    subject = models.OneToOneField(
        "subjects.Subject", on_delete=models.CASCADE, related_name="public_body",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    superior_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("上级主管单位（平台部门）"),
    )  # fmt: skip
    superior_name = models.CharField(_("上级主管单位名称"), max_length=200, blank=True)
    audit_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("审计部门（平台部门）"),
    )  # fmt: skip
    audit_name = models.CharField(_("审计部门名称"), max_length=200, blank=True)
    updated_by = models.CharField(_("修改人"), max_length=150)
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("机关事业单位和国有企业通报对象")
        verbose_name_plural = _("机关事业单位和国有企业通报对象")

    def __str__(self) -> str:
        return str(self.subject_id)


class StaffMisconduct(models.Model):
    """工作人员违规失信行为通报: a department found that a staff member of a public
    institution or state-owned enterprise broke a rule (the basis) by what it did (the
    facts); the unit and the discipline inspection body are told, and each receipt is
    followed until acknowledged. The person is the registry's subject (its identifier is
    never kept here); the auditor's trail shows the act, not the person."""

    number = models.CharField(_("通报文号"), max_length=100)
    person = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", verbose_name=_("工作人员")
    )
    unit = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="staff_misconduct",
        verbose_name=_("所在单位"),
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("通报部门"),
    )  # fmt: skip
    basis = models.TextField(_("违反的规定"))
    facts = models.TextField(_("违规失信事实"))
    act_date = models.DateField(_("行为日期"))
    body = models.TextField(_("通报正文"))
    recorded_by = models.CharField(_("录入人"), max_length=150)
    recorded_at = models.DateTimeField(_("录入时间"))

    objects = scoped_manager(Scope(department="department_id", auditor=False))

    class Meta:
        verbose_name = _("工作人员违规失信行为通报")
        verbose_name_plural = _("工作人员违规失信行为通报")
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="misconduct_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class NoticeReceipt(models.Model):
    """One addressee's copy of a notice about a public body, followed until it is
    acknowledged: a list decision's notice to the superior body and the audit department,
    a staff misconduct notice to the unit and the discipline body. Sent with a deadline in
    working days; an addressee on the platform acknowledges online, a named body's paper
    receipt is recorded by the issuing department or the credit office with its proof;
    past the deadline it is overdue and the daily upkeep reminds both sides. The issuing
    department and the addressee department read it."""

    source = models.CharField(_("通报类型"), max_length=16, choices=ReceiptSource)
    entry_notice = models.ForeignKey(
        "lists.EntryNotice", on_delete=models.PROTECT, null=True, blank=True,
        related_name="receipts", verbose_name=_("名单文书"),
    )  # fmt: skip
    misconduct = models.ForeignKey(
        StaffMisconduct, on_delete=models.PROTECT, null=True, blank=True,
        related_name="receipts", verbose_name=_("工作人员违规失信行为通报"),
    )  # fmt: skip
    body = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="notice_receipts",
        verbose_name=_("机关事业单位或国有企业"),
    )  # fmt: skip
    issuer = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("通报部门"),
    )  # fmt: skip
    role = models.CharField(_("送达对象类别"), max_length=16, choices=AddresseeRole)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("送达部门"),
    )  # fmt: skip
    addressee_name = models.CharField(_("送达对象"), max_length=200)
    title = models.CharField(_("通报事由"), max_length=300)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("送达时间"))
    due = models.DateField(_("签收期限"))
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    ack_method = models.CharField(_("签收方式"), max_length=16, choices=AckMethod, blank=True)
    ack_signer = models.CharField(_("签收人"), max_length=200, blank=True)
    ack_proof = models.CharField(_("签收凭证"), max_length=300, blank=True)
    ack_recorded_by = models.CharField(_("登记人"), max_length=150, blank=True)
    reminders = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    reminded_on = models.DateField(_("最近催办日期"), null=True, blank=True)

    objects = scoped_manager(Scope(department="issuer_id", also=("department_id",)))

    class Meta:
        verbose_name = _("通报签收")
        verbose_name_plural = _("通报签收")
        ordering = ["due", "pk"]
        indexes = [
            models.Index(
                fields=["due"], condition=Q(acknowledged_at__isnull=True),
                name="receipt_outstanding_idx",
            ),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=Q(entry_notice__isnull=False, misconduct__isnull=True)
                | Q(entry_notice__isnull=True, misconduct__isnull=False),
                name="receipt_one_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} → {self.addressee_name}"

    @property
    def outstanding(self) -> bool:
        return self.acknowledged_at is None

    def late_on(self, today: datetime.date) -> bool:
        return self.acknowledged_at is None and today > self.due

    @property
    def acknowledged_late(self) -> bool:
        """Acknowledged, after its deadline."""
        return self.acknowledged_at is not None and (
            timezone.localdate(self.acknowledged_at) > self.due
        )

    @property
    def late(self) -> bool:
        """Overdue: not acknowledged and its deadline passed (read at read time)."""
        return self.late_on(timezone.localdate())
