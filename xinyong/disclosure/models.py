from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.disclosure.choices import PenaltyClass


class PublicityRule(models.Model):
    """Whether and how long a class of penalty decisions is shown to the public, with the
    legal basis the credit office relies on. Data, not code: the office edits it when the
    rules change, and every change is audited. ``kinds`` are penalty kinds (处罚类别) that
    put a decision into this class by themselves (e.g. 吊销许可证件 → serious); a decision
    with several kinds takes the longest period among them."""

    penalty_class = models.CharField(
        _("处罚类型"), max_length=16, choices=PenaltyClass, unique=True
    )
    publish = models.BooleanField(_("是否公示"))
    min_months = models.PositiveSmallIntegerField(_("最短公示期（月）"), null=True, blank=True)
    max_months = models.PositiveSmallIntegerField(_("最长公示期（月）"), null=True, blank=True)
    kinds = models.JSONField(_("归入本类的处罚类别"), default=list, blank=True)
    basis = models.TextField(_("依据"))
    updated_by = models.CharField(_("修改人"), max_length=150)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("公示期限规则")
        verbose_name_plural = _("公示期限规则")

    def __str__(self) -> str:
        return str(PenaltyClass(self.penalty_class).label)
