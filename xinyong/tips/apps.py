from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "xinyong.tips"
    verbose_name = _("失信行为有奖举报")
