from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    name = "xinyong.lists"
    verbose_name = _("信用名单")

    def ready(self):
        from xinyong.lists import tasks  # noqa: F401 - connects the batch receiver
