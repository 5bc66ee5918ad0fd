from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    # The home page ("home") is nghiquyet.home's.
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
]
