from django.db import models
from django.utils.translation import gettext_lazy as _


class ListEffect(models.TextChoices):
    # 失信类: entries bring sanction measures (serious dishonesty, watch, abnormal, bans).
    NEGATIVE = "negative", _("失信约束")
    # 守信类: entries bring incentive measures (honor list).
    POSITIVE = "positive", _("守信激励")


class NationalCategory(models.TextChoices):
    """The four categories of serious dishonesty of 国办发〔2020〕49号; a serious-dishonesty
    designation must name one."""

    # 严重损害自然人身体健康和生命安全的行为.
    LIFE_HEALTH = "life_health", _("严重损害自然人身体健康和生命安全")
    # 严重破坏市场公平竞争秩序和社会正常秩序的行为.
    MARKET_ORDER = "market_order", _("严重破坏市场公平竞争秩序和社会正常秩序")
    # 有履行能力但拒不履行、逃避执行法定义务，情节严重的行为.
    REFUSE_DUTY = "refuse_duty", _("有履行能力但拒不履行、逃避执行法定义务")
    # 拒不履行国防义务，危害国防利益，破坏国防设施等行为.
    NATIONAL_DEFENCE = "national_defence", _("拒不履行国防义务")


class BasisKind(models.TextChoices):
    # 生效的司法裁判文书.
    JUDGMENT = "judgment", _("生效司法裁判")
    # 行政处罚决定.
    PENALTY = "penalty", _("行政处罚决定")
    # 行政强制执行决定.
    ENFORCEMENT = "enforcement", _("行政强制执行决定")
    # 其他依法作出的行政行为决定（如表彰决定、列入经营异常名录决定）.
    OTHER_DECISION = "other_decision", _("其他依法作出的决定")


class EntryStatus(models.TextChoices):
    # 立案: the case is opened with its basis; nothing is public, no measure applies.
    OPENED = "opened", _("已立案")
    # 已事先告知: the subject was told grounds, basis, measures, removal and remedies.
    NOTIFIED = "notified", _("已事先告知")
    # 已陈述申辩: the statement is recorded, or the period ended without one.
    HEARD = "heard", _("已陈述申辩")
    # 已认定: the decision document is issued, with its term; not yet public.
    DECIDED = "decided", _("已作出认定决定")
    # 已公示: the entry is in force: it hits in the credit check and is shown if public.
    PUBLISHED = "published", _("已公示（生效）")
    # 已移出: the term ended, or it was repaired, revoked or overturned.
    REMOVED = "removed", _("已移出")
    # 不予认定: the case closed without a designation (e.g. after the statement).
    DROPPED = "dropped", _("不予认定")


class RemovalReason(models.TextChoices):
    # 有效期届满.
    EXPIRED = "expired", _("有效期届满")
    # 信用修复.
    REPAIRED = "repaired", _("信用修复")
    # 认定部门撤销（认定有误或依据被撤销）.
    REVOKED = "revoked", _("认定部门撤销")
    # 经行政复议或行政诉讼撤销.
    OVERTURNED = "overturned", _("经复议或诉讼撤销")


class EntryAction(models.TextChoices):
    """The steps of the designation procedure (each one audited with actor and deadline)."""

    # 立案.
    OPEN = "open", _("立案")
    # 事先告知.
    NOTIFY = "notify", _("事先告知")
    # 记录陈述申辩（或陈述期届满未陈述）.
    HEAR = "hear", _("陈述申辩")
    # 作出认定决定.
    DECIDE = "decide", _("作出认定决定")
    # 公示.
    PUBLISH = "publish", _("公示")
    # 移出.
    REMOVE = "remove", _("移出")
    # 不予认定、结案.
    DROP = "drop", _("不予认定")
    # 标记/解除异议（异议期间措施中止）.
    OBJECTION = "objection", _("异议标记")
    # 从外部名单导入.
    IMPORT = "import", _("外部名单导入")
    # 当事人通过门户账号在线提交陈述申辩（不改变状态，由经办人在“陈述申辩”环节记录）.
    STATEMENT = "statement", _("在线陈述申辩")


class NoticeKind(models.TextChoices):
    # 事先告知书.
    PRIOR_NOTICE = "prior_notice", _("事先告知书")
    # 认定决定书.
    DECISION = "decision", _("认定决定书")
    # 致上级主管单位和审计部门的通报（事业单位、国有企业）.
    SUPERIOR = "superior", _("致上级主管单位和审计部门的通报")


class StatementAdoption(models.TextChoices):
    """What the decision says of the subject's statement and defence (the decision answers
    it: adopted or not, and why)."""

    # 采纳: the statement changed the decision (e.g. a shorter term, fewer measures).
    ADOPTED = "adopted", _("采纳")
    # 部分采纳: part of it was accepted.
    PARTLY = "partly", _("部分采纳")
    # 不予采纳: the facts and basis stand.
    REJECTED = "rejected", _("不予采纳")
