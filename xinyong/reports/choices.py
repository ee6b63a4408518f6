from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """The reports the platform issues, after the national report standard (公共信用信息报告
    标准, 2022) and 发改财金〔2025〕565号."""

    # 公共信用信息报告（公开版）: what the rules publish about an organisation or individual
    # business; anyone may obtain it, free, without logging in.
    PUBLIC = "public", _("公共信用信息报告")
    # 公共信用信息报告（自查版）: the subject's own full file (public and shared information,
    # records whose publicity ended, repaired ones marked) — only for the subject itself.
    OWN = "own", _("公共信用信息报告（自查版）")
    # 专项信用报告: per chosen domain, the records found in a period or the statement that
    # none was found — in place of certificates of no illegal or irregular record.
    SPECIAL = "special", _("专项信用报告")
    # 信用审查报告: for a department's stated purpose (procurement, funds, honours…), with the
    # shared information that department may see; access-controlled and audited.
    REVIEW = "review", _("信用审查报告")


class VerifyChannel(models.TextChoices):
    # 核验页面: someone used /verify/ (typed the number or scanned the QR code).
    PAGE = "page", _("核验页面")
    # 核验接口: a system called GET /api/v1/reports/{number}.
    API = "api", _("核验接口")


class VerifyOutcome(models.TextChoices):
    # 真实有效: the number, code and (when given) the file digest match; within validity.
    GENUINE = "genuine", _("真实有效")
    # 已过有效期: issued by the platform, but its validity period has ended.
    EXPIRED = "expired", _("已过有效期")
    # 文件被改动: the number and code match but the file's digest does not.
    ALTERED = "altered", _("文件与报告不符")


class BatchStatus(models.TextChoices):
    # 排队中: accepted; the worker issues the reports in the background.
    QUEUED = "queued", _("排队中")
    # 生成中: the worker is issuing the reports.
    RUNNING = "running", _("生成中")
    # 已完成: every report issued (or each failure recorded with its reason).
    DONE = "done", _("已完成")
    # 失败: the job stopped; no report of the batch was issued.
    FAILED = "failed", _("失败")


# Common purposes of a department's report (信用审查报告的用途), offered as a choice; the
# purpose printed on the report is the choice, followed by the free text when given.
PURPOSES = [
    "政府采购", "财政资金支持", "评优评先", "公共资源交易", "招标投标", "行政许可审批", "其他",
]  # fmt: skip
PURPOSE_OTHER = "其他"


# A failed batch is queued again by the watch at most this many times (an error is often
# transient); a batch whose requester was disabled is not retried.
BATCH_RETRY_MAX = 3
