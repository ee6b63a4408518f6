from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.supervision.choices import (
    ExclusionReason,
    InspectionMethod,
    Outcome,
    PlanStatus,
    SupervisionClass,
    TaskStatus,
)


class InspectionItem(models.Model):
    """抽查事项: what a department may inspect, on what legal basis, whom and how, and how
    hard per supervision class (``tiers``: per class the ratio range in whole percent and
    the frequency). The list is public; a plan picks its ratios within every item's range."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("实施部门"),
    )
    name = models.CharField(_("抽查事项"), max_length=200)
    legal_basis = models.TextField(_("法律依据"))
    # Subject kinds targeted (organization, individual_business): persons are never drawn.
    target_kinds = models.JSONField(_("抽查对象类型"))
    target_note = models.CharField(_("抽查对象说明"), max_length=200, blank=True)
    method = models.CharField(_("检查方式"), max_length=16, choices=InspectionMethod)
    # {"A": {"min": 0, "max": 5, "frequency": "at_most_yearly"}, "B": …, "C": …, "D": …}
    tiers = models.JSONField(_("分级抽查比例和频次"))
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["department_id", "pk"]

    def __str__(self) -> str:
        return self.name


class SectorGradeMap(models.Model):
    """How a department reads its own sector evaluation (a ``credit_evaluation_result``
    record it provided: 评价领域 ``domain``, 评价等级 ``grade``) as a supervision class,
    e.g. 纳税信用 A/B/M/C/D → A/B/B/C/D. A grade without a row is not used."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("部门"),
    )
    domain = models.CharField(_("评价领域"), max_length=100)
    grade = models.CharField(_("行业评价等级"), max_length=20)
    klass = models.CharField(_("监管类别"), max_length=1, choices=SupervisionClass)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("行业信用等级对照")
        verbose_name_plural = _("行业信用等级对照")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "domain", "grade"], name="sector_grade_map_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain} {self.grade} → {self.klass}"


class Inspector(models.Model):
    """执法检查人员: one member of a department's pool (执法人员名录), with the number of
    the law-enforcement certificate shown to the inspected subject."""

    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属部门"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    badge = models.CharField(_("执法证号"), max_length=32)
    is_active = models.BooleanField(_("在册"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员名录")
        ordering = ["department_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["department", "badge"], name="inspector_badge_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.badge}）"


class InspectorConflict(models.Model):
    """A declared conflict of interest (利害关系): the inspector is never drawn for the
    subject while it is in force."""

    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="conflicts", verbose_name=_("检查人员")
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("信用主体"),
    )
    reason = models.CharField(_("回避事由"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"))
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="inspector__department_id"))

    class Meta:
        verbose_name = _("利害关系回避")
        verbose_name_plural = _("利害关系回避")
        indexes = [models.Index(fields=["subject", "inspector"], name="conflict_subject_idx")]

    def __str__(self) -> str:
        return f"{self.inspector_id}×{self.subject_id}"


class InspectionPlan(models.Model):
    """检查计划: one draw of subjects and inspectors for one or several departments' items
    (several: a joint inspection, 部门联合抽查 — one draw, each task inspected by each
    department). Verifiable: frozen candidates and pools with their digests and the seed's
    hash are stored before the draw, the seed after (see :mod:`.draw`)."""

    number = models.CharField(_("计划编号"), max_length=32, unique=True)
    name = models.CharField(_("计划名称"), max_length=200)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头部门"),
    )
    # Every department of the plan's items, the lead included: whose staff see it.
    departments = models.ManyToManyField(
        "accounts.Department", related_name="+", verbose_name=_("参与部门")
    )
    items = models.ManyToManyField(InspectionItem, related_name="plans", verbose_name=_("抽查事项"))
    ratios = models.JSONField(_("各类抽查比例（%）"))  # {"A": 3, "B": 10, "C": 30, "D": 80}
    inspectors_per_department = models.PositiveSmallIntegerField(_("每项任务每部门检查人员数"))
    period_start = models.DateField(_("检查开始日期"))
    period_end = models.DateField(_("检查结束日期"))
    status = models.CharField(_("状态"), max_length=12, choices=PlanStatus)
    created_by = models.CharField(_("创建人"), max_length=150)
    created_at = models.DateTimeField(_("创建时间"))
    seed_hash = models.CharField(_("随机种子摘要（SHA-256）"), max_length=64, blank=True)
    seed_sealed = models.TextField(_("随机种子（加密）"), blank=True)  # until published
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)  # hex, once published
    candidates_digest = models.CharField(_("候选名单摘要（SHA-256）"), max_length=64, blank=True)
    pool_digest = models.CharField(_("检查人员名录摘要（SHA-256）"), max_length=64, blank=True)
    candidate_count = models.PositiveIntegerField(_("候选主体数"), default=0)
    class_counts = models.JSONField(_("各类候选主体数"), default=dict)
    task_count = models.PositiveIntegerField(_("抽取任务数"), default=0)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    seed_published_at = models.DateTimeField(_("种子公布时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="departments__id"))

    class Meta:
        verbose_name = _("检查计划")
        verbose_name_plural = _("检查计划")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class PlanCandidate(models.Model):
    """One line of a plan's frozen candidate list: the subject and its supervision class as
    they stood when the plan was frozen. Never changed afterwards."""

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,  # a million rows a freeze: no per-row deferred check
    )
    subject_id = models.BigIntegerField(_("信用主体"))
    klass = models.CharField(_("监管类别"), max_length=1, choices=SupervisionClass)
    # 0-based place among the plan's candidates of the class by increasing subject id: the
    # draw reads only the rows it picked, by this number.
    position = models.PositiveIntegerField(_("类内序号"))

    class Meta:
        verbose_name = _("冻结候选主体")
        verbose_name_plural = _("冻结候选主体")
        constraints = [
            models.UniqueConstraint(fields=["plan", "subject_id"], name="plan_candidate_unique"),
            models.UniqueConstraint(
                fields=["plan", "klass", "position"], name="plan_candidate_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.subject_id} {self.klass}"


class PlanInspector(models.Model):
    """A plan's frozen inspector pool: who could be drawn, per department."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="pool")
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager(Scope(department="plan__departments__id"))

    class Meta:
        verbose_name = _("冻结检查人员")
        verbose_name_plural = _("冻结检查人员")
        constraints = [
            models.UniqueConstraint(fields=["plan", "inspector"], name="plan_inspector_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.inspector_id}"


class PlanExclusion(models.Model):
    """A plan's frozen exclusion: this inspector may not inspect this subject (a declared
    conflict, or the last inspection of the subject was theirs)."""

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    subject_id = models.BigIntegerField(_("信用主体"))
    inspector_id = models.BigIntegerField(_("检查人员"))
    reason = models.CharField(_("回避原因"), max_length=16, choices=ExclusionReason)

    class Meta:
        verbose_name = _("回避")
        verbose_name_plural = _("回避")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "subject_id", "inspector_id", "reason"],
                name="plan_exclusion_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.subject_id}×{self.inspector_id}"


class InspectionTask(models.Model):
    """检查任务: one drawn subject of a plan, its inspectors, and its result. A result is
    published on the portal within 20 working days of the inspection; a negative one also
    becomes an ``administrative_inspection`` record in the credit file."""

    # Written by the draw with COPY, ten thousand at a time: no per-row deferred checks.
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="tasks", db_constraint=False
    )
    number = models.CharField(_("检查编号"), max_length=40, unique=True)
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        verbose_name=_("检查对象"),
    )
    klass = models.CharField(_("监管类别"), max_length=1, choices=SupervisionClass)
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus)
    outcome = models.CharField(_("检查结果"), max_length=16, choices=Outcome, blank=True)
    findings = models.TextField(_("检查情况"), blank=True)
    inspected_on = models.DateField(_("检查完成日期"), null=True, blank=True)
    publish_due = models.DateField(_("公示期限"), null=True, blank=True)
    recorded_by = models.CharField(_("录入人"), max_length=150, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("信用记录"),
    )

    objects = scoped_manager(Scope(department="plan__departments__id"))

    class Meta:
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")
        ordering = ["plan_id", "pk"]
        indexes = [
            models.Index(fields=["subject", "-id"], name="task_subject_idx"),
            # Results waiting for publication: the to-do list, late first.
            models.Index(
                fields=["publish_due"], condition=Q(status="completed"), name="task_unpublished_idx"
            ),
            # The portal's results column, newest first.
            models.Index(
                fields=["-published_at"],
                condition=Q(status="published"),
                name="task_published_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def late(self) -> bool:
        from django.utils import timezone

        if self.publish_due is None:
            return False
        if self.status == TaskStatus.PUBLISHED:
            return timezone.localdate(self.published_at) > self.publish_due
        return self.status == TaskStatus.COMPLETED and timezone.localdate() > self.publish_due


class TaskInspector(models.Model):
    """An inspector drawn for a task (at least two per task; in a joint inspection the
    plan's number from each department)."""

    # Written by the draw with COPY (two or more a task): no per-row deferred checks.
    task = models.ForeignKey(
        InspectionTask, on_delete=models.CASCADE, related_name="inspectors", db_constraint=False
    )
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    objects = scoped_manager(Scope(department="task__plan__departments__id"))

    class Meta:
        verbose_name = _("任务检查人员")
        verbose_name_plural = _("任务检查人员")
        ordering = ["task_id", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id}:{self.inspector_id}"
