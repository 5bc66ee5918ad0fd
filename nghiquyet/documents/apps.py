from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "nghiquyet.documents"
    verbose_name = "Văn bản"
