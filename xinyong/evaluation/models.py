from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.evaluation.choices import RunKind, RunStatus


class ModelVersion(models.Model):
    """One version of the evaluation model, exactly as its file was loaded (the text is
    kept, so that anyone can read the weights a grade came from). Never edited: a change
    is a new version, and a version that has produced results may not even be deleted —
    a grade must always be explainable by the model that made it."""

    code = models.CharField(_("模型代码"), max_length=64)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("模型名称"), max_length=200)
    source = models.TextField(_("模型文件"))
    digest = models.CharField(_("文件摘要（SHA-256）"), max_length=64)
    definition = models.JSONField(_("模型定义"))  # the parsed, validated file
    active = models.BooleanField(_("当前使用"), default=False)
    loaded_at = models.DateTimeField(_("载入时间"))
    loaded_by = models.CharField(_("载入人"), max_length=150)

    class Meta:
        verbose_name = _("评价模型版本")
        verbose_name_plural = _("评价模型版本")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="evaluation_model_once"),
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="evaluation_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class EvaluationRun(models.Model):
    """One evaluation job over all subjects or the changed ones. Its ``data_time`` is the
    moment of the data it read and ``as_of`` the day its recency cut-offs count from: the
    next incremental run takes every change after ``data_time``."""

    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("模型")
    )
    kind = models.CharField(_("类型"), max_length=16, choices=RunKind)
    status = models.CharField(_("状态"), max_length=16, choices=RunStatus)
    as_of = models.DateField(_("评价基准日"))
    data_time = models.DateTimeField(_("数据截至"), null=True, blank=True)
    requested_at = models.DateTimeField(_("发起时间"))
    requested_by = models.CharField(_("发起人"), max_length=150)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    subjects_total = models.PositiveIntegerField(_("待评价主体数"), default=0)
    subjects_done = models.PositiveIntegerField(_("已评价主体数"), default=0)
    grades_changed = models.PositiveIntegerField(_("等级变化主体数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    # Seconds per phase (finding the subjects, reading facts, scoring, writing, switching):
    # where a slow run spent its time, for the operator.
    timings = models.JSONField(_("各阶段用时（秒）"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class EvaluationResult(models.Model):
    """A subject's evaluation by one run: score, grade, and the facts it rested on (counts
    by recency with the ids of the records and entries behind them). The indicators are
    pure functions of these facts, so every reason and improvement hint is re-derived from
    them, and replaying the stored facts through the stored model version must give the
    stored points — the result proves itself. Kept as history; the subject's current grade
    is :class:`SubjectGrade`."""

    # Written a million at a time by the engine alone, which takes its ids from the rows it
    # read: no database-level foreign keys (three index probes a row, a third of a full
    # run's writing time); the engine's tests hold the references.
    run = models.ForeignKey(
        EvaluationRun, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    as_of = models.DateField(_("评价基准日"))
    score = models.PositiveIntegerField(_("得分"))
    grade = models.CharField(_("等级"), max_length=8)
    points = models.JSONField(_("各指标得分"))  # {indicator code: points}, zeros left out
    facts = models.JSONField(_("评价依据"))  # {fact: value}, empty ones left out

    class Meta:
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")
        indexes = [models.Index(fields=["subject", "-id"], name="evaluation_result_subject")]

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.grade}"


class SubjectGrade(models.Model):
    """The subject's current grade: the latest finished run's result for it. Switched for
    all the run's subjects in one transaction at the end of the run, so a reader never sees
    half a run; the credit check, the draws of inspections and the portal read it here."""

    subject = models.OneToOneField(
        "subjects.Subject", on_delete=models.CASCADE, primary_key=True, related_name="grade"
    )
    result = models.ForeignKey(  # switched a million at a time: see EvaluationResult
        EvaluationResult, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    score = models.PositiveIntegerField(_("得分"))
    grade = models.CharField(_("等级"), max_length=8)
    as_of = models.DateField(_("评价基准日"))
    evaluated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("主体当前评价等级")
        verbose_name_plural = _("主体当前评价等级")
        indexes = [models.Index(fields=["grade"], name="subject_grade_grade")]

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.grade}"


class PublicationSettings(models.Model):
    """What the credit office publishes of the evaluation (one row). By default the public
    sees nothing but grade A — named on the portal as the honour it is — and never a score
    or an indicator: a grade is a regulatory tool first, and a published low grade is a
    sanction the policy texts do not provide for."""

    public_grades = models.JSONField(_("向社会公开的等级"), default=list)
    public_score = models.BooleanField(_("公开得分"), default=False)
    checks_see_grade = models.BooleanField(_("信用核查返回等级"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)
    updated_by = models.CharField(_("更新人"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("评价结果公开设置")
        verbose_name_plural = _("评价结果公开设置")

    def __str__(self) -> str:
        return "、".join(self.public_grades) or "—"
