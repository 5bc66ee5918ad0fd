from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "nghiquyet.ingestion"
    verbose_name = "Thu nhận văn bản"
