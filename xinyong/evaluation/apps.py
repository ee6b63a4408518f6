from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "xinyong.evaluation"
    verbose_name = _("公共信用综合评价")
