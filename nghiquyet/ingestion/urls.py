from django.urls import path

from . import views

app_name = "ingestion"

urlpatterns = [
    path("", views.index, name="index"),
    path("moi/", views.new, name="new"),
    path("<int:pk>/", views.review, name="review"),
    path("goi-y/<int:pk>/", views.suggestion, name="suggestion"),
    path("goi-y/<int:pk>/chap-nhan/", views.accept, name="accept"),
    path("goi-y/<int:pk>/loai/", views.reject, name="reject"),
]
