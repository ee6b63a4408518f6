from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "xinyong.disclosure"
    verbose_name = _("双公示")

    def ready(self):
        from xinyong.disclosure import tasks  # noqa: F401 - connects the batch receiver
