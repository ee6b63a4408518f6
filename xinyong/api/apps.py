from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xinyong.api"
    verbose_name = "API"
