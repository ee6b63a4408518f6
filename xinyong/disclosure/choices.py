from django.db import models
from django.utils.translation import gettext_lazy as _


class PenaltyClass(models.TextChoices):
    """How a penalty decision is published, decided by the publicity rules."""

    # 简易程序: decided on the spot (small fines, warnings); not published by default.
    SUMMARY = "summary", _("简易程序")
    # 仅警告、通报批评: no other penalty kind; not published by default.
    WARNING = "warning", _("仅警告或通报批评")
    # 一般失信行为: shown at least 3 months and at most 1 year by default.
    GENERAL = "general", _("一般失信行为")
    # 严重失信行为: shown at least 1 year and at most 3 years by default.
    SERIOUS = "serious", _("严重失信行为")


class PublicationStatus(models.TextChoices):
    """Where a licence or penalty decision stands on the portal."""

    # 待公示: received; the next sweep publishes it (or files it as not published).
    PENDING = "pending", _("待公示")
    # 公示中: shown on the portal's dual-publicity column and the subject page.
    PUBLIC = "public", _("公示中")
    # 不公示: the publicity rules do not publish this class of penalty.
    NOT_PUBLISHED = "not_published", _("不公示")
    # 公示期满: its period (or the licence's validity) ended; kept in the credit file.
    ENDED = "ended", _("公示期满")
    # 已撤下: the department withdrew the decision; history kept.
    WITHDRAWN = "withdrawn", _("已撤下")


class FeedAction(models.TextChoices):
    """An entry of the outbound feed."""

    # 公示: the record entered public view, or its public content changed.
    PUBLISH = "publish", _("公示")
    # 撤下: the record left public view (period ended, withdrawn, no longer published).
    UNPUBLISH = "unpublish", _("撤下")
