from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nghiquyet.core"
    verbose_name = "Lõi"
