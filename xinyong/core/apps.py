import axes.apps
import django_tasks_db.apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xinyong.core"
    verbose_name = _("基础")

    def ready(self):
        from xinyong.core import checks  # noqa: F401 - registers the system checks


# Third-party apps under the names the admin shows (their own are English, not translatable).
class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("登录限制")


class TasksConfig(django_tasks_db.apps.TasksAppConfig):
    verbose_name = _("后台任务")
