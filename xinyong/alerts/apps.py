from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xinyong.alerts"
    verbose_name = _("失信预警")
