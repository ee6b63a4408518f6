from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipients(models.TextChoices):
    """Which departments a rule's alerts go to (one alert per department)."""

    # 证据所属部门: the departments behind the evidence (the commitment's accepting
    # department, the penalties' deciding departments, the list's designating department).
    EVIDENCE = "evidence", _("证据所属部门")
    # 持有记录的部门: every department that holds an active record about the subject.
    HOLDERS = "holders", _("持有该主体信用记录的部门")
    # 登记部门: the department that registered the subject (it serves it).
    REGISTERING = "registering", _("主体登记部门")
    # 指定部门: the departments the rule names.
    NAMED = "named", _("指定部门")


class AlertStatus(models.TextChoices):
    # 待处理: raised (or its evidence updated) and not yet looked at.
    OPEN = "open", _("待处理")
    # 已签收: a clerk of the department took it up; still open for the de-duplication.
    ACKNOWLEDGED = "acknowledged", _("已签收")
    # 已关闭: closed with a note and an outcome; never reopened for the same evidence.
    CLOSED = "closed", _("已关闭")


# Still open: the one alert per rule, subject and department the run updates.
OPEN = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class Outcome(models.TextChoices):
    # 风险属实: the department found the risk real (counts for the rule's precision).
    CONFIRMED = "confirmed", _("风险属实")
    # 误报: nothing to it (counts against the rule's precision).
    FALSE_ALARM = "false_alarm", _("误报")


class EvidenceKind(models.TextChoices):
    # 信用记录 (a penalty…).
    RECORD = "record", _("信用记录")
    # 信用承诺.
    COMMITMENT = "commitment", _("信用承诺")
    # 名单条目.
    ENTRY = "entry", _("名单条目")
    # 评价结果.
    RESULT = "result", _("评价结果")
