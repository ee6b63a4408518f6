from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """A day the State Council's holiday notice makes a holiday or a make-up working day
    (调休上班), entered by the platform operator where the shipped calendar is missing or
    wrong. It wins over the shipped calendar, so a deadline never rests on a guess."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("名称"), max_length=64)  # e.g. 春节, 国庆节调休上班
    basis = models.CharField(_("依据"), max_length=200)  # the notice it comes from
    created_by = models.CharField(_("录入人"), max_length=150)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'} {self.name}"


class CalendarYear(models.Model):
    """A year the operator declares complete in the override table (every holiday and
    make-up day of that year's notice entered): deadlines may then be computed in a year the
    shipped calendar does not know, weekdays counting as working days unless overridden."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    basis = models.CharField(_("依据"), max_length=200)
    created_by = models.CharField(_("录入人"), max_length=150)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已确认日历年度")
        verbose_name_plural = _("已确认日历年度")

    def __str__(self) -> str:
        return str(self.year)
