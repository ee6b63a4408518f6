from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordStatus(models.TextChoices):
    # 有效: the provider stands by the record; it counts in the credit file.
    ACTIVE = "active", _("有效")
    # 已撤销: the provider withdrew it (decision revoked or sent in error); history kept.
    WITHDRAWN = "withdrawn", _("已撤销")
    # 保存期满: its retention period ended (by default 5 years after the act); out of the
    # credit file and every check, kept only as archive.
    EXPIRED = "expired", _("保存期满")


class Channel(models.TextChoices):
    # Pushed by a department's business system through POST /api/v1/records/batches.
    API = "api", _("接口报送")
    # Uploaded as a CSV or XLSX file in the back office.
    UPLOAD = "upload", _("文件上传")
    # Loaded from a bulk file with the `xinyong ingest_file` command.
    CLI = "cli", _("命令导入")
    # Entered by a department clerk on a back-office page (e.g. withdrawing one decision).
    FORM = "form", _("页面操作")
    # Withdrawn by a decision on an objection (异议成立) — no batch: the reason names the
    # objection and who decided it, the audit event the act.
    REMEDY = "remedy", _("异议处理")
    # Received from another platform's exchange node as a file package (GB/T 39443-2020's
    # file interface, `xinyong exchange_import`); the provider is the node's department.
    EXCHANGE = "exchange", _("交换导入")
