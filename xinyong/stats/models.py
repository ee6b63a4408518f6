from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyReport(models.Model):
    """A month's effectiveness report (跟踪问效月报): every department's scorecard as it
    stood when generated, kept as JSON (figures, names and wording, so the PDF and the
    XLSX render the same whenever and by whom they are downloaded — each reader gets the
    rows it may see). Generated once per month, by the daily upkeep or the credit office;
    never edited."""

    month = models.CharField(_("月份"), max_length=7, unique=True)  # YYYY-MM
    figures = models.JSONField(_("指标数据"))
    digest = models.CharField(_("数据摘要"), max_length=64)  # SHA-256 of canonical JSON
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.CharField(_("生成人"), max_length=150)

    class Meta:
        verbose_name = _("跟踪问效月报")
        verbose_name_plural = _("跟踪问效月报")
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month
