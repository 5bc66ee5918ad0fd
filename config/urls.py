from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Quản trị nghiquyet"
admin.site.site_title = "nghiquyet"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("nghiquyet.core.urls")),
]
