from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "nghiquyet.targets"
    verbose_name = "Chỉ tiêu"
