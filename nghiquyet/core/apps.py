from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nghiquyet.core"
    verbose_name = "Lõi"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
