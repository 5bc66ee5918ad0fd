from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from nghiquyet.api.fields import Date, Id, Note, Version, Word, text

GraceDays = Annotated[int, Field(ge=0, le=60)]
RoundName = text(255)


class RoundIn(Schema):
    documents: list[Id] = Field(..., min_length=1, max_length=50, description="Các văn bản của đợt.")
    unit: Id = Field(..., description="Đơn vị mở đợt (đồng chí cần quyền quản trị tại đó).")
    period: Word = Field(..., description="Khóa kỳ (2026-Q3) hoặc nhãn (Quý III/2026).")
    deadlines: dict[Word, Date] = Field(
        ...,
        description='Hạn báo cáo theo loại đơn vị: {"grassroots": "2026-10-05", "commune": "2026-10-10"}. '
        "Loại không có hạn riêng lấy hạn của loại gần nhất ở trên.",
    )
    unit_deadlines: dict[Word, Date] = Field(
        default_factory=dict,
        description='Hạn riêng của một đơn vị (và các đơn vị trực thuộc): {"<id đơn vị>": ngày}.',
    )
    grace_days: GraceDays = 0
    name: RoundName = ""
    opens_on: Date | None = None


class DeadlineOut(Schema):
    unit_kind: str
    unit_id: int | None
    due: dt.date


class UnitStatusOut(Schema):
    unit_id: int
    name: str
    kind: str
    deadline: dt.date
    closes: dt.date
    state: str = Field(..., description="dung_han, tre_han hoặc chua_bao_cao.")
    reported: int
    expected: int
    report_sent: bool
    locked: bool


class RoundOut(Schema):
    id: int
    name: str
    unit_id: int
    period: str
    documents: list[int]
    grace_days: int
    opens_on: dt.date | None
    closed_at: dt.datetime | None
    version: int
    deadlines: list[DeadlineOut]
    units: list[UnitStatusOut] = Field(default_factory=list)


class ExceptionIn(Schema):
    unit: Id
    until: Date = Field(..., description="Cho phép nhập bổ sung đến hết ngày này (giờ Việt Nam).")
    reason: Note = ""


class ExceptionOut(Schema):
    id: int
    round_id: int | None
    unit_id: int
    period: str = Field(..., alias="period_key")
    until: dt.date


class CloseIn(Schema):
    expected_version: Version | None = None


class WithdrawIn(Schema):
    unit: Id
    reason: Note


class RoundReportOut(Schema):
    id: int
    round_id: int
    unit_id: int
    name: str
    size: int
    on_time: bool
    uploaded_at: dt.datetime
