"""Tables of the statistics app.

-- dashboards (issue #17 item 1): the rollup of records collected ---------------------------
Counting records per department, catalog item and month at ten million rows is a scan of
the whole table (seconds on two cores), so the dashboards read a rollup: records per day,
provider and item first stored, built set-based up to a watermark (``RollupMark``), with
everything stored after the watermark counted live from the records' ``updated_at`` index
(a record is stored no later than it was last changed). See ``stats/rollups.py``."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager


class RecordDaily(models.Model):
    """How many records one department supplied of one catalog item on one day (the day
    they were first stored, in the platform's time zone), before the watermark."""

    day = models.DateField(_("日期"))
    provider_id = models.BigIntegerField(_("提供部门"))
    item_code = models.CharField(_("目录项"), max_length=64)
    n = models.BigIntegerField(_("记录数"))

    # A department's counts are its own data (the dashboards filter by
    # ``access.stats_department``; this keeps the one rule for any other reader).
    objects = scoped_manager(Scope(department="provider_id"))

    class Meta:
        verbose_name = _("信用记录日汇总")
        verbose_name_plural = _("信用记录日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider_id", "item_code"], name="record_daily_once"
            )
        ]
        indexes = [models.Index(fields=["provider_id", "day"], name="record_daily_provider")]

    def __str__(self) -> str:
        return f"{self.day} {self.provider_id} {self.item_code}: {self.n}"


class RollupMark(models.Model):
    """Up to when a rollup counts (one row per rollup): rows stored before ``until`` are in
    it, later ones are counted live."""

    name = models.CharField(_("汇总"), max_length=32, primary_key=True)
    until = models.DateTimeField(_("汇总截至"))
    built_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("汇总进度")
        verbose_name_plural = _("汇总进度")

    def __str__(self) -> str:
        return f"{self.name} → {self.until:%Y-%m-%d %H:%M}"


class PublicationDaily(models.Model):
    """Dual-publicity decisions of one day (decision date), department and item as the last
    rebuild found them: how many, published on time, late, still pending. Publications
    change state after they are stored (the sweep publishes, ends, withdraws), so this
    rollup is rebuilt whole (one GROUP BY) by the daily upkeep after its sweep and by
    ``stats_rollup``; the chart says up to when it counts (``RollupMark``)."""

    day = models.DateField(_("决定日期"))
    provider_id = models.BigIntegerField(_("提供部门"))
    item_code = models.CharField(_("目录项"), max_length=64)
    total = models.BigIntegerField(_("决定数"))
    on_time = models.BigIntegerField(_("按时公示"))
    late = models.BigIntegerField(_("逾期公示"))
    pending = models.BigIntegerField(_("待公示"))

    objects = scoped_manager(Scope(department="provider_id"))

    class Meta:
        verbose_name = _("双公示日汇总")
        verbose_name_plural = _("双公示日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "provider_id", "item_code"], name="publication_daily_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.provider_id} {self.item_code}: {self.total}"


class PublishedDaily(models.Model):
    """Dual-publicity decisions that went public on one day (the platform's time zone), per
    department, with how many of them on time (the sweep's ``on_time``, set once when it
    publishes), as the last rebuild found them. The scorecards count a department's
    publications by the month they went public: a trend of thirteen months is a million
    publications of a large department, so they read this and count live only what was
    published after the rebuild (on the publications' ``(provider_id, published_at)``
    index). Rebuilt whole with ``PublicationDaily``, same mark."""

    day = models.DateField(_("公示日期"))
    provider_id = models.BigIntegerField(_("提供部门"))
    published = models.BigIntegerField(_("公示数"))
    on_time = models.BigIntegerField(_("按时公示"))

    objects = scoped_manager(Scope(department="provider_id"))

    class Meta:
        verbose_name = _("上网公示日汇总")
        verbose_name_plural = _("上网公示日汇总")
        constraints = [
            models.UniqueConstraint(fields=["day", "provider_id"], name="published_daily_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.provider_id}: {self.published}"


class CheckDaily(models.Model):
    """Credit checks of one day (the platform's time zone) and checking department, before
    the rollup's watermark: how many, how many hit a list, and how many of those hits the
    department answered with feedback. A city makes millions of checks a year, and the
    chart's count with its feedback test is a scan of all of them, so the chart reads this
    and counts live only the checks made after the watermark (on the check log's ``at``
    index). Feedback comes after the check: each refresh counts again every day that has
    new checks or new feedback (``stats/rollups.py``), so an answer given to an old check
    shows from the next refresh on (daily)."""

    day = models.DateField(_("核查日期"))
    department_id = models.BigIntegerField(_("核查部门"))
    total = models.BigIntegerField(_("核查次数"))
    hits = models.BigIntegerField(_("命中名单"))
    answered = models.BigIntegerField(_("已反馈"))

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("信用核查日汇总")
        verbose_name_plural = _("信用核查日汇总")
        constraints = [
            models.UniqueConstraint(fields=["day", "department_id"], name="check_daily_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id}: {self.total}"


class CheckMeasureDaily(models.Model):
    """The measures the credit checks of one day and checking department returned, per
    measure, before the checks' watermark (refreshed with ``CheckDaily``, the same days):
    how often returned and not suspended, how often of those the department answered, and
    its answers, applied or not. Read from the check log's JSON per check, this is what the
    measures chart and the scorecards' feedback figure would otherwise expand from millions
    of checks on every page view."""

    day = models.DateField(_("核查日期"))
    department_id = models.BigIntegerField(_("核查部门"))
    measure_code = models.CharField(_("措施"), max_length=64)
    returned = models.BigIntegerField(_("返回次数"))  # not suspended
    answered = models.BigIntegerField(_("已反馈"))  # of those returned
    applied = models.BigIntegerField(_("已实施"))  # every answer, suspended or not
    not_applied = models.BigIntegerField(_("未实施"))

    objects = scoped_manager(Scope(department="department_id"))

    class Meta:
        verbose_name = _("核查措施日汇总")
        verbose_name_plural = _("核查措施日汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "department_id", "measure_code"], name="check_measure_daily_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.measure_code}: {self.returned}"


# -- effectiveness tracking (issue #17 item 2) ------------------------------------------


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
