"""Third-party apps under the names the admin shows (their own are English and not
translatable). Kept apart from ``core.apps``: Django picks a module's app config by itself
only when the module defines exactly one, so these here would make it drop ``CoreConfig``
(and its ``ready()``, which registers the system checks)."""

import axes.apps
import django_tasks_db.apps
from django.utils.translation import gettext_lazy as _


class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("登录限制")


class TasksConfig(django_tasks_db.apps.TasksAppConfig):
    verbose_name = _("后台任务")
