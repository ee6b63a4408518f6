from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.sanctions.choices import (
    CheckStatus,
    InterviewKind,
    MeasureCategory,
    MeasureKind,
    OrderStatus,
    TaskStatus,
)


class Matter(models.Model):
    """A matter a business system handles (办理事项) — government procurement, public
    resource trading, fiscal funds… — named in a credit check; measures apply per matter."""

    code = models.CharField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理事项")
        verbose_name_plural = _("办理事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Memorandum(models.Model):
    """合作备忘录: the agreement among departments that defines joint measures."""

    code = models.CharField(_("编码"), max_length=48, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    document_no = models.CharField(_("文号"), max_length=100)
    issued_by = models.CharField(_("发文单位"), max_length=300)
    issued_on = models.DateField(_("发文日期"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("合作备忘录")
        verbose_name_plural = _("合作备忘录")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One joint incentive or sanction measure: which lists (or grades) trigger it, in
    which matters, by which departments, on what legal basis. A sanction without a legal
    basis cannot be saved (service check and database constraint) and so never applies."""

    memorandum = models.ForeignKey(
        Memorandum, on_delete=models.PROTECT, related_name="measures", verbose_name=_("备忘录")
    )
    code = models.CharField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=MeasureKind)
    category = models.CharField(_("类别"), max_length=16, choices=MeasureCategory)
    legal_basis = models.TextField(_("法律依据"), blank=True)
    departments = models.JSONField(_("实施部门"), default=list)  # department codes, or ["*"]
    list_types = models.ManyToManyField(
        "lists.ListType", related_name="measures", blank=True, verbose_name=_("适用名单")
    )
    grades = models.JSONField(_("适用信用等级"), default=list, blank=True)
    # An incentive also granted to a subject with no negative record for this many years
    # (国发〔2016〕33号: 连续三年以上无不良信用记录的, 绿色通道、容缺受理…); None: lists only.
    clean_years = models.PositiveSmallIntegerField(
        _("连续无不良信用记录年限"), null=True, blank=True
    )
    matters = models.ManyToManyField(
        Matter, related_name="measures", blank=True, verbose_name=_("适用事项")
    )  # none: every matter
    term = models.CharField(_("实施期限"), max_length=200, default="名单有效期内")
    active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("奖惩措施")
        verbose_name_plural = _("奖惩措施")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=MeasureKind.INCENTIVE) | ~Q(legal_basis=""),
                name="measure_sanction_has_basis",
                violation_error_message=_(
                    "惩戒措施必须写明法律依据：没有依据的惩戒措施不得保存或实施"
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def implemented_by(self, department_code: str) -> bool:
        return "*" in self.departments or department_code in self.departments


class CreditCheck(models.Model):
    """One credit check a business system made while handling a matter (逢办必查), logged
    with what it was told: the hits and measures as returned, so feedback and statistics
    refer to what the counter actually saw."""

    at = models.DateTimeField(_("核查时间"))
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, db_constraint=False,
        verbose_name=_("核查部门"),
    )  # fmt: skip
    client_id = models.BigIntegerField(_("接口客户端"), null=True, blank=True)
    actor = models.CharField(_("操作人"), max_length=150)
    matter = models.CharField(_("办理事项"), max_length=48)
    query = models.CharField(_("查询对象"), max_length=64)  # USCC, or a masked person ID
    subject_id = models.BigIntegerField(_("信用主体"), null=True, blank=True)
    status = models.CharField(_("结果"), max_length=16, choices=CheckStatus)
    hits = models.PositiveSmallIntegerField(_("命中条目数"), default=0)
    result = models.JSONField(_("返回内容"), default=dict)  # entry ids and measure codes

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("信用核查记录")
        verbose_name_plural = _("信用核查记录")
        indexes = [
            models.Index(fields=["department", "-at"], name="check_department_idx"),
            models.Index(fields=["subject_id", "-at"], name="check_subject_idx"),
            # the statistics: the checks of a period or after a rollup's watermark, every
            # department's (the log only grows, in time order: cheap to keep)
            models.Index(fields=["at"], name="check_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.query} {self.status}"


class CheckFeedback(models.Model):
    """What the checking department did with one measure of a check: applied, or not and
    why (反馈). The basis of the effectiveness figures (跟踪问效)."""

    credit_check = models.ForeignKey(
        CreditCheck, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("核查"),
        db_constraint=False,  # the check log is partitioned by month: its key is (id, at)
    )  # fmt: skip
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, verbose_name=_("措施"))
    applied = models.BooleanField(_("已实施"))
    reason = models.TextField(_("未实施原因"), blank=True)
    by = models.CharField(_("反馈人"), max_length=150)
    at = models.DateTimeField(_("反馈时间"))

    objects = scoped_manager(Scope(department="credit_check__department_id"))

    class Meta:
        verbose_name = _("措施实施反馈")
        verbose_name_plural = _("措施实施反馈")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_check", "measure"], name="feedback_once_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.credit_check_id} {self.measure_id} {self.applied}"


class JointAction(models.Model):
    """发起: the designating department asks the implementing departments to apply the
    measures a published entry triggers; each department's part is an :class:`ActionTask`
    in its queue (响应), answered applied or not with the reason (反馈)."""

    entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, related_name="joint_actions",
        verbose_name=_("名单条目"),
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("发起部门"),
    )  # fmt: skip
    initiated_by = models.CharField(_("发起人"), max_length=150)
    initiated_at = models.DateTimeField(_("发起时间"))
    note = models.TextField(_("说明"), blank=True)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("联合奖惩发起")
        verbose_name_plural = _("联合奖惩发起")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.initiated_at:%Y-%m-%d}"


class ActionTask(models.Model):
    """One implementing department's part of a joint action: one measure to apply."""

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="tasks")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, verbose_name=_("措施"))
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("实施部门"),
    )  # fmt: skip
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus,
                              default=TaskStatus.PENDING)  # fmt: skip
    reason = models.TextField(_("未实施原因"), blank=True)
    responded_by = models.CharField(_("反馈人"), max_length=150, blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="department_id", also=("action__department_id",)))

    class Meta:
        verbose_name = _("联合奖惩任务")
        verbose_name_plural = _("联合奖惩任务")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "measure", "department"], name="task_once_per_department"
            )
        ]
        indexes = [models.Index(fields=["department", "status"], name="task_queue_idx")]

    def __str__(self) -> str:
        return f"{self.action_id} {self.measure_id} {self.department_id} {self.status}"


class RectificationOrder(models.Model):
    """限期整改: what a listed subject must correct, by when (working days), and the
    department's finding once done. Part of the subject's credit file."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="rectification_orders",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, related_name="rectification_orders",
        verbose_name=_("名单条目"),
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("责令部门"),
    )  # fmt: skip
    content = models.TextField(_("整改要求"))
    legal_basis = models.TextField(_("依据"))
    issued_by = models.CharField(_("经办人"), max_length=150)
    issued_at = models.DateTimeField(_("责令时间"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=OrderStatus,
                              default=OrderStatus.OPEN)  # fmt: skip
    result = models.TextField(_("整改结果"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="department_id", everyone=Q))

    class Meta:
        verbose_name = _("限期整改")
        verbose_name_plural = _("限期整改")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.deadline} {self.status}"


class Interview(models.Model):
    """提示约谈 / 警示约谈 of a listed subject, by the department that designated it (谁认定、
    谁约谈). Part of the subject's credit file."""

    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="interviews",
        verbose_name=_("信用主体"),
    )  # fmt: skip
    entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, related_name="interviews",
        verbose_name=_("名单条目"),
    )  # fmt: skip
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("约谈部门"),
    )  # fmt: skip
    kind = models.CharField(_("约谈类型"), max_length=16, choices=InterviewKind)
    scheduled_at = models.DateTimeField(_("约谈时间"))
    participants = models.CharField(_("约谈对象"), max_length=300)
    held_at = models.DateTimeField(_("实际约谈时间"), null=True, blank=True)
    minutes = models.TextField(_("约谈记录"), blank=True)
    created_by = models.CharField(_("经办人"), max_length=150)
    created_at = models.DateTimeField(_("安排时间"))

    objects = scoped_manager(Scope(department="department_id", everyone=Q))

    class Meta:
        verbose_name = _("信用约谈")
        verbose_name_plural = _("信用约谈")
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.kind} {self.scheduled_at:%Y-%m-%d}"
