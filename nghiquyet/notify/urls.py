from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.index, name="index"),
    path("chua-doc/", views.unread_count, name="unread"),
    path("da-doc/", views.mark_read, name="mark_read"),
]
