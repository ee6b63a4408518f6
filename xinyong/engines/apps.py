from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnginesConfig(AppConfig):
    name = "xinyong.engines"
    verbose_name = _("批处理引擎")
