from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PractitionersConfig(AppConfig):
    name = "xinyong.practitioners"
    verbose_name = _("从业人员信用档案")
