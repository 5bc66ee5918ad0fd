from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nghiquyet.accounts"
    verbose_name = "Tài khoản"
