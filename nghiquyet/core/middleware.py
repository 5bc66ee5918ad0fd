"""A full or read-only data folder answers in Vietnamese (HTTP 503), not with a bare 500.

The write itself ran inside ``transaction.atomic`` (every action does), so
by the time the exception reaches here the transaction has rolled back:
nothing is half-written, the user only has to try again later."""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("nghiquyet.storage")

STORAGE_MESSAGE = (
    "Máy chủ không ghi được dữ liệu (ổ đĩa đầy hoặc chỉ cho đọc). "
    "Thao tác chưa được lưu; vui lòng báo quản trị hệ thống giải phóng dung lượng "
    "hoặc cấp quyền ghi cho thư mục dữ liệu, rồi thử lại."
)

# OSError numbers of a disk that cannot take the write (EDQUOT: a user quota).
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES})
# SQLite says so only in words.
SQLITE_MESSAGES = (
    "database or disk is full",
    "attempt to write a readonly database",
    "disk i/o error",
)
# PostgreSQL: disk_full, insufficient_resources, read_only_sql_transaction.
PG_SQLSTATES = frozenset({"53100", "53000", "25006"})


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_storage_error(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the disk cannot take a write."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in STORAGE_ERRNOS:
            return True
        if isinstance(e, sqlite3.Error | DatabaseError):
            if any(m in str(e).lower() for m in SQLITE_MESSAGES):
                return True
        if getattr(e, "sqlstate", None) in PG_SQLSTATES:
            return True
    return False


def storage_error_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 answer: JSON under /api/, a partial for htmx, else the full page."""
    logger.error("Không ghi được dữ liệu (%s %s): %s", request.method, request.path, exc, exc_info=exc)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": STORAGE_MESSAGE}, status=503)
    context = {"message": STORAGE_MESSAGE}
    if request.headers.get("HX-Request") == "true":
        # base.html lets htmx swap a 503 (responseHandling); shown in place of the page body.
        body = render_to_string("errors/partials/storage.html", context, request=request)
        return HttpResponse(body, status=503, headers={"HX-Retarget": "#main", "HX-Reswap": "innerHTML"})
    try:
        body = render_to_string("errors/storage.html", context, request=request)
    except Exception:  # the page itself may need the disk (session, messages): words anyway
        body = render_to_string("errors/storage_plain.html", context)
    return HttpResponse(body, status=503)


class StorageErrorMiddleware:
    """Turns a storage error raised by a view into the Vietnamese 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_storage_error(exception):
            return storage_error_response(request, exception)
        return None


def server_error(request):
    """handler500: a storage error raised outside any view (the session or
    messages saved on the way out) still gets the Vietnamese 503."""
    exc = sys.exc_info()[1]
    if exc is not None and is_storage_error(exc):
        return storage_error_response(request, exc)
    return defaults.server_error(request)
