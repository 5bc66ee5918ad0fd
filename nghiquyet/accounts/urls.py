from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.index, name="index"),
    path("them/", views.create, name="create"),
    path("doi-mat-khau/", views.change_password, name="change_password"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/giao-vai-tro/", views.grant, name="grant"),
    path("<int:pk>/thu-hoi/", views.revoke, name="revoke"),
    path("<int:pk>/dat-lai-mat-khau/", views.reset_password, name="reset_password"),
]
