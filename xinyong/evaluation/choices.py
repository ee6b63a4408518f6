from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    # 全量: every organisation and individual business is evaluated again.
    FULL = "full", _("全量评价")
    # 增量: only the subjects whose file changed since the last run, or whose records
    # crossed a recency cut-off (a penalty older than a year weighs less) since then.
    INCREMENTAL = "incremental", _("增量评价")


class RunStatus(models.TextChoices):
    # 排队中: queued for the worker.
    QUEUED = "queued", _("排队中")
    # 评价中: the worker is computing; progress counts the subjects done.
    RUNNING = "running", _("评价中")
    # 已完成: results written and the subjects' current grades switched in one transaction.
    DONE = "done", _("已完成")
    # 失败: stopped by an error; its partial results were deleted and no grade changed.
    FAILED = "failed", _("失败")
