"""One API, each app's router mounted under it. Schema at /api/openapi.json;
no docs page (it would load its assets from a CDN; offices are offline).

Every answer but a success is JSON ``{"detail": "<tiếng Việt>"}`` (plus
``errors`` for bad parameters), with the statuses each route declares
(errors.answers). Bad input is a 4xx, never a 500: the types in fields.py
refuse it up front, and a last net turns what slips through to the database
(DataError, OverflowError, ValueError) into a 422, logged so it gets a
validator. Anything else is a bug: logged and re-signalled like Django's own
500 (tests re-raise it), answered as a JSON 500."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import sqlite3
from decimal import Decimal

import pydantic
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.core.signals import got_request_exception
from django.db import DatabaseError, DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as ParamsError

from nghiquyet.core.middleware import is_storage_error, storage_error_response
from nghiquyet.core.numbers import format_number
from nghiquyet.core.uploads import UploadTooLarge
from nghiquyet.targets.actions import StaleResultError
from nghiquyet.targets.locks import EntryLocked

from .auth import TokenAuth

logger = logging.getLogger("nghiquyet.api")

api = NinjaAPI(
    title="nghiquyet API",
    version="1",
    description="Theo dõi thực hiện nghị quyết: đơn vị, văn bản, chỉ tiêu, kết quả, nhiệm vụ, hội nghị.",
    auth=TokenAuth(),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
)


def _error(request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, str(exc) or "Không tìm thấy.")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, str(exc) or "Không có quyền.")


@api.exception_handler(StaleResultError)
def stale(request, exc):
    return _error(request, 409, " ".join(exc.messages))


@api.exception_handler(EntryLocked)
def locked(request, exc):
    """A write into a locked cell (deadline passed, approved, round closed or not open)."""
    return _error(request, 423, " ".join(exc.messages))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return _error(request, 422, " ".join(exc.messages))


@api.exception_handler(UploadTooLarge)
def too_large(request, exc):
    return _error(request, 413, " ".join(exc.messages))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "Chưa xác thực: cần khóa API hợp lệ.")


@api.exception_handler(HttpError)
def http_error(request, exc):
    # Ninja raises 400 for a body it cannot parse; its message is English.
    if exc.status_code == 400:
        return _error(request, 400, "Không đọc được nội dung gửi lên (cần JSON hợp lệ).")
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return _error(request, 413, "Nội dung gửi lên quá lớn.")


@api.exception_handler(MultiPartParserError)
@api.exception_handler(SuspiciousOperation)
def unreadable(request, exc):
    # What Django itself answers 400 to: a broken multipart body, too many fields…
    return _error(request, 400, "Không đọc được nội dung gửi lên.")


# Pydantic's error types, in Vietnamese; the rest keep pydantic's message.
_MESSAGES = {
    "missing": "bắt buộc",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số",
    "decimal_parsing": "phải là số",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "string_type": "phải là chuỗi",
    "list_type": "phải là danh sách",
    "dict_type": "phải là đối tượng JSON",
    "model_attributes_type": "phải là đối tượng JSON",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "string_too_short": "phải có ít nhất {min_length} ký tự",
    "string_too_long": "dài quá {max_length} ký tự",
    "too_short": "phải có ít nhất {min_length} phần tử",
    "too_long": "nhiều quá {max_length} phần tử",
    "string_pattern_mismatch": "không đúng dạng",
    "json_invalid": "không phải JSON hợp lệ",
}


_UNION_TAG = re.compile(r"^(function-\w+\[.*\]|constrained-\w+|str|int|float|decimal|bool|none)$")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value) -> str:
    # Bounds in Vietnamese form: 1.000.000, not 1000000.
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_number(value)
    if isinstance(value, str) and _ISO_DATE.match(value):  # pydantic gives date bounds as text
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    return str(value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value)


def _vietnamese(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "value_error" and "error" in ctx:
        return str(ctx["error"])
    template = _MESSAGES.get(error["type"])
    if template is None:
        return str(error.get("msg", ""))
    try:
        return template.format(**{k: _shown(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return template


@api.exception_handler(ParamsError)
def bad_params(request, exc):
    errors = []
    for e in exc.errors:
        loc = [p if isinstance(p, int) else str(p) for p in e.get("loc", ())]
        # "payload" is the Python name of the body argument, not something the
        # client sent; union members ("value": text or number) are pydantic's tags.
        shown = [p for p in loc[1:] if p != "payload" and not _UNION_TAG.match(str(p))] or loc
        errors.append({"loc": loc, "type": str(e.get("type", "")), "msg": _vietnamese(e), "shown": shown})
    parts = list(dict.fromkeys(".".join(map(str, e.pop("shown"))) + ": " + e["msg"] for e in errors))
    detail = "Tham số không hợp lệ: " + "; ".join(parts[:5]) + ("; …" if len(parts) > 5 else "") + "."
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
@api.exception_handler(ValueError)
def out_of_range(request, exc):
    # The last net: a value the schema let through but the database or
    # Python cannot hold. Logged, so it gets its own validator.
    if is_storage_error(exc):
        return storage_error_response(request, exc)
    logger.warning("API: giá trị không xử lý được ở %s: %r", request.path, exc, exc_info=True)
    return _error(request, 422, "Giá trị gửi lên nằm ngoài giới hạn cho phép hoặc không hợp lệ.")


@api.exception_handler(pydantic.ValidationError)  # an answer not matching its schema: a bug
@api.exception_handler(Exception)
def server_error(request, exc):
    # A bug, not bad input: logged as Django logs a 500 and signalled so the
    # test client re-raises it; the client still gets JSON, in Vietnamese.
    got_request_exception.send(sender=None, request=request)
    response = _error(request, 500, "Lỗi máy chủ. Xin thử lại sau; nếu vẫn lỗi, báo quản trị hệ thống.")
    log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exc)
    return response


def _storage_error(request, exc):
    """A full or read-only disk: 503 with words (the write was rolled back).
    Any other OSError or database error is a bug: the JSON 500."""
    if is_storage_error(exc):
        return storage_error_response(request, exc)
    return server_error(request, exc)


for _cls in (OSError, DatabaseError, sqlite3.Error):
    api.add_exception_handler(_cls, _storage_error)


def _mount() -> None:
    from nghiquyet.accounts.api import router as accounts
    from nghiquyet.documents.api import router as documents
    from nghiquyet.meetings.api import router as meetings
    from nghiquyet.orgs.api import router as orgs
    from nghiquyet.targets.api import router as targets
    from nghiquyet.tasks.api import router as tasks

    api.add_router("/units", orgs)
    api.add_router("/documents", documents)
    api.add_router("/", targets)
    api.add_router("/tasks", tasks)
    api.add_router("/rounds", "nghiquyet.rounds.api.router")
    api.add_router("/meetings", meetings)
    api.add_router("/ingestion", "nghiquyet.ingestion.api.router")
    api.add_router("/users", accounts)
    api.add_router("/notifications", "nghiquyet.notify.api.router")


_mount()
