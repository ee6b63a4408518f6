from django.db import models
from django.utils.translation import gettext_lazy as _

from xinyong.accounts.access import Scope, scoped_manager
from xinyong.ingest.choices import BatchStatus, RowOutcome
from xinyong.records.choices import Channel

# A batch's rows accepted: every outcome but rejected (``Batch.accepted`` row by row; the
# effectiveness scorecards sum them set-based).
ACCEPTED_FIELDS = ("created", "updated", "unchanged", "withdrawn")


class Batch(models.Model):
    """One submission of records of one catalog item by one department (批次), whatever the
    channel. The payload is kept as received (file under ``var/batches``) so a batch can be
    processed again after a failure and its report always matches what was sent."""

    provider = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提供部门"),
    )
    item_code = models.CharField(_("目录项"), max_length=64)
    item_version = models.ForeignKey(
        "catalog.CatalogItemVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("目录项版本"),
    )
    channel = models.CharField(_("报送渠道"), max_length=8, choices=Channel)
    status = models.CharField(
        _("状态"), max_length=16, choices=BatchStatus, default=BatchStatus.RECEIVED
    )
    submitted_by = models.CharField(_("提交人"), max_length=150)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    file_format = models.CharField(_("文件格式"), max_length=8)  # json, csv, xlsx
    file_size = models.BigIntegerField(_("文件大小"))
    file_digest = models.CharField(_("文件摘要"), max_length=64)
    payload_path = models.CharField(_("存储路径"), max_length=255)
    received_at = models.DateTimeField(_("接收时间"))
    started_at = models.DateTimeField(_("开始处理"), null=True, blank=True)
    finished_at = models.DateTimeField(_("处理完成"), null=True, blank=True)
    total = models.PositiveIntegerField(_("总行数"), default=0)
    processed = models.PositiveIntegerField(_("已处理行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("重复未变化"), default=0)
    withdrawn = models.PositiveIntegerField(_("撤销"), default=0)
    rejected = models.PositiveIntegerField(_("拒收"), default=0)
    subjects_created = models.PositiveIntegerField(_("新建主体"), default=0)
    errors = models.JSONField(_("批次错误"), default=list, blank=True)
    stats = models.JSONField(_("质量统计"), default=dict, blank=True)
    # The lease of the worker processing the batch (xinyong/ingest/lease.py): who holds it
    # ("host:pid:task") and until when; a lease that ran out means the worker died.
    lease_owner = models.CharField(_("处理进程"), max_length=128, blank=True)
    lease_expires = models.DateTimeField(_("租约到期"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("处理次数"), default=0)
    payload_purged_at = models.DateTimeField(_("原始文件删除时间"), null=True, blank=True)

    objects = scoped_manager(Scope(department="provider_id", association="provider_id"))

    class Meta:
        verbose_name = _("报送批次")
        verbose_name_plural = _("报送批次")
        indexes = [
            models.Index(fields=["provider", "-received_at"], name="batch_provider_idx"),
            models.Index(fields=["status", "lease_expires"], name="batch_status_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.item_code}"

    @property
    def accepted(self) -> int:
        return sum(getattr(self, f) for f in ACCEPTED_FIELDS)


class BatchRow(models.Model):
    """The outcome of one row of a batch: what happened and, if rejected, which fields broke
    which rules. Written once, when the batch is applied. Keyed by (batch, row): a million
    rows a batch make a surrogate key and its index a cost with no use."""

    pk = models.CompositePrimaryKey("batch_id", "row_no")
    batch = models.ForeignKey(
        Batch,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("批次"),
        db_index=False,  # the primary key (batch, row_no) serves lookups
        db_constraint=False,  # rows arrive by COPY in the batch's own transaction
    )
    row_no = models.PositiveIntegerField(_("行号"))
    source_id = models.CharField(_("来源记录编号"), max_length=128, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=RowOutcome)
    record_id = models.BigIntegerField(_("信用记录"), null=True, blank=True)
    errors = models.JSONField(_("错误"), null=True, blank=True)

    objects = scoped_manager(
        Scope(department="batch__provider_id", association="batch__provider_id")
    )

    class Meta:
        verbose_name = _("批次行结果")
        verbose_name_plural = _("批次行结果")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.row_no} {self.outcome}"


class BatchChunk(models.Model):
    """Staging of one large batch prepared in parallel chunks (:mod:`xinyong.ingest.chunks`):
    a chunk's prepared rows, committed when the chunk is done, read only by the batch's
    final step, which applies them all in one transaction and removes them. Nothing here is
    part of a credit file: the rows are compressed JSON, no reader of records sees them."""

    pk = models.CompositePrimaryKey("batch_id", "chunk_no")
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("批次"),
        db_index=False,  # the primary key (batch, chunk_no) serves lookups
    )  # fmt: skip
    chunk_no = models.PositiveIntegerField(_("分块序号"))
    rows = models.PositiveIntegerField(_("行数"))
    prepared = models.BinaryField(_("已校验数据"))

    class Meta:
        verbose_name = _("批次分块")
        verbose_name_plural = _("批次分块")

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.chunk_no}"
