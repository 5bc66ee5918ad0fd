from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "nghiquyet.rounds"
    verbose_name = "Đợt báo cáo"
