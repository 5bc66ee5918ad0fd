from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "nghiquyet.notify"
    verbose_name = "Thông báo và nhắc việc"
