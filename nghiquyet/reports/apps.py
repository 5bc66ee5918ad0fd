from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "nghiquyet.reports"
    verbose_name = "Báo cáo"
