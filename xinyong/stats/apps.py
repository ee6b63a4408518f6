from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "xinyong.stats"
    verbose_name = _("统计分析与跟踪问效")
