from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    # 已接收: stored and waiting for the worker.
    RECEIVED = "received", _("已接收")
    # 处理中: rows being validated and matched; progress shows how far.
    PROCESSING = "processing", _("处理中")
    # 已完成: accepted rows applied to credit files in one transaction; rejects reported.
    DONE = "done", _("已完成")
    # 已拒收: the batch as a whole could not be read (encoding, columns); nothing applied.
    REJECTED = "rejected", _("已拒收")
    # 处理失败: an unexpected error; nothing applied; it can be processed again.
    FAILED = "failed", _("处理失败")


class RowOutcome(models.TextChoices):
    # 新增: a new record was created.
    CREATED = "created", _("新增")
    # 更新: the record changed; its previous version is kept in the history.
    UPDATED = "updated", _("更新")
    # 未变化: the same content was already on file (an idempotent resubmission).
    UNCHANGED = "unchanged", _("重复未变化")
    # 撤销: the provider withdrew the record.
    WITHDRAWN = "withdrawn", _("撤销")
    # 拒收: the row broke a rule; its errors say which field and rule.
    REJECTED = "rejected", _("拒收")
