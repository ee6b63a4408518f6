from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    verbose_name = _("信用主体")

    def ready(self):
        from xinyong.subjects import search

        search.register_sqlite_functions()
