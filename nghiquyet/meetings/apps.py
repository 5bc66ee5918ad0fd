from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "nghiquyet.meetings"
    verbose_name = "Hội nghị"
