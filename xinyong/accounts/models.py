from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.choices import ApiScope, DepartmentKind, Role


class Department(models.Model):
    """A government body that supplies or uses credit information. Data a department
    provides is scoped to it; sharing rules widen what other departments see."""

    code = models.CharField(_("部门编码"), max_length=32, unique=True)
    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    # Authorities whose decisions this department reports besides its own (a bureau for its
    # district offices, say): a penalty or licence naming another authority is refused.
    authority_usccs = models.JSONField(
        _("代报机关统一社会信用代码"), default=list, blank=True,
        help_text=_("本部门代为报送其决定的机关的统一社会信用代码（本部门自身的代码不必重复填写）"),
    )  # fmt: skip
    kind = models.CharField(
        _("部门类型"), max_length=20, choices=DepartmentKind, default=DepartmentKind.ADMINISTRATIVE
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def authorities(self) -> frozenset[str]:
        """The deciding authorities this department may report for: itself (when its USCC
        is registered) and those registered in ``authority_usccs``."""
        codes = [self.uscc, *(self.authority_usccs or [])]
        return frozenset(str(c).strip().upper() for c in codes if c and str(c).strip())


class SharingRule(models.Model):
    """Lets ``consumer`` see the shared (有条件共享) data that ``provider`` supplies, for a
    stated purpose; restricted data is never shared by a rule."""

    provider = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="shares_given",
        verbose_name=_("提供部门"),
    )
    consumer = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="shares_received",
        verbose_name=_("使用部门"),
    )
    purpose = models.CharField(_("共享用途"), max_length=200)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("共享规则")
        verbose_name_plural = _("共享规则")
        constraints = [
            models.UniqueConstraint(fields=["provider", "consumer"], name="sharing_rule_unique"),
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("consumer")), name="sharing_rule_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} → {self.consumer}"


class User(AbstractUser):
    """A back-office or portal user. The role decides what they may do, the department
    what they may see."""

    role = models.CharField(_("角色"), max_length=32, choices=Role, default=Role.PUBLIC)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属部门"),
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["platform_operator", "auditor", "public"])
                | models.Q(department__isnull=False),
                name="department_roles_need_department",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiClient(models.Model):
    """A business system calling the API for a department. Only a SHA-256 hash of the
    token is stored; the token is shown once when issued."""

    name = models.CharField(_("系统名称"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("所属部门")
    )
    token_prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True)
    token_hash = models.CharField(_("令牌摘要"), max_length=64)
    scopes = models.JSONField(_("权限范围"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")

    def __str__(self) -> str:
        return f"{self.name} ({self.department})"

    def has_scope(self, scope: ApiScope | str) -> bool:
        return str(scope) in self.scopes
