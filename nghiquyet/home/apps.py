from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "nghiquyet.home"
    verbose_name = "Trang chủ theo vai trò"
