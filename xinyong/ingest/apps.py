from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "xinyong.ingest"
    verbose_name = _("信用信息归集")

    def ready(self):
        checks.register(chunk_settings_check)


def chunk_settings_check(app_configs=None, **kwargs) -> list[checks.Error]:
    """A wrong XINYONG_CHUNK_ROWS / XINYONG_CHUNK_WORKERS stops the worker at start, not
    at the first large batch."""
    from django.core.exceptions import ImproperlyConfigured

    from xinyong.ingest.chunks import config

    try:
        config()
    except ImproperlyConfigured as e:
        return [checks.Error(str(e), id="ingest.E001")]
    return []
