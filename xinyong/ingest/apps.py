from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "xinyong.ingest"
    verbose_name = _("信用信息归集")
