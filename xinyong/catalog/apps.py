from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_default_catalog(sender, using="default", **kwargs):
    """Every migrate brings the catalog up to the shipped YAML files (idempotent)."""
    from xinyong.accounts.actors import SYSTEM
    from xinyong.catalog.services import catalog_sync
    from xinyong.core.context import request_context

    with request_context(channel="cli"):
        catalog_sync(actor=SYSTEM)


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    verbose_name = _("信用信息资源目录")

    def ready(self):
        post_migrate.connect(_sync_default_catalog, sender=self, dispatch_uid="xinyong_catalog")
