from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Quản trị nghiquyet"
admin.site.site_title = "nghiquyet"
admin.site.index_title = "Quản trị hệ thống"

# A full or read-only disk gets a Vietnamese 503 even outside a view (nghiquyet.core.middleware).
handler500 = "nghiquyet.core.middleware.server_error"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("don-vi/", include("nghiquyet.orgs.urls")),
    path("van-ban/", include("nghiquyet.documents.urls")),
    path("so-lieu/", include("nghiquyet.targets.urls")),
    path("dot-bao-cao/", include("nghiquyet.rounds.urls")),
    path("nhiem-vu/", include("nghiquyet.tasks.urls")),
    path("hoi-nghi/", include("nghiquyet.meetings.urls")),
    path("bao-cao/", include("nghiquyet.reports.urls")),
    path("nguoi-dung/", include("nghiquyet.accounts.urls")),
    path("nhat-ky/", include("nghiquyet.audit.urls")),
    path("thu-nhan/", include("nghiquyet.ingestion.urls")),
    path("api/", include("nghiquyet.api.urls")),
    path("thong-bao/", include("nghiquyet.notify.urls")),
    path("", include("nghiquyet.home.urls")),
    path("", include("nghiquyet.core.urls")),
]
