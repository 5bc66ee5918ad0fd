from django.urls import path

from . import views

app_name = "rounds"

urlpatterns = [
    path("", views.index, name="index"),
    path("mo-dot/", views.open_round, name="open"),
    path("<int:round_id>/", views.detail, name="round"),
    path("<int:round_id>/cho-phep/", views.grant, name="grant"),
    path("<int:round_id>/huy-duyet/", views.withdraw, name="withdraw"),
    path("<int:round_id>/ket-thuc/", views.close, name="close"),
    path("<int:round_id>/bao-cao/", views.upload, name="upload"),
    path("<int:round_id>/bao-cao/<int:report_id>/", views.download, name="download"),
]
