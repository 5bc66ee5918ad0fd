from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from nghiquyet.api.fields import Date, Id, JsonObject, Note, Version, Word


class SourceOut(Schema):
    id: int
    title: str
    origin: str
    file_kind: str
    encoding: str
    published: str
    authors: list[str]
    unit_id: int | None
    status: str
    created_at: dt.datetime
    pending: int = Field(0, description="Số dữ kiện chờ xem xét")
    accepted: int = Field(0, description="Số dữ kiện đã chấp nhận")
    rejected: int = Field(0, description="Số dữ kiện đã loại")


class SuggestionOut(Schema):
    id: int
    source_id: int
    kind: str
    kind_label: str
    label: str
    status: str
    data: dict[str, Any]
    span_start: int = Field(..., description="Vị trí đầu của đoạn trích trong văn bản của nguồn tin")
    span_end: int
    quote: str
    reason: str
    record_type: str = Field("", description="Bản ghi đã tạo hoặc liên kết, ví dụ documents.document")
    record_id: str
    created_record: bool
    decided_at: dt.datetime | None


class SourceDetailOut(SourceOut):
    text: str
    suggestions: list[SuggestionOut]


class IngestOut(Schema):
    created: bool = Field(
        ..., description="False khi đơn vị này đã thu nhận cùng nội dung: trả về nguồn tin đã có"
    )
    source: SourceOut


class AcceptIn(Schema):
    edits: JsonObject = Field(
        default_factory=dict, description="Sửa dữ kiện trước khi chấp nhận (chỉ các khóa của loại dữ kiện)."
    )
    unit: Id | None = Field(
        None,
        description="Đơn vị tổ chức (hội nghị), đơn vị của số liệu, cấp ủy có các đơn vị sắp xếp, "
        "hoặc đơn vị ban hành văn bản mới (mặc định: cấp ủy ghi trong ký hiệu, nếu thuộc phạm vi, "
        "nếu không thì đơn vị tiếp nhận).",
    )
    target: Id | None = Field(None, description="Chỉ tiêu (số liệu).")
    period: Word | None = Field(None, description="Kỳ báo cáo (số liệu): 2026-Q2 hoặc “Quý II/2026”.")
    expected_version: Version | None = Field(
        None,
        description="Số liệu: phiên bản của kết quả đã xem (0 hoặc bỏ trống: chưa có kết quả). "
        "Kết quả đã có hoặc đã đổi thì không ghi gì, trả 409 kèm giá trị hiện tại.",
    )
    effective: Date | None = Field(None, description="Ngày hiệu lực (sắp xếp đơn vị).")


class RejectIn(Schema):
    reason: Note
