from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


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


class ResultIn(Schema):
    target: int
    unit: int
    period: str = Field(..., description="Khóa kỳ, ví dụ 2026-Q3, hoặc nhãn “Quý III/2026”.")
    value: str | Decimal | None = Field(
        None, description="Số; chuỗi theo cách viết tiếng Việt được chấp nhận (2.989; 48,93)."
    )
    note: str = ""
    submit: bool = False
    expected_version: int | None = Field(
        None, description="Phiên bản đã đọc (0 nếu chưa có); lệch phiên bản thì bị từ chối (409)."
    )
