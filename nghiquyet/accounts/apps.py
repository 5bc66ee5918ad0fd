from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nghiquyet.accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        from . import lockout  # noqa: F401 - connects the lockout audit receiver
