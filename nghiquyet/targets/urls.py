from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/kiem-tra/", views.check_value, name="check"),
    path("chi-tieu/<int:pk>/", views.detail, name="detail"),
]
