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
    # 已关闭: closed with a note and an outcome — by the department, or by a run of the
    # rules when the rule no longer held. Never reopened: if the rule holds again after
    # it had stopped holding, a run raises a new alert; while it keeps holding, the same
    # evidence raises nothing.
    CLOSED = "closed", _("已关闭")


# Still open: the one alert per rule, subject and department the run updates.
OPEN = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class Outcome(models.TextChoices):
    # 风险属实: the department found the risk real (counts for the rule's precision).
    CONFIRMED = "confirmed", _("风险属实")
    # 误报: nothing to it (counts against the rule's precision).
    FALSE_ALARM = "false_alarm", _("误报")
    # 规则不再成立: closed by a run of the rules, which found the rule no longer holding
    # for the subject (the commitment was checked, the penalties left the period, the
    # listing ended…), with a system note naming why. Nobody judged it: it counts neither
    # for nor against the rule's precision; never chosen by staff.
    LAPSED = "lapsed", _("规则不再成立（自动关闭）")


# The outcomes a department closes an alert with (the precision's denominator).
HANDLED = (Outcome.CONFIRMED, Outcome.FALSE_ALARM)


class EvidenceKind(models.TextChoices):
    # 信用记录 (a penalty…).
    RECORD = "record", _("信用记录")
    # 信用承诺.
    COMMITMENT = "commitment", _("信用承诺")
    # 名单条目.
    ENTRY = "entry", _("名单条目")
    # 评价结果.
    RESULT = "result", _("评价结果")
