from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.subjects.choices import DefectKind, IdType, RelatedRole, SubjectKind, SubjectStatus


class Subject(models.Model):
    """Anyone the platform keeps a credit file on. Organisations and individual businesses
    are keyed by USCC; persons by a keyed hash of their identifier, whose clear value exists
    only encrypted. One table for all kinds keeps records, lists and checks on one key."""

    kind = models.CharField(_("主体类型"), max_length=24, choices=SubjectKind)
    name = models.CharField(_("名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=16, choices=IdType, null=True, blank=True)
    id_hash = models.CharField(_("证件号码摘要"), max_length=64, null=True, blank=True)
    id_encrypted = models.TextField(_("证件号码密文"), null=True, blank=True)
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True)
    status = models.CharField(
        _("登记状态"), max_length=16, choices=SubjectStatus, default=SubjectStatus.ACTIVE
    )
    legal_form = models.CharField(_("组织形式"), max_length=50, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    # Departments are reference data, deactivated but never deleted; a database-level
    # constraint and index here would only slow bulk loads (deferred checks per row).
    source_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记信息来源部门"),
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用主体")
        verbose_name_plural = _("信用主体")
        constraints = [
            # A constraint rather than unique=True: no extra LIKE index on PostgreSQL.
            models.UniqueConstraint(fields=["uscc"], name="subject_uscc_unique"),
            models.UniqueConstraint(
                fields=["id_type", "id_hash"],
                condition=models.Q(id_hash__isnull=False),
                name="subject_person_identifier_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="person", uscc__isnull=True, id_hash__isnull=False)
                    | (
                        ~models.Q(kind="person")
                        & models.Q(uscc__isnull=False, id_hash__isnull=True)
                    )
                ),
                name="subject_key_matches_kind",
            ),
        ]
        # The exact-name index lives in migration 0002 with the search index: a hash index
        # on PostgreSQL (equality only, cheap to maintain on bulk loads), b-tree on SQLite.

    def __str__(self) -> str:
        return self.name


class NameHistory(models.Model):
    """Earlier names of a subject: records submitted under an old name still match, and
    the credit file shows who the subject used to be."""

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="name_history", verbose_name=_("主体")
    )
    name = models.CharField(_("曾用名"), max_length=200)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"))

    class Meta:
        verbose_name = _("名称变更记录")
        verbose_name_plural = _("名称变更记录")
        ordering = ["-valid_to"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class RelatedPerson(models.Model):
    """A person answerable for an organisation, for a period. Designations record who held
    the role at the time of the act, so periods are kept rather than overwritten."""

    organization = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="related_persons", verbose_name=_("组织")
    )
    person = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="roles_held", verbose_name=_("自然人")
    )
    role = models.CharField(_("关联类型"), max_length=24, choices=RelatedRole)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    provider = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提供部门"),
        db_constraint=False,  # reference data, never deleted (see Subject.source_department)
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = scoped_manager(Scope(department="provider_id", shared=True, auditor=False))

    class Meta:
        verbose_name = _("关联人")
        verbose_name_plural = _("关联人")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="related_person_period_ordered",
            )
        ]
        indexes = [models.Index(fields=["person", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.valid_from}~{self.valid_to or ''}"


class Registration(models.Model):
    """What a department other than the registrar reported about an organisation's code and
    name, as received. Kept even when the code is invalid: together with the registry (the
    subjects themselves) it is the raw material of code-defect governance (重错码治理)."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提供部门"),
    )
    code = models.CharField(_("报送代码"), max_length=64)
    name = models.CharField(_("报送名称"), max_length=200)
    subject = models.ForeignKey(
        Subject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("匹配主体"),
    )
    error_rule = models.CharField(_("校验错误"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("接收时间"))

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("登记信息来源")
        verbose_name_plural = _("登记信息来源")
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="registration_unique")
        ]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["error_rule"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodeDefect(models.Model):
    """A finding of the latest code-defect scan: an invalid code, one code reported with
    several names, or one name with several codes. Stored so that a scan over a million
    subjects runs once (command or schedule) and the back office lists it instantly."""

    kind = models.CharField(_("问题类型"), max_length=24, choices=DefectKind)
    key = models.CharField(_("代码或名称"), max_length=200)
    sources = models.JSONField(_("各来源报送"), default=list)
    detected_at = models.DateTimeField(_("发现时间"))

    class Meta:
        verbose_name = _("重错码")
        verbose_name_plural = _("重错码")
        ordering = ["kind", "key"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="code_defect_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"
