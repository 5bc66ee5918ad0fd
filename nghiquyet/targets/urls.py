from django.urls import path

from . import views, views_authoring

app_name = "targets"

urlpatterns = [
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/kiem-tra/", views.check_value, name="check"),
    path("duyet/", views.approve, name="approve"),
    path("duyet/don-vi/<int:unit_id>/", views.approve_unit, name="approve_unit"),
    path("duyet/so-lieu/<int:pk>/", views.approve_result, name="approve_result"),
    path("duyet/so-lieu/<int:pk>/tra-lai/", views.return_result, name="return_result"),
    path("chi-tieu/<int:pk>/", views.detail, name="detail"),
    path("chi-tieu/<int:pk>/sua/", views_authoring.edit, name="edit"),
]
