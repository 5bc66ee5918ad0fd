from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nghiquyet.audit"
    verbose_name = "Nhật ký"
