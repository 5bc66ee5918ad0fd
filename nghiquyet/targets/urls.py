from django.urls import path

from . import history, views, views_authoring

app_name = "targets"

urlpatterns = [
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/kiem-tra/", views.check_value, name="check"),
    path("duyet/", views.approve, name="approve"),
    path("duyet/don-vi/<int:unit_id>/", views.approve_unit, name="approve_unit"),
    path("duyet/so-lieu/<int:pk>/", views.approve_result, name="approve_result"),
    path("duyet/so-lieu/<int:pk>/tra-lai/", views.return_result, name="return_result"),
    path("chi-tieu/<int:pk>/", views.detail, name="detail"),
    path("ket-qua/<int:pk>/", history.history, name="history"),
    path("chi-tieu/<int:pk>/muc-tieu/mau/", views.goals_template, name="goals_template"),
    path("chi-tieu/<int:pk>/muc-tieu/nhap/", views.goals_import, name="goals_import"),
    path("chi-tieu/<int:pk>/muc-tieu/phan-bo/", views.goals_apportion, name="goals_apportion"),
    path("chi-tieu/<int:pk>/sua/", views_authoring.edit, name="edit"),
]
