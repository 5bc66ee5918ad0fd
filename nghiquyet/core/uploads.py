"""Uploads bounded before they are read.

One limit, ``settings.NGHIQUYET_MAX_UPLOAD_BYTES`` (environment
NGHIQUYET_MAX_UPLOAD_MB), for any file a user sends. Three gates:

- Waitress refuses, at the headers, a body over
  ``NGHIQUYET_MAX_REQUEST_BYTES`` (twice the limit and a little): it is
  never received. Its answer is Waitress's own, in English.
- Below that, the middleware answers 413 in Vietnamese (JSON under /api/)
  to a request whose Content-Length is over the limit plus the form's other
  fields, before the CSRF check or a view parses the body.
- A file is measured by ``UploadedFile.size`` (Django spools it to disk
  above FILE_UPLOAD_MAX_MEMORY_SIZE) before ``.read()``.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.html import format_html

from nghiquyet.core.numbers import format_number

MiB = 1024 * 1024
FORM_ALLOWANCE = 1 * MiB  # a multipart body's other fields and boundaries


class UploadTooLarge(ValidationError):
    """A file over the upload limit; the message is Vietnamese."""


def max_upload_bytes() -> int:
    return settings.NGHIQUYET_MAX_UPLOAD_BYTES


def size_label(n: int) -> str:
    """Bytes in Vietnamese MB: 20 MB, 1,5 MB."""
    return f"{format_number(round(n / MiB, 1))} MB"


def too_large_message(limit: int | None = None) -> str:
    return f"Tệp quá lớn: tối đa {size_label(limit or max_upload_bytes())}."


def read_upload(file, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file (or a file object, or bytes), refusing
    one over ``limit`` by its declared size before reading, and reading at
    most one byte more than the limit whatever it declared."""
    limit = limit or max_upload_bytes()
    if isinstance(file, bytes | bytearray | memoryview):
        if len(file) > limit:
            raise UploadTooLarge(too_large_message(limit))
        return bytes(file)
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise UploadTooLarge(too_large_message(limit))
    data = file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(too_large_message(limit))
    return data


class UploadLimitMiddleware:
    """Refuses a request whose declared body is over the limit, before the
    CSRF check or a view reads ``request.POST`` (which would parse and
    spool it). A body without Content-Length (chunked) is bounded by
    Waitress, then by ``read_upload``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_upload_bytes() + FORM_ALLOWANCE:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request) -> HttpResponse:
        message = f"Yêu cầu quá lớn: tệp tải lên tối đa {size_label(max_upload_bytes())}."
        if request.path.startswith("/api/"):
            body = json.dumps({"detail": message}, ensure_ascii=False)
            response = HttpResponse(body, status=413, content_type="application/json; charset=utf-8")
        elif request.headers.get("HX-Request") == "true":
            # htmx swaps only 2xx answers: the message goes where the result would.
            response = HttpResponse(
                format_html('<div class="msg msg-error" role="alert"><p>{}</p></div>', message)
            )
        else:
            page = format_html(
                '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Tệp quá lớn</title>'
                "<h1>Tệp quá lớn</h1><p>{}</p><p>Vui lòng quay lại và chọn tệp nhỏ hơn.</p></html>",
                message,
            )
            response = HttpResponse(page, status=413)
        response["Content-Length"] = len(response.content)  # first middleware: nothing after sets it
        return response
