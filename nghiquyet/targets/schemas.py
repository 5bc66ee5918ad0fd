from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from nghiquyet.api.fields import Id, Note, Version, Word

# A result's id as a JSON object key.
IdKey = Annotated[str, Field(pattern=r"^[0-9]{1,18}$")]


class TargetOut(Schema):
    id: int
    document_id: int
    code: str
    name: str
    group: str
    measure: str
    value_type: str
    direction: str
    baseline_value: Decimal | None
    target_value: Decimal | None
    report_every: str
    time_aggregation: str
    unit_aggregation: str


class UnitValueOut(Schema):
    unit_id: int
    value: Decimal | None
    goal: Decimal | None
    outcome: str
    achievement: Decimal | None


class RollupOut(Schema):
    target_id: int
    unit_id: int
    period: str
    period_label: str
    value: Decimal | None
    goal: Decimal | None
    achievement: Decimal | None
    outcome: str
    outcome_label: str
    expected_units: int
    reporting_units: int
    units: list[UnitValueOut]


class ResultOut(Schema):
    id: int
    target_id: int
    unit_id: int
    period: str = Field(..., alias="period_key")
    value: Decimal | None
    note: str
    status: str
    version: int
    submitted_at: dt.datetime | None
    approved_by_id: int | None = None
    approved_at: dt.datetime | None = None
    returned_reason: str = ""


class ResultIn(Schema):
    target: Id
    unit: Id
    period: Word = Field(..., description="Khóa kỳ, ví dụ 2026-Q3, hoặc nhãn “Quý III/2026”.")
    value: Word | Decimal | None = Field(
        None, description="Số; chuỗi theo cách viết tiếng Việt được chấp nhận (2.989; 48,93)."
    )
    note: Note = ""
    submit: bool = False
    expected_version: Version | None = Field(
        None, description="Phiên bản đã đọc (0 nếu chưa có); lệch phiên bản thì bị từ chối (409)."
    )


class ApproveIn(Schema):
    results: list[Id] = Field(..., min_length=1, max_length=5000, description="Mã các kết quả cần duyệt.")
    versions: dict[IdKey, Version] | None = Field(
        None, description="Phiên bản đã xem của từng kết quả (mã → phiên bản); lệch thì bị từ chối (409)."
    )


class ReturnIn(Schema):
    reason: Note = Field(..., description="Lý do trả lại (bắt buộc), đơn vị báo cáo sẽ đọc.")
    expected_version: Version | None = Field(None, description="Phiên bản đã xem; lệch thì bị từ chối (409).")
