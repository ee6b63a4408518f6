"""Credit service agencies (信用服务机构): their filing (登记备案) and the directory, their
practitioners, the authorisations subjects give them and the reads made under them,
their API tokens, the reports they register, their misconduct.

An agency is an organisation subject: its staff act through portal accounts bound to that
subject (``remedies.SubjectBinding``), never through a separate identity."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.agencies.choices import (
    AgencyReportKind,
    AgencyStatus,
    FilingFileKind,
    FilingKind,
    FilingStatus,
    PersonRole,
    Purpose,
    ReadKind,
    RemovalStatus,
    ReportSubjectKind,
)
from xinyong.lists.choices import StatementAdoption


class Agency(models.Model):
    """One credit service agency and its filed details (what the credit office approved
    last). The details it asks for next live in an :class:`AgencyFiling` until reviewed,
    so the directory never shows what nobody approved."""

    subject = models.OneToOneField(
        "subjects.Subject", on_delete=models.PROTECT, related_name="agency",
        verbose_name=_("机构主体"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=20, choices=AgencyStatus)
    filing_number = models.CharField(_("备案编号"), max_length=32, blank=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    scope = models.TextField(_("业务范围"), blank=True)
    qualifications = models.TextField(_("资质情况"), blank=True)
    conflicts_rules = models.TextField(_("利益冲突防范制度"), blank=True)
    security_rules = models.TextField(_("信息安全制度"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # When it left the directory (the case, its reasons and documents: :class:`Removal`).
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("信用服务机构")
        verbose_name_plural = _("信用服务机构")
        ordering = ["filing_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing_number"], condition=~models.Q(filing_number=""),
                name="agency_filing_number_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.subject.name if self.subject_id else str(self.pk)


class AgencyFiling(models.Model):
    """One filing the agency submitted (first, or a change), as it was submitted, and the
    credit office's decision with its reasons: the history of what was asked and decided."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="filings")
    kind = models.CharField(_("备案类型"), max_length=16, choices=FilingKind)
    status = models.CharField(_("状态"), max_length=16, choices=FilingStatus)
    scope = models.TextField(_("业务范围"))
    qualifications = models.TextField(_("资质情况"))
    conflicts_rules = models.TextField(_("利益冲突防范制度"), blank=True)
    security_rules = models.TextField(_("信息安全制度"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewed_by = models.CharField(_("审核人"), max_length=150, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("备案申请")
        verbose_name_plural = _("备案申请")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.pk}"


class FilingFile(models.Model):
    """A material of a filing (a qualification's certificate, the rules as a document),
    kept outside the web root under a random name (``core.uploads``)."""

    filing = models.ForeignKey(AgencyFiling, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("材料类型"), max_length=16, choices=FilingFileKind)
    path = models.CharField(_("存储路径"), max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)

    class Meta:
        verbose_name = _("备案材料")
        verbose_name_plural = _("备案材料")

    def __str__(self) -> str:
        return self.name


class FilingPerson(models.Model):
    """A responsible person as filed: the identifier hashed, encrypted and masked (never in
    clear); registered as a subject when the filing is approved."""

    filing = models.ForeignKey(AgencyFiling, on_delete=models.CASCADE, related_name="persons")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50)
    id_type = models.CharField(_("证件类型"), max_length=16)
    id_hash = models.CharField(_("证件号码摘要"), max_length=64)
    id_encrypted = models.TextField(_("证件号码密文"))
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=32)

    class Meta:
        verbose_name = _("备案负责人")
        verbose_name_plural = _("备案负责人")

    def __str__(self) -> str:
        return f"{self.name} {self.id_masked}"


class AgencyPerson(models.Model):
    """A person working for the agency — a responsible person (from an approved filing) or
    a practitioner — registered as a subject, so that each has a credit file like any
    subject (备案制度: agencies' practitioners have credit files). Ended, not deleted."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="persons")
    person = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("身份"), max_length=16, choices=PersonRole)
    position = models.CharField(_("职务或岗位"), max_length=50, blank=True)
    added_at = models.DateTimeField(_("登记时间"))
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构人员")
        verbose_name_plural = _("机构人员")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "person", "role"], condition=models.Q(ended_at__isnull=True),
                name="agency_person_once",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.person_id}"


class Authorisation(models.Model):
    """A subject's authorisation of an agency (授权): for a purpose, covering what it lists,
    until its end date. It takes effect only while not revoked, not past its end and the
    agency in good standing — checked on every read, never cached."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="agency_authorisations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="authorisations")
    purpose = models.CharField(_("授权用途"), max_length=24, choices=Purpose)
    covers = models.JSONField(_("授权范围"), default=list)
    valid_until = models.DateField(_("有效期至"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("授权时间"))
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    revoked_by = models.CharField(_("撤回人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("主体授权")
        verbose_name_plural = _("主体授权")
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject_id}→{self.agency_id}"


class AgencyToken(models.Model):
    """An agency's API token, issued to a portal account bound to the agency's subject.
    Only a SHA-256 hash is kept (as ``accounts.ApiClient``); the token is shown once."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="tokens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("令牌名称"), max_length=100)
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True)
    token_hash = models.CharField(_("令牌摘要"), max_length=64)
    scopes = models.JSONField(_("权限范围"), default=list)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构接口令牌")
        verbose_name_plural = _("机构接口令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"xya_{self.token_prefix}"

    def scope_labels(self) -> list[str]:
        from xinyong.agencies.choices import AgencyScope

        return [str(AgencyScope(s).label) for s in self.scopes if s in AgencyScope.values]


class AgencyRead(models.Model):
    """One read an agency made under an authorisation: what the subject sees in its log
    (the audit trail holds the same act)."""

    authorisation = models.ForeignKey(Authorisation, on_delete=models.PROTECT, related_name="reads")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    token = models.ForeignKey(AgencyToken, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(_("读取内容"), max_length=24, choices=ReadKind)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("读取时间"))

    class Meta:
        verbose_name = _("机构读取记录")
        verbose_name_plural = _("机构读取记录")
        ordering = ["-read_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.subject_id}:{self.kind}"


class AgencyReport(models.Model):
    """A credit report an agency issued, registered so that anyone can verify it by its
    number and its file's SHA-256. About an organisation (``subject``) or a person, who is
    kept only as the identifier's keyed hash, ciphertext and mask — never linked to, nor
    registered as, a subject on an agency's word; the person's bound account finds it by
    the hash."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports")
    number = models.CharField(_("报告编号"), max_length=64)
    subject_kind = models.CharField(
        _("报告所涉主体类型"), max_length=16, choices=ReportSubjectKind,
        default=ReportSubjectKind.ORGANIZATION,
    )  # fmt: skip
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    person_id_type = models.CharField(_("证件类型"), max_length=16, blank=True)
    person_id_hash = models.CharField(_("证件号码摘要"), max_length=64, blank=True)
    person_id_encrypted = models.TextField(_("证件号码密文"), blank=True)
    person_id_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True)
    kind = models.CharField(_("报告类型"), max_length=16, choices=AgencyReportKind)
    issued_on = models.DateField(_("出具日期"))
    sha256 = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    path = models.CharField(_("存储路径"), max_length=255, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    registered_at = models.DateTimeField(_("登记时间"))
    registered_by = models.CharField(_("登记人"), max_length=150)

    class Meta:
        verbose_name = _("机构出具报告")
        verbose_name_plural = _("机构出具报告")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="agency_report_number_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(subject_kind="organization", subject__isnull=False,
                             person_id_hash="")
                    | models.Q(subject_kind="person", subject__isnull=True,
                               person_id_hash__gt="")
                ),
                name="agency_report_one_subject",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["person_id_type", "person_id_hash"], name="agency_report_person")
        ]

    def __str__(self) -> str:
        return self.number


class Misconduct(models.Model):
    """Misconduct of an agency recorded by a department or the credit office; it is also a
    ``credit_service_misconduct`` record in the agency's credit file (the record id here)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="misconduct")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("编号"), max_length=32, unique=True)
    facts = models.TextField(_("失信行为事实"))
    basis = models.CharField(_("认定依据"), max_length=300)
    decided_on = models.DateField(_("认定日期"))
    recorded_by = models.CharField(_("登记人"), max_length=150)
    recorded_at = models.DateTimeField(_("登记时间"))
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,  # records are partitioned by subject: their key is (id, subject)
    )

    # Public like its record: every department reads every row (the recording one owns it).
    objects = scoped_manager(Scope(department="department_id", everyone=models.Q))

    class Meta:
        verbose_name = _("机构失信行为")
        verbose_name_plural = _("机构失信行为")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class Removal(models.Model):
    """A case to remove an agency from the directory (移出名录), with due process: the
    notice (facts, basis, reasons, the deadline for the agency's statement — a PDF it
    holds), the agency's statement with an optional attachment, and the decision with its
    reasons and whether the statement was adopted — the agency removed (a PDF too) or the
    case dropped. One open case at a time (the agency's status says so)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="removals")
    number = models.CharField(_("告知书文号"), max_length=32, unique=True)
    issuer = models.CharField(_("告知机关"), max_length=100)
    status = models.CharField(_("状态"), max_length=16, choices=RemovalStatus)
    facts = models.TextField(_("事实"))
    basis = models.CharField(_("依据"), max_length=300)
    reasons = models.TextField(_("拟移出理由"))
    notified_by = models.CharField(_("告知人"), max_length=150)
    notified_at = models.DateTimeField(_("告知时间"))
    statement_due = models.DateField(_("陈述申辩截止日期"))
    statement = models.TextField(_("机构陈述申辩"), blank=True)
    statement_at = models.DateTimeField(_("陈述申辩时间"), null=True, blank=True)
    statement_by = models.CharField(_("陈述申辩提交人"), max_length=150, blank=True)
    statement_file_path = models.CharField(_("附件存储路径"), max_length=255, blank=True)
    statement_file_name = models.CharField(_("附件文件名"), max_length=255, blank=True)
    statement_file_sha256 = models.CharField(_("附件摘要"), max_length=64, blank=True)
    decision_number = models.CharField(_("决定书文号"), max_length=32, blank=True)
    decision_reasons = models.TextField(_("决定理由"), blank=True)
    statement_adoption = models.CharField(
        _("陈述申辩采纳情况"), max_length=16, choices=StatementAdoption, blank=True
    )
    decided_by = models.CharField(_("决定人"), max_length=150, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("移出名录案件")
        verbose_name_plural = _("移出名录案件")
        ordering = ["-notified_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(status="notified"),
                name="agency_removal_one_open",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.number
