from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.declarations.choices import DeclarationKind, DeclarationStatus


class Declaration(models.Model):
    """自主申报: a subject, through its bound portal account, declares a fact about itself
    (a qualification, its operations, contracts performed, honours, charity, social
    responsibility) under a truthfulness pledge, with evidence. The department it is
    routed to — or, routed to none, the credit office — verifies or refuses it with
    reasons within working days. Only a verified declaration enters the credit file (as a
    record of the ``self_declaration`` item, provided by the verifying department), so
    evaluations and reports, which read records, only ever use verified ones."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="declarations",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    binding = models.ForeignKey(
        "remedies.SubjectBinding", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("申报账号的主体绑定"),
    )  # fmt: skip
    kind = models.CharField(_("申报类别"), max_length=24, choices=DeclarationKind)
    title = models.CharField(_("申报事项"), max_length=200)
    content = models.TextField(_("申报内容"))
    pledge_version = models.CharField(_("承诺书版本"), max_length=16)
    pledge_text = models.TextField(_("信用承诺"))  # as signed
    pledged_at = models.DateTimeField(_("承诺时间"))
    # The department asked to verify (chosen by the applicant); none: the credit office.
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("核实部门"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=DeclarationStatus)
    submitted_at = models.DateTimeField(_("申报时间"))
    verify_due = models.DateField(_("核实期限"))
    decided_by = models.CharField(_("核实人"), max_length=150, blank=True)
    # The department in whose name it was verified or refused (the provider of its record).
    decided_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("作出核实结论的部门"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reason = models.TextField(_("核实意见"), blank=True)  # a refusal's reasons; a note
    # The credit record a verification wrote: its source id is the declaration's number.
    # Empty while it is pending (written after the decision, retried by the sweep).
    record_source_id = models.CharField(_("信用记录来源编号"), max_length=128, blank=True)
    record = models.ForeignKey(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        db_constraint=False, verbose_name=_("信用记录"),
    )  # fmt: skip
    record_error = models.CharField(_("入档失败原因"), max_length=500, blank=True)

    objects = scoped_manager(Scope(department="department_id", subject="subject_id", auditor=False))

    class Meta:
        verbose_name = _("自主申报")
        verbose_name_plural = _("自主申报")
        ordering = ["-submitted_at"]
        indexes = [
            # The queues and the sweep: what waits for a verification, or for its record.
            models.Index(
                fields=["status", "verify_due"],
                condition=Q(status="submitted"),
                name="declaration_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.status}"

    @property
    def number(self) -> str:
        """申报编号: the declaration's public number, the source id of its record."""
        return f"ZZSB{self.submitted_at:%Y%m%d}{self.pk:06d}"

    @property
    def late(self) -> bool:
        from django.utils import timezone

        return self.status == DeclarationStatus.SUBMITTED and timezone.localdate() > self.verify_due

    @property
    def record_pending(self) -> bool:
        """Verified, and its record not written yet (the sweep writes it)."""
        return self.status == DeclarationStatus.VERIFIED and self.record_id is None


class DeclarationEvidence(models.Model):
    """One evidence file of a declaration (checked by content, kept outside the web root
    by :mod:`xinyong.core.uploads`)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="evidence")
    path = models.CharField(_("文件"), max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("摘要"), max_length=64)

    objects = scoped_manager(
        Scope(
            department="declaration__department_id",
            subject="declaration__subject_id",
            auditor=False,
        )
    )

    class Meta:
        verbose_name = _("申报证明材料")
        verbose_name_plural = _("申报证明材料")

    def __str__(self) -> str:
        return f"{self.declaration_id} {self.name}"
