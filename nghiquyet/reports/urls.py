from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    # ?unit=<id>&period=<key, e.g. 2026-Q3>&fmt=docx|xlsx|pdf
    path("van-ban/<int:document_id>/", views.review, name="review"),
    # ?unit=<id>&period=<key>&scope=unit|children
    path("van-ban/<int:document_id>/mau-nhap-so-lieu/", views.entry_template, name="template"),
    path("nhap-so-lieu/", views.import_results, name="import"),
    path("tai-ve/<str:token>/", views.download, name="download"),
    path("hoi-nghi/<int:meeting_id>/thong-bao-ket-luan/", views.notice, name="notice"),
]
