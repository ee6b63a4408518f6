from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemonstrationConfig(AppConfig):
    name = "xinyong.demonstration"
    verbose_name = _("诚信示范单位")
