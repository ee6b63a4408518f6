from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "xinyong.audit"
    verbose_name = _("审计")

    def ready(self):
        from xinyong.audit import checks  # noqa: F401 - registers the deploy checks
        from xinyong.audit.guard import register_sqlite_function

        register_sqlite_function()
