from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentKind(models.TextChoices):
    # 证明事项告知承诺: a certification item is replaced by the applicant's word (42号文);
    # checked afterwards, a false one is a negative record.
    NOTIFY = "notify", _("证明事项告知承诺")
    # 容缺受理: accepted with documents still missing, to be supplied by a date no later
    # than the matter's own time limit; the case ends by itself when they are late.
    DEFICIENCY = "deficiency", _("容缺受理承诺")
    # 审批替代型 (GB/T 46277 application field): the pledge replaces a licensing condition.
    FIELD = "field", _("审批替代型承诺")
    # 应用场景型 (GB/T 46277 application scene): a pledge in one scene (tender, subsidy…).
    SCENE = "scene", _("应用场景型承诺")
    # 行业自律型: a member's pledge to its industry association's rules.
    INDUSTRY = "industry", _("行业自律型承诺")
    # 主动型: a voluntary public pledge, published, not a condition of anything.
    VOLUNTARY = "voluntary", _("主动公示型承诺")
    # 信用修复型: the commitment a repair application carries (remedies).
    REPAIR = "repair", _("信用修复承诺")


# The kinds barred to a subject with a serious-dishonesty entry in force or a false
# commitment (42号文: "在信用修复前不适用告知承诺制"), and by a breach in the same matter.
RESTRICTED_KINDS = (CommitmentKind.NOTIFY, CommitmentKind.DEFICIENCY)


class CheckMethod(models.TextChoices):
    # 书面核查: the department checks the documents or asks the issuing body in writing.
    WRITTEN = "written", _("书面核查")
    # 网络核查: through data sharing (the platform, other departments' systems).
    ONLINE = "online", _("网络核查")
    # 现场核查: an inspection on site.
    ON_SITE = "on_site", _("现场核查")
    # 公示核查: published for the public to object to.
    PUBLICITY = "publicity", _("公示核查")
    # 免于核查: exempt, with the reason stated on the template.
    EXEMPT = "exempt", _("免于核查")


class Channel(models.TextChoices):
    # 网上签署: the bound company signed on the portal.
    ONLINE = "online", _("网上签署")
    # 纸质承诺: signed on paper at the counter; the department recorded it with its scan.
    PAPER = "paper", _("纸质承诺书")


class CommitmentStatus(models.TextChoices):
    # 履行中: signed and in its validity; to be checked by its due date (if checked).
    IN_FORCE = "in_force", _("履行中")
    # 已履约: checked and found true / kept (or the missing documents arrived in time).
    KEPT = "kept", _("已履约")
    # 拟认定违诺: the department found it false or broken and told the subject, who may
    # answer (陈述申辩) before the reviewer decides — nothing is recorded yet.
    BREACH_PROPOSED = "breach_proposed", _("拟认定违诺")
    # 违诺: decided false or broken: a negative record, a watch-list case, and notify-and-
    # commit barred for the configured period.
    BREACHED = "breached", _("违诺")
    # 已终止: a deficiency-tolerant case whose documents did not arrive in time ended by
    # itself (the consequence stated at signing applies); no negative record by itself.
    ENDED = "ended", _("已终止")
    # 已届满: its validity ended without a check due (exempt) or a breach found.
    LAPSED = "lapsed", _("已届满")


# Still open: checks, a proposed breach, the deficiency sweep act on these.
OPEN = (CommitmentStatus.IN_FORCE, CommitmentStatus.BREACH_PROPOSED)


class BreachKind(models.TextChoices):
    # 虚假承诺: what was pledged was untrue when signed (bars notify-and-commit in every
    # matter for the look-back period, 42号文).
    FALSE = "false", _("虚假承诺")
    # 违背承诺: true when signed but not kept (bars notify-and-commit in this matter).
    BROKEN = "broken", _("未履行承诺")


class HearingOutcome(models.TextChoices):
    # 采纳: the subject's answer convinced: the breach is dropped, the commitment stands.
    ACCEPTED = "accepted", _("采纳陈述申辩，不认定违诺")
    # 不予采纳: the breach is decided, with the reasons for not accepting the answer.
    REJECTED = "rejected", _("不予采纳，认定违诺")
