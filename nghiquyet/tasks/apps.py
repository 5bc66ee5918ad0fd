from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "nghiquyet.tasks"
    verbose_name = "Nhiệm vụ"
