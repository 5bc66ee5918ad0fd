from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from nghiquyet.api.fields import LONG_TEXT_MAX, Date, Id, Version, Year, text

LongText = text(LONG_TEXT_MAX)
Title = text(500)
Sign = text(64)
Number = text(32)
IssuerName = text(255)


class DocumentOut(Schema):
    id: int
    kind: str
    sign: str
    number: str
    title: str
    issuing_unit_id: int | None
    issuer_name: str
    issued: dt.date | None
    term_start: int | None
    term_end: int | None
    valid_to: dt.date | None
    version: int


class DocumentDetailOut(DocumentOut):
    summary: str
    implements: list[int]
    implemented_by: list[int]
    targets: list[int]


# Writes (issue 13 item 1). Field lengths are the model's.
Kind = text(16)


class DocumentIn(Schema):
    kind: Kind = Field(..., description="Loại văn bản, ví dụ nghi_quyet, chuong_trinh, ke_hoach.")
    title: Title = Field(..., description="Trích yếu.")
    sign: Sign = Field("", description="Số, ký hiệu, ví dụ 79-CTr/TU; lưu theo dạng chuẩn.")
    number: Number = ""
    issuing_unit_id: Id | None = Field(
        None,
        description="Cơ quan ban hành: đơn vị đồng chí quản trị; đơn vị Trung ương hoặc bỏ trống: văn bản "
        "dùng chung của cấp trên (ghép theo số, ký hiệu, không tạo trùng).",
    )
    issuer_name: IssuerName = ""
    issued: Date | None = None
    term_start: Year | None = None
    term_end: Year | None = None
    summary: LongText = ""
    implements: list[Id] = Field(
        [], max_length=50, description="Mã các văn bản cấp trên mà văn bản này thực hiện."
    )


class DocumentPatch(Schema):
    expected_version: Version | None = Field(
        None, description="Phiên bản đã đọc (bắt buộc); lệch thì bị từ chối (409) kèm văn bản hiện tại."
    )
    kind: Kind | None = None
    title: Title | None = None
    sign: Sign | None = None
    number: Number | None = None
    issuing_unit_id: Id | None = None
    issuer_name: IssuerName | None = None
    issued: Date | None = None
    term_start: Year | None = None
    term_end: Year | None = None
    valid_to: Date | None = None
    summary: LongText | None = None
    implements: list[Id] | None = Field(
        None, max_length=50, description="Thay toàn bộ danh sách văn bản cấp trên."
    )


class DocumentCreatedOut(DocumentOut):
    created: bool = Field(..., description="false: văn bản dùng chung đã có, trả về bản ghi có sẵn.")


class DocumentConflictOut(Schema):
    detail: str
    current: DocumentOut | None = None
