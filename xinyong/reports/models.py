from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.reports.choices import BatchStatus, ReportKind, VerifyChannel, VerifyOutcome


class ReportPolicy(models.Model):
    """The credit office's settings of reports (one row): how long a report is valid and
    how far back a special report may look. Kept as data so the office changes them in the
    back office without a deployment; a report keeps the validity it was issued with."""

    validity_days = models.PositiveSmallIntegerField(_("报告有效期（天）"), default=30)
    special_max_years = models.PositiveSmallIntegerField(
        _("专项信用报告最长查询期（年）"), default=3,
        help_text=_("发改财金〔2025〕565号：一般为近三年"),
    )  # fmt: skip
    batch_max = models.PositiveIntegerField(_("批量报告最多主体数"), default=1000)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("报告设置")
        verbose_name_plural = _("报告设置")

    def __str__(self) -> str:
        return str(_("报告设置"))


class ReportDomain(models.Model):
    """A domain of the special credit report (专项信用报告的领域), e.g. 市场监管, 税务: the
    certificate of no violation it replaces, the departments whose records count and the
    catalog items searched. Data, because each city connects its own departments; a domain
    none of whose departments exists here is not offered (its "none found" would be empty
    words)."""

    code = models.CharField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("领域名称"), max_length=100)
    replaces = models.CharField(_("替代的证明"), max_length=200)
    departments = models.JSONField(_("数据提供部门"), default=list)  # department codes
    items = models.JSONField(_("查询的目录项"), default=list)  # catalog item codes
    lists = models.BooleanField(_("含严重失信主体名单"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("专项信用报告领域")
        verbose_name_plural = _("专项信用报告领域")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class SigningKey(models.Model):
    """A public key that has signed reports. Remembered when it first signs, so that a
    report stays verifiable after the key is rotated: the portal publishes every key with
    the period it signed in."""

    key_id = models.CharField(_("密钥标识"), max_length=16, unique=True)
    public_key = models.CharField(_("公钥（Ed25519，base64url）"), max_length=64)
    first_used_at = models.DateTimeField(_("启用时间"))
    last_used_at = models.DateTimeField(_("最近签名时间"))

    class Meta:
        verbose_name = _("报告签名密钥")
        verbose_name_plural = _("报告签名密钥")
        ordering = ["-first_used_at"]

    def __str__(self) -> str:
        return self.key_id


class Report(models.Model):
    """One issued report: its number, the verification code's hash, for whom and by whom
    it was issued, the signed machine-readable twin and the PDF's digest. The PDF itself is
    kept sealed outside the database (it may hold shared information). A report is never
    edited: a changed file makes a new report with a new number."""

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind)
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("信用主体"), db_constraint=False,
    )  # fmt: skip
    # Who asked: the department (review and department-requested reports), the portal
    # account, or nobody (the public report from the portal).
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("申请部门"), db_constraint=False,
    )  # fmt: skip
    user_id = models.BigIntegerField(_("申请账号"), null=True, blank=True)
    requested_by = models.CharField(_("申请人"), max_length=150, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    domains = models.JSONField(_("专项领域"), default=list, blank=True)
    period_from = models.DateField(_("查询期起"), null=True, blank=True)
    period_to = models.DateField(_("查询期止"), null=True, blank=True)
    issued_at = models.DateTimeField(_("出具时间"))
    valid_until = models.DateField(_("有效期至"))
    twin = models.JSONField(_("报告数据"))  # the signed machine-readable report
    # What verification answers, copied from the twin at issue: reading them out of the
    # twin would fetch and decompress the whole (TOASTed) JSON on every verification.
    subject_name = models.CharField(_("报告所载主体名称"), max_length=200, blank=True)
    subject_code = models.CharField(_("报告所载主体代码"), max_length=64, blank=True)
    issuer = models.CharField(_("出具机构"), max_length=200, blank=True)
    content_sha256 = models.CharField(_("内容摘要"), max_length=64)  # of the signed twin
    pdf_sha256 = models.CharField(_("文件摘要"), max_length=64)
    pdf_size = models.PositiveIntegerField(_("文件大小"))
    key_id = models.CharField(_("签名密钥"), max_length=16)
    signature = models.CharField(_("签名"), max_length=128)
    batch = models.ForeignKey(
        "ReportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
        verbose_name=_("批量任务"),
    )  # fmt: skip

    objects = scoped_manager(Scope(department="department_id", subject="subject_id"))

    class Meta:
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")
        indexes = [models.Index(fields=["subject", "-issued_at"], name="report_subject_idx")]

    def __str__(self) -> str:
        return self.number


class ReportVerification(models.Model):
    """One verification of a report (by number and code, possibly with its file): the
    subject sees who checked its reports and when. Failed lookups of unknown numbers are
    not stored (nothing to attach them to); they are answered "not genuine"."""

    # No database constraint: the row is only ever written with the id the same
    # verification just read, and the constraint's check would lock the report's row (a
    # write to the report table) on every verification.
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="verifications", db_constraint=False
    )
    at = models.DateTimeField(_("核验时间"))
    channel = models.CharField(_("核验渠道"), max_length=8, choices=VerifyChannel)
    outcome = models.CharField(_("核验结果"), max_length=16, choices=VerifyOutcome)
    verifier = models.CharField(_("核验方"), max_length=150, blank=True)

    objects = scoped_manager(
        Scope(department="report__department_id", subject="report__subject_id")
    )

    class Meta:
        verbose_name = _("报告核验记录")
        verbose_name_plural = _("报告核验记录")
        indexes = [models.Index(fields=["report", "-at"], name="report_verification_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.outcome}"


class ReportBatch(models.Model):
    """A department's batch of reports for up to ``ReportPolicy.batch_max`` subjects (e.g.
    screening a tender's bidders), issued by the worker with progress. Each report of it is
    whole or absent; a batch interrupted resumes with the subjects not yet done."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("申请部门"),
    )  # fmt: skip
    requested_by = models.CharField(_("申请人"), max_length=150)
    # Who asked, to issue the reports as that user or system (what it may see).
    user_id = models.BigIntegerField(null=True, blank=True)
    client_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind)
    purpose = models.CharField(_("用途"), max_length=200)
    subject_ids = models.JSONField(_("主体"))
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus)
    total = models.PositiveIntegerField(_("主体数"))
    done = models.PositiveIntegerField(_("已出具"), default=0)
    created_at = models.DateTimeField(_("提交时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # Times the watch queued it again after a failure (bounded: choices.BATCH_RETRY_MAX).
    retries = models.PositiveSmallIntegerField(_("自动重试次数"), default=0)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("批量报告任务")
        verbose_name_plural = _("批量报告任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.department_id} {self.kind} ×{self.total}"


class ReportDataRun(models.Model):
    """The reports' data computed on a batch engine (``xinyong report_data``, issue #19
    item 3): the one run in force, replaced whole by the next. What it holds is true as of
    the export's ``data_time``; its public part also for the day ``as_of`` only (a
    publication's period ends by day), under the catalog's public items as they were
    (``catalog``). A batch takes it only then, and reads a subject changed since from the
    database."""

    engine = models.CharField(_("计算引擎"), max_length=16)
    data_time = models.DateTimeField(_("数据截至"))
    as_of = models.DateField(_("适用日期"))
    # The scope: a batch's subjects, or every organisation of the export (None).
    batch_id = models.BigIntegerField(_("批量报告任务"), null=True, blank=True)
    catalog = models.JSONField(_("公开目录项"))  # records.selectors.public_item_codes()
    subjects = models.PositiveIntegerField(_("主体数"))
    created_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("信用报告预计算批次")
        verbose_name_plural = _("信用报告预计算批次")

    def __str__(self) -> str:
        return f"{self.engine} {self.data_time:%Y-%m-%d %H:%M}"


class ReportData(models.Model):
    """One organisation's report data of the run in force: per catalog item, how many
    records the public sees and the ids of the newest ``content.SECTION_MAX`` of them
    (``items``: the public report's), and the same of its whole file per item and
    (provider, disclosure) group (``files``: the review report's, whose reader sees a
    union of groups; of large files only) — what ``content.FileReader`` otherwise reads
    from the records table, by a window over the subject's records; ``{}``: none. No
    foreign keys: written a million at a time."""

    subject_id = models.BigIntegerField(_("信用主体"), primary_key=True)
    run = models.ForeignKey(ReportDataRun, on_delete=models.CASCADE, related_name="+",
                            db_constraint=False, verbose_name=_("预计算批次"))  # fmt: skip
    items = models.JSONField(_("各目录项"))  # {item code: [public records, [newest ids]]}
    # {item code: [[provider id, disclosure, records, [newest ids]], …]} of a large file
    # (an item with more than SECTION_MAX records); None: a small file, which a batch of
    # review reports reads from the database (as it does a run made before this column)
    files = models.JSONField(_("各目录项（全部记录，按报送部门和公开属性）"), null=True)

    class Meta:
        verbose_name = _("信用报告预计算数据")
        verbose_name_plural = _("信用报告预计算数据")

    def __str__(self) -> str:
        return str(self.subject_id)
