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
    goal: Decimal | None = Field(..., description="Mục tiêu riêng của đơn vị; null nếu chưa được giao.")
    outcome: str
    achievement: Decimal | None
    share: Decimal | None = Field(
        None, description="Tỷ trọng (%) trong số liệu chung, với chỉ tiêu cộng được."
    )
    reason: str | None = Field(None, description="Lý do chưa đánh giá (khi outcome là chua_danh_gia).")


class CoverageOut(Schema):
    reported: int = Field(..., description="Số đơn vị đã có số liệu.")
    expected: int = Field(..., description="Số đơn vị phải báo cáo.")


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
    provisional: bool = Field(
        ..., description="true: kỳ chưa kết thúc hoặc chưa hết hạn báo cáo, số liệu tạm tính, chưa đánh giá."
    )
    coverage: CoverageOut
    reason: str | None = Field(None, description="Lý do chưa đánh giá (khi outcome là chua_danh_gia).")
    cap_used: Decimal | None = Field(
        None, description="Chỉ tiêu càng thấp càng tốt, trước khi hết năm: phần trăm mức trần cả năm đã dùng."
    )
    share_of_parent: Decimal | None = Field(
        None, description="Đơn vị chưa có mục tiêu riêng: tỷ trọng (%) trong số liệu của cấp trên."
    )
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
    on_time: bool | None = Field(
        None, description="Gửi đúng hạn (hạn của đợt báo cáo hoặc thời hạn báo cáo của kỳ); null: chưa gửi."
    )


class ResultIn(Schema):
    target: Id
    unit: Id
    period: Word = Field(..., description="Khóa kỳ, ví dụ 2026-Q3, hoặc nhãn “Quý III/2026”.")
    value: Word | Decimal | None = Field(
        None, description="Số; chuỗi theo cách viết tiếng Việt được chấp nhận (2.989; 48,93)."
    )
    note: Note | None = Field(None, description="Ghi chú; bỏ trống thì giữ ghi chú đã có.")
    submit: bool | None = Field(
        None,
        description="true: gửi báo cáo; false: lưu nháp; bỏ trống: giữ trạng thái hiện tại "
        "(số liệu mới là nháp).",
    )
    expected_version: Version | None = Field(
        None,
        description="Phiên bản đã đọc (0 hoặc bỏ trống nếu chưa có số liệu). Bắt buộc khi sửa số liệu "
        "đã có: bỏ trống hoặc lệch phiên bản thì bị từ chối (409) kèm số liệu hiện tại.",
    )


class ResultConflictOut(Schema):
    detail: str
    current: ResultOut | None = Field(None, description="Số liệu hiện tại (null nếu không còn).")


class ApproveIn(Schema):
    results: list[Id] = Field(..., min_length=1, max_length=5000, description="Mã các kết quả cần duyệt.")
    versions: dict[IdKey, Version] | None = Field(
        None, description="Phiên bản đã xem của từng kết quả (mã → phiên bản); lệch thì bị từ chối (409)."
    )


class ReturnIn(Schema):
    reason: Note = Field(..., description="Lý do trả lại (bắt buộc), đơn vị báo cáo sẽ đọc.")
    expected_version: Version | None = Field(None, description="Phiên bản đã xem; lệch thì bị từ chối (409).")
