from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeclarationsConfig(AppConfig):
    name = "xinyong.declarations"
    verbose_name = _("自主申报")
