from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "nghiquyet.orgs"
    verbose_name = "Tổ chức"
