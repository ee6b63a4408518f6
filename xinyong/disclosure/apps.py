from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "xinyong.disclosure"
    verbose_name = _("双公示")
