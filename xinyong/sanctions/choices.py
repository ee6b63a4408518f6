from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    # 惩戒措施: restricts a listed subject; never without a legal basis.
    SANCTION = "sanction", _("惩戒措施")
    # 激励措施: eases matters for an honor-list subject.
    INCENTIVE = "incentive", _("激励措施")


class MeasureCategory(models.TextChoices):
    # 行政性: applied by administrative departments in their own matters.
    ADMINISTRATIVE = "administrative", _("行政性")
    # 市场性: applied by market bodies (banks, insurers…) on the platform's information.
    MARKET = "market", _("市场性")
    # 行业性: applied by industry associations.
    INDUSTRY = "industry", _("行业性")
    # 社会性: public disclosure and social supervision.
    SOCIAL = "social", _("社会性")


class CheckStatus(models.TextChoices):
    # 命中: the subject has entries in force (sanctions or incentives apply).
    HIT = "hit", _("命中名单")
    # 未命中: the subject is known and on no list in force.
    CLEAR = "clear", _("未命中")
    # 无记录: the platform has no such subject (not an error).
    NO_RECORD = "no_record", _("无记录")


class TaskStatus(models.TextChoices):
    # 待实施: the implementing department has not answered yet.
    PENDING = "pending", _("待实施")
    # 已实施.
    APPLIED = "applied", _("已实施")
    # 未实施, with the reason.
    NOT_APPLIED = "not_applied", _("未实施")


class InterviewKind(models.TextChoices):
    # 提示约谈: a reminder of obligations and risks.
    REMINDER = "reminder", _("提示约谈")
    # 警示约谈: a warning after failures, with rectification demanded.
    WARNING = "warning", _("警示约谈")


class OrderStatus(models.TextChoices):
    # 整改中 (overdue once the deadline has passed: shown, not stored).
    OPEN = "open", _("整改中")
    # 已完成整改, with the department's finding.
    COMPLETED = "completed", _("已完成整改")
