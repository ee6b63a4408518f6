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
