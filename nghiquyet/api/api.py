"""One API, each app's router mounted under it. Schema at /api/openapi.json;
no docs page (it would load its assets from a CDN; offices are offline)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from nghiquyet.core.uploads import UploadTooLarge
from nghiquyet.targets.actions import StaleResultError

from .auth import TokenAuth

api = NinjaAPI(
    title="nghiquyet API",
    version="1",
    description="Theo dõi thực hiện nghị quyết: đơn vị, văn bản, chỉ tiêu, kết quả, nhiệm vụ, hội nghị.",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không tìm thấy."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Không có quyền."}, status=403)


@api.exception_handler(StaleResultError)
def stale(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(UploadTooLarge)
def too_large(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=413)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Chưa xác thực: cần khóa API hợp lệ."}, status=401)


def _mount() -> None:
    from nghiquyet.documents.api import router as documents
    from nghiquyet.meetings.api import router as meetings
    from nghiquyet.orgs.api import router as orgs
    from nghiquyet.targets.api import router as targets
    from nghiquyet.tasks.api import router as tasks

    api.add_router("/units", orgs)
    api.add_router("/documents", documents)
    api.add_router("/", targets)
    api.add_router("/tasks", tasks)
    api.add_router("/meetings", meetings)
    api.add_router("/ingestion", "nghiquyet.ingestion.api.router")


_mount()
