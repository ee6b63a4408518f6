from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceiptSource(models.TextChoices):
    """What was notified: a list decision about the body, or a staff member's misconduct."""

    # 列入名单的认定决定：致上级主管单位和审计部门的通报（lists.NoticeKind.SUPERIOR）.
    LIST_NOTICE = "list_notice", _("名单认定通报")
    # 工作人员违规失信行为通报：致所在单位和纪检监察机关.
    MISCONDUCT = "misconduct", _("工作人员违规失信行为通报")


class AddresseeRole(models.TextChoices):
    """Who a notice is addressed to, in its relation to the public body."""

    # 上级主管单位: the body's superior (its competent authority, the SOE's owner).
    SUPERIOR = "superior", _("上级主管单位")
    # 审计部门: the audit department (审计机关).
    AUDIT = "audit", _("审计部门")
    # 所在单位: the unit the staff member works for (the public body itself).
    UNIT = "unit", _("所在单位")
    # 纪检监察机关: the discipline inspection and supervision body.
    DISCIPLINE = "discipline", _("纪检监察机关")


class AckMethod(models.TextChoices):
    """How the addressee acknowledged the notice."""

    # 线上签收: the addressee department's staff acknowledged on the platform.
    ONLINE = "online", _("线上签收")
    # 纸质签收: a paper receipt (送达回证) the issuing department or credit office recorded.
    PAPER = "paper", _("纸质签收")


class NoticeState(models.TextChoices):
    """Which notices a list asks for (the API's filter; not stored)."""

    # 待签收: not acknowledged yet (overdue ones included).
    OUTSTANDING = "outstanding", _("待签收")
    # 已签收: acknowledged, online or on paper.
    ACKNOWLEDGED = "acknowledged", _("已签收")
