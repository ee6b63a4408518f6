from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.catalog.choices import Category, Disclosure, Polarity
from xinyong.records.choices import Channel, RecordStatus


class _Provenance(models.Model):
    """Where a version of a record came from (可查可核可溯): the batch and its row, the
    channel, when it was received, and a keyed hash of its content. A withdrawal decided on
    an objection has no batch (channel ``remedy``; its reason names the objection)."""

    batch_id = models.BigIntegerField(_("批次"), null=True, blank=True)
    batch_row = models.PositiveIntegerField(_("批次行号"), null=True, blank=True)
    channel = models.CharField(_("报送渠道"), max_length=8, choices=Channel)
    received_at = models.DateTimeField(_("接收时间"))
    content_hash = models.CharField(_("内容摘要"), max_length=64)
    # Why the provider withdrew it (revocation notice, decision changed, sent in error); set
    # on the withdrawing version, empty otherwise.
    withdraw_reason = models.CharField(_("撤销原因"), max_length=500, blank=True, default="")

    class Meta:
        abstract = True


class Record(_Provenance):
    """One fact about a subject from one provider (信用记录), in its current version. The
    provider's own id (``source_id``) makes resubmission idempotent; a changed submission
    moves the old content to :class:`RecordVersion` before replacing it, so nothing is ever
    silently overwritten. Identifier numbers appear in ``data`` only masked; their clear
    values are in ``sealed`` (AES-GCM), for authorised and audited reads."""

    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("信用主体"),
        db_constraint=False,  # rows are matched by SQL joins; subjects are never deleted
        db_index=False,  # see the (subject, decision_date) index below
    )
    provider = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提供部门"),
        db_constraint=False,
        db_index=False,
    )
    item_code = models.CharField(_("目录项"), max_length=64)
    item_version_id = models.BigIntegerField(_("目录项版本"))
    category = models.CharField(_("目录类别"), max_length=32, choices=Category)
    polarity = models.CharField(_("信息性质"), max_length=16, choices=Polarity)
    disclosure = models.CharField(_("公开属性"), max_length=16, choices=Disclosure)
    source_id = models.CharField(_("来源记录编号"), max_length=128)
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=16, choices=RecordStatus)
    data = models.JSONField(_("内容"))
    sealed = models.TextField(_("加密字段"), null=True, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(_("首次入库时间"))
    updated_at = models.DateTimeField(_("最近变更时间"))

    objects = scoped_manager(
        Scope(
            department="provider_id",
            shared=True,
            subject="subject_id",
            auditor=False,
            everyone=lambda: models.Q(disclosure=Disclosure.PUBLIC),
            own_only=lambda: models.Q(disclosure=Disclosure.RESTRICTED),
            association="provider_id",
        )
    )

    class Meta:
        verbose_name = _("信用记录")
        verbose_name_plural = _("信用记录")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "item_code", "source_id"], name="record_source_unique"
            )
        ]
        indexes = [
            models.Index(fields=["subject", "decision_date"], name="record_subject_idx"),
            # A subject's records of one item, newest first: the subject page's licence and
            # penalty tabs, the publicity column searched by a name (the records of the
            # subjects found), a report's sections. Without it each of those read every
            # record of a busy subject to keep one item's.
            models.Index(
                fields=["subject", "item_code", "-decision_date"], name="record_subject_item_idx"
            ),
            # The few withdrawn records, whose publications must come down within 3 working
            # days: the dashboard's alarm and the withdrawals report start from them.
            models.Index(
                fields=["id"], condition=models.Q(status="withdrawn"), name="record_withdrawn_idx"
            ),
            # A subject's negative records in force, by date: the credit check's clean-record
            # incentive asks whether there is one in the last years. Only negative active
            # rows: for a clean subject the probe finds nothing without reading the table
            # (on the whole-subject index it read every recent record's row: ~1.5 ms a check).
            models.Index(
                fields=["subject", "decision_date"],
                condition=models.Q(polarity="negative", status="active"),
                name="record_negative_idx",
            ),
            # What changed since a moment, and what crossed a date since a day: the
            # incremental evaluation finds the subjects to evaluate again from these
            # (10,000 changed records among 10 million in milliseconds, not a scan).
            models.Index(fields=["updated_at"], name="record_changed_idx"),
            models.Index(
                fields=["decision_date"],
                condition=models.Q(status="active"),
                name="record_decided_idx",
            ),
            models.Index(
                fields=["valid_to"], condition=models.Q(status="active"), name="record_valid_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}:{self.source_id}"


class RecordVersion(_Provenance):
    """An earlier version of a record, as it stood before a correction or a withdrawal
    replaced it. Never edited."""

    record = models.ForeignKey(
        Record,
        on_delete=models.PROTECT,
        related_name="history",
        verbose_name=_("信用记录"),
        db_constraint=False,
        db_index=False,  # the unique (record, version) constraint serves lookups
    )
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(_("状态"), max_length=16, choices=RecordStatus)
    item_version_id = models.BigIntegerField(_("目录项版本"))
    subject_id = models.BigIntegerField(_("信用主体"))
    data = models.JSONField(_("内容"))
    sealed = models.TextField(_("加密字段"), null=True, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("被替代时间"))
    superseded_by_batch_id = models.BigIntegerField(_("替代批次"), null=True, blank=True)

    objects = scoped_manager(
        Scope(
            department="record__provider_id",
            shared=True,
            subject="record__subject_id",
            auditor=False,
            everyone=lambda: models.Q(record__disclosure=Disclosure.PUBLIC),
            own_only=lambda: models.Q(record__disclosure=Disclosure.RESTRICTED),
            association="record__provider_id",
        )
    )

    class Meta:
        verbose_name = _("信用记录历史版本")
        verbose_name_plural = _("信用记录历史版本")
        constraints = [
            models.UniqueConstraint(fields=["record", "version"], name="record_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version}"
