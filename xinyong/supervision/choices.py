from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionClass(models.TextChoices):
    """The supervision class (监管类别) a department gives a subject for one plan: the public
    grade combined with the department's own sector grade (see :mod:`.classes`). It picks
    the sampling ratio and frequency of the inspection item."""

    # A 类: good standing — inspected least (无事不扰): ratio ≤ 5 %, at most once a year.
    A = "A", _("A 类（信用好）")
    # B 类: ordinary — ratio 5–20 %, once a year; also the class of the never evaluated.
    B = "B", _("B 类（信用一般）")
    # C 类: poorer standing — ratio 21–60 %.
    C = "C", _("C 类（信用较差）")
    # D 类: high risk — ratio 61–100 %, inspected as needed.
    D = "D", _("D 类（信用差）")


class Frequency(models.TextChoices):
    """How often a subject of a class may or must be inspected under one item."""

    # 每年不超过 1 次: a subject inspected under one of the plan's departments' items in the
    # last 365 days is left out of the candidates (无事不扰).
    AT_MOST_YEARLY = "at_most_yearly", _("每年不超过 1 次")
    # 每年 1 次: guidance for the department's yearly plans; the draw does not exclude.
    YEARLY = "yearly", _("每年 1 次")
    # 根据实际情况: as often as the department's risk work needs.
    AS_NEEDED = "as_needed", _("根据监管需要")


class InspectionMethod(models.TextChoices):
    """How an item is inspected (检查方式), as the item lists state it."""

    # 实地核查: at the subject's premises.
    ON_SITE = "on_site", _("实地核查")
    # 书面检查: documents the subject is asked to provide.
    DOCUMENTS = "documents", _("书面检查")
    # 网络监测: online monitoring (websites, platforms).
    ONLINE = "online", _("网络监测")
    # 委托专业机构: an expert body (audit, testing) commissioned by the department.
    EXPERT = "expert", _("委托专业机构")


class PlanStatus(models.TextChoices):
    """A plan's steps: the draw can be checked by anyone only because each is one-way."""

    # 草拟: items, ratios, inspectors per task chosen; nothing frozen yet.
    DRAFT = "draft", _("草拟")
    # 已冻结: the candidate list (subject + class), the inspector pools and exclusions are
    # stored with their digests, and the SHA-256 of the secret seed is published.
    FROZEN = "frozen", _("已冻结名单")
    # 已抽取: the tasks were drawn with the seed; the seed is not published yet.
    DRAWN = "drawn", _("已抽取")
    # 已公布种子: the seed is published; anyone may re-run the draw.
    PUBLISHED = "published", _("已公布随机种子")


class TaskStatus(models.TextChoices):
    # 待检查: drawn, inspectors assigned.
    ASSIGNED = "assigned", _("待检查")
    # 已检查: the result is recorded; to be published within 20 working days.
    COMPLETED = "completed", _("已检查待公示")
    # 已公示: the result is on the portal (and, if negative, in the credit file).
    PUBLISHED = "published", _("已公示")


class Outcome(models.TextChoices):
    """An inspection's result, worded as the catalog item ``administrative_inspection``
    states it (the label is the record's 检查结果)."""

    # 未发现问题: nothing wrong; published, not a negative record.
    NO_PROBLEM = "no_problem", _("未发现问题")
    # 发现问题已责令改正: problems found, the subject ordered to correct them.
    RECTIFIED = "rectified", _("发现问题已责令改正")
    # 发现问题待后续处理: problems found and handed to a penalty procedure.
    PENALTY = "penalty", _("发现问题待后续处理")
    # 未按规定公示应当公示的信息: the subject did not publish what it must (annual report…).
    UNDISCLOSED = "undisclosed", _("未按规定公示应当公示的信息")
    # 通过登记的住所无法联系: not found at its registered address.
    NOT_FOUND = "not_found", _("通过登记的住所无法联系")


NEGATIVE_OUTCOMES = (Outcome.RECTIFIED, Outcome.PENALTY, Outcome.UNDISCLOSED, Outcome.NOT_FOUND)


class ExclusionReason(models.TextChoices):
    # 利害关系回避: the inspector declared a conflict of interest with the subject.
    CONFLICT = "conflict", _("利害关系回避")
    # 上次检查人员回避: the inspector inspected this subject last time.
    LAST_INSPECTOR = "last_inspector", _("上次检查人员")
