from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("tao-moi/", views.create, name="create"),
    path("tao-moi/them-dong/", views.new_row, name="new_row"),
    path("<int:pk>/", views.detail, name="detail"),
]
