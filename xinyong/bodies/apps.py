from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BodiesConfig(AppConfig):
    name = "xinyong.bodies"
    verbose_name = _("机关事业单位和国有企业信用档案")
