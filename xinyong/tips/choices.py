from django.db import models
from django.utils.translation import gettext_lazy as _


class TipStatus(models.TextChoices):
    """Where a rewarded tip (失信行为有奖举报) stands, from filing to the decision."""

    # 待分派: the tipster named no domain the routing table knows; the credit office
    # routes it to the competent department (within the acknowledgement period).
    ROUTING = "routing", _("待分派")
    # 待受理: routed to the competent department, which accepts or declines it within
    # TipPolicy.ack_workdays working days.
    SUBMITTED = "submitted", _("待受理")
    # 已受理: accepted; the handling officer investigates and decides within
    # TipPolicy.decide_workdays working days of the acceptance.
    ACCEPTED = "accepted", _("已受理")
    # 不予受理: declined with reasons (not within the department's remit, no facts…); closed.
    REJECTED = "rejected", _("不予受理")
    # 查证属实: the act was found true; it enters the subject's credit file and a reward
    # is decided under the department's rule.
    SUBSTANTIATED = "substantiated", _("查证属实")
    # 查无实据: investigated, not found true, with reasons; closed, nothing recorded.
    UNSUBSTANTIATED = "unsubstantiated", _("查无实据")


# Statuses in which a department still owes a step (the queues and the overdue marks).
OPEN = (TipStatus.ROUTING, TipStatus.SUBMITTED, TipStatus.ACCEPTED)
# Statuses a tip may be transferred in (转办): routed and not yet decided.
TRANSFERABLE = (TipStatus.SUBMITTED, TipStatus.ACCEPTED)


class RewardStatus(models.TextChoices):
    """The reward of a substantiated tip, as the department records it."""

    # 不适用: the tip was not substantiated (no reward is due).
    NONE = "", _("不适用")
    # 待核定: substantiated; the department decides the reward under its rule.
    PENDING = "pending", _("待核定")
    # 已核定待发放: amount and basis recorded; to be paid to the tipster (a verified
    # tipster through the contact the handling officer reads; an anonymous one on
    # presenting the receipt code).
    GRANTED = "granted", _("已核定，待发放")
    # 不予奖励: decided, with the basis, that no reward is due under the rule.
    NOT_GRANTED = "not_granted", _("不予奖励")
    # 已发放: paid, on the day recorded.
    PAID = "paid", _("已发放")


class TransferKind(models.TextChoices):
    """Who moved a tip from one department to another before its decision (转办)."""

    # 部门移送: the department it was routed to found another competent and sent it there,
    # with reasons (it may not send it back to a department that already sent it away).
    DEPARTMENT = "department", _("承办部门移送")
    # 信用主管部门改派: the credit office reassigned it (any department, with reasons) —
    # also where a dispute between departments over competence ends.
    OFFICE = "office", _("信用主管部门改派")
