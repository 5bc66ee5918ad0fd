"""One API, each app's router mounted under it. Schema at /api/openapi.json;
no docs page (it would load its assets from a CDN; offices are offline)."""

from __future__ import annotations

import sqlite3

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from nghiquyet.core.middleware import is_storage_error, storage_error_response
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


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Chưa xác thực: cần khóa API hợp lệ."}, status=401)


def _storage_error(request, exc):
    """A full or read-only disk: 503 with words (the write was rolled back).
    Any other OSError or database error goes on to the catch-all handler if
    one is registered, else to Django's 500."""
    if is_storage_error(exc):
        return storage_error_response(request, exc)
    fallback = api._exception_handlers.get(Exception)  # ninja keeps no public lookup past a class
    if fallback is None:
        raise exc
    return fallback(request, exc)


for _cls in (OSError, DatabaseError, sqlite3.Error):
    api.add_exception_handler(_cls, _storage_error)


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
