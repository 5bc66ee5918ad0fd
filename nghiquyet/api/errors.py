"""The error body every API answer other than a success carries, and the
answers each route declares, so the OpenAPI document lists every status a
client can meet (schemathesis holds the served API to it)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(..., description="Vị trí: nguồn (query, path, body, form) rồi tên trường.")
    type: str = Field(..., description="Mã lỗi (pydantic), ví dụ missing, less_than_equal.")
    msg: str = Field(..., description="Lỗi bằng tiếng Việt.")


class ErrorOut(Schema):
    detail: str = Field(..., description="Lỗi bằng tiếng Việt, đọc được ngay.")
    errors: list[FieldErrorOut] | None = Field(
        None, description="Với 422 do tham số sai: từng trường sai và lý do."
    )


# Every authenticated route: no token (401), nothing the caller may see (404),
# bad input (422), a full or read-only disk (503, core.middleware).
COMMON = (401, 404, 422, 503)


# A route that reads a body: unreadable (400), past the upload limit (413).
BODY = (400, 413)


def answers(success: dict[int, Any], *codes: int, body: bool = False) -> dict[int, Any]:
    """``success`` plus ErrorOut for COMMON, ``codes`` (403 for a
    role too low, 409 for a stale version…) and BODY when ``body``."""
    return {**success, **dict.fromkeys(sorted({*COMMON, *codes, *(BODY if body else ())}), ErrorOut)}
