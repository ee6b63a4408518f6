from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.disclosure.choices import PenaltyClass, PublicationStatus


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


class Publication(models.Model):
    """The publication of one licence or penalty record: its deadline (7 working days from
    the decision), when it went public and whether that was on time, until when it stays
    public, and why it ended. Maintained by the idempotent sweep (services), never by hand."""

    record = models.OneToOneField(
        "records.Record",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="publication",
        verbose_name=_("信用记录"),
        db_constraint=False,
    )
    record_version = models.PositiveIntegerField(_("记录版本"))
    item_code = models.CharField(_("目录项"), max_length=64)
    provider_id = models.BigIntegerField(_("提供部门"))
    decision_date = models.DateField(_("决定日期"), null=True)
    received_at = models.DateTimeField(_("接收时间"))
    deadline = models.DateField(_("公示期限"), null=True)  # None: calendar not covered
    published_at = models.DateTimeField(_("公示时间"), null=True)
    on_time = models.BooleanField(_("按时公示"), null=True)
    penalty_class = models.CharField(_("处罚类型"), max_length=16, choices=PenaltyClass,
                                     blank=True)  # fmt: skip
    public_until = models.DateField(_("公示截止"), null=True)  # None: while valid/withdrawn
    min_until = models.DateField(_("最短公示期至"), null=True)
    status = models.CharField(_("公示状态"), max_length=16, choices=PublicationStatus)
    ended_at = models.DateTimeField(_("撤下时间"), null=True)
    # A withdrawn decision: when the department's notice reached the platform, and the
    # last day it may stay public (3 working days after the notice).
    withdrawn_at = models.DateTimeField(_("撤销通知时间"), null=True)
    withdraw_deadline = models.DateField(_("撤下期限"), null=True)

    objects = scoped_manager(Scope(department="provider_id"))

    class Meta:
        verbose_name = _("公示情况")
        verbose_name_plural = _("公示情况")
        indexes = [
            models.Index(fields=["status", "public_until"], name="publication_due_idx"),
            # The portal column lists an item's public decisions, newest first.
            models.Index(
                fields=["item_code", "status", "-decision_date", "-record"],
                name="publication_column_idx",
            ),
            # A department's publications (its timeliness, its column page), newest first.
            models.Index(
                fields=["provider_id", "item_code", "status", "-decision_date", "-record"],
                name="publication_provider_idx",
            ),
            # A department's publications of a month as they went public (the scorecards).
            models.Index(fields=["provider_id", "published_at"], name="publication_published_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.status}"
