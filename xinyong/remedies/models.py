from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.remedies.choices import (
    BindingStatus,
    BindingVia,
    MaterialKind,
    ObjectionDecision,
    ObjectionStatus,
    RepairStatus,
)


class SubjectBinding(models.Model):
    """A portal account acting for one subject (an organisation, an individual business, or
    a person for their own file), once the applicant proved it: an authorisation letter (or
    for a person, their identity document) reviewed by the platform operator, or the
    confirmation of the department that registered the subject. Only an approved binding
    lets the account see the subject's file and raise objections or apply for repair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bindings",
        verbose_name=_("门户账号"),
    )  # fmt: skip
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="bindings",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=BindingStatus)
    applicant = models.CharField(_("经办人姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    evidence_path = models.CharField(_("授权材料"), max_length=255)  # under var/remedies
    evidence_name = models.CharField(_("材料文件名"), max_length=255)
    evidence_sha256 = models.CharField(_("材料摘要"), max_length=64)
    requested_at = models.DateTimeField(_("申请时间"))
    via = models.CharField(_("确认方式"), max_length=16, choices=BindingVia, blank=True)
    reviewed_by = models.CharField(_("审核人"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)

    objects = scoped_manager(
        Scope(department="subject__source_department_id", auditor=False, account="user_id")
    )

    class Meta:
        verbose_name = _("主体绑定")
        verbose_name_plural = _("主体绑定")
        ordering = ["-requested_at"]
        constraints = [
            # One open or approved binding per account and subject.
            models.UniqueConstraint(
                fields=["user", "subject"],
                condition=~Q(status=BindingStatus.REJECTED),
                name="binding_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}→{self.subject_id} {self.status}"


class Objection(models.Model):
    """异议: a subject (through its bound account) or a department disputes one record or
    one list entry. Working-day deadlines: marked within 1, forwarded within 2, decided by
    the provider within 5 of the forwarding; while open, the measures resting on it are
    suspended and the credit check says so."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="objections",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    record = models.ForeignKey(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True,
        related_name="objections", db_constraint=False, verbose_name=_("信用记录"),
    )  # fmt: skip
    entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, null=True, blank=True,
        related_name="objections", verbose_name=_("名单条目"),
    )  # fmt: skip
    provider = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("提供（认定）部门"),
    )  # fmt: skip
    filed_by = models.CharField(_("提出人"), max_length=150)
    filed_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("代为提出的部门"),
    )  # fmt: skip
    binding = models.ForeignKey(
        SubjectBinding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_version = models.PositiveIntegerField(_("提出时的记录版本"), null=True, blank=True)
    reasons = models.TextField(_("异议理由"))
    evidence_path = models.CharField(_("证明材料"), max_length=255, blank=True)
    evidence_name = models.CharField(_("材料文件名"), max_length=255, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ObjectionStatus)
    filed_at = models.DateTimeField(_("提出时间"))
    mark_due = models.DateField(_("标注期限"))
    forward_due = models.DateField(_("转交期限"))
    decide_due = models.DateField(_("办结期限"), null=True, blank=True)
    marked_at = models.DateTimeField(_("标注时间"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decision = models.CharField(_("处理结果"), max_length=16, choices=ObjectionDecision, blank=True)
    decision_reason = models.TextField(_("处理理由"), blank=True)
    decided_by = models.CharField(_("办理人"), max_length=150, blank=True)

    objects = scoped_manager(
        Scope(
            department="provider_id",
            also=("filed_department_id",),
            subject="subject_id",
            auditor=False,
        )
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-filed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(record__isnull=False, entry__isnull=True)
                | Q(record__isnull=True, entry__isnull=False),
                name="objection_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.status}"


class Notification(models.Model):
    """An in-app message to a portal account (also sent by e-mail when it has an address):
    each step of its objections and applications."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(_("内容"), max_length=500)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]


class RepairApplication(models.Model):
    """信用修复: the subject asks to restore its credit for one or more records or entries
    of one responsible department, with its materials; the department decides within 10
    working days. Approval ends publicity, takes the entries off their lists (measures end
    in the next check) and is shared through the repair feed at once."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="repairs",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    binding = models.ForeignKey(SubjectBinding, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("受理部门"),
    )  # fmt: skip
    # No foreign key in the database: records are partitioned by subject, keyed (id, subject).
    records = models.ManyToManyField(
        "records.Record", blank=True, related_name="+", db_constraint=False
    )
    entries = models.ManyToManyField("lists.ListEntry", blank=True, related_name="+")
    statement = models.TextField(_("申请说明"))
    status = models.CharField(_("状态"), max_length=16, choices=RepairStatus)
    filed_at = models.DateTimeField(_("申请时间"))
    decide_due = models.DateField(_("办结期限"))
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.CharField(_("办理人"), max_length=150, blank=True)
    decision_reason = models.TextField(_("理由"), blank=True)
    reapply = models.TextField(_("重新申请指引"), blank=True)

    # An industry association reads the applications to repair its own public censures.
    objects = scoped_manager(
        Scope(
            department="department_id",
            subject="subject_id",
            auditor=False,
            association="department_id",
        )
    )

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.status}"


class RepairMaterial(models.Model):
    """One uploaded material of an application (checked by content, kept outside the web
    root)."""

    application = models.ForeignKey(
        RepairApplication, on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=MaterialKind)
    path = models.CharField(_("文件"), max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("摘要"), max_length=64)
    # A credit report issued by this platform, named by its number and verification code
    # instead of an uploaded file (path empty): checked genuine, for the same subject and
    # within validity when applying. The code is kept so that the deciding department can
    # verify the report itself, as it could with the paper report the code is printed on.
    report = models.ForeignKey(
        "reports.Report", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("平台出具的信用报告"), db_constraint=False,
    )  # fmt: skip
    report_code = models.CharField(_("报告验证码"), max_length=16, blank=True)

    objects = scoped_manager(
        Scope(
            department="application__department_id",
            subject="application__subject_id",
            auditor=False,
            association="application__department_id",
        )
    )

    class Meta:
        verbose_name = _("修复材料")
        verbose_name_plural = _("修复材料")

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
