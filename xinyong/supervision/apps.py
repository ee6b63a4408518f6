from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "xinyong.supervision"
    verbose_name = _("分级分类监管与双随机抽查")
