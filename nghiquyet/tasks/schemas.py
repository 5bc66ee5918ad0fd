from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from nghiquyet.api.fields import LONG_TEXT_MAX, Date, Id, Note, Version, Word, text

Title = text(500)
LongText = text(LONG_TEXT_MAX)


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    lead_unit_id: int
    deadline: dt.date | None
    status: str
    overdue: bool
    completed_on: dt.date | None
    source_document_id: int | None
    source_conclusion_id: int | None
    version: int

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()


class TaskStatusIn(Schema):
    status: Word
    note: Note = ""


class TaskIn(Schema):
    title: Title
    lead_unit: Id = Field(..., description="Đơn vị chủ trì: đơn vị đồng chí quản trị.")
    cooperating_units: list[Id] = Field([], max_length=200, description="Các đơn vị phối hợp.")
    kind: Word = Field("thuong_xuyen", description="trong_tam, dot_pha, thuong_xuyen.")
    deadline: Date | None = None
    description: LongText = ""
    source_document: Id | None = Field(None, description="Văn bản giao nhiệm vụ.")


class TaskPatch(Schema):
    expected_version: Version | None = Field(
        None, description="Phiên bản đã đọc (bắt buộc); lệch thì bị từ chối (409) kèm nhiệm vụ hiện tại."
    )
    title: Title | None = None
    lead_unit: Id | None = None
    cooperating_units: list[Id] | None = Field(None, max_length=200)
    kind: Word | None = None
    deadline: Date | None = None
    description: LongText | None = None
    source_document: Id | None = None


class TaskConflictOut(Schema):
    detail: str
    current: TaskOut | None = None
