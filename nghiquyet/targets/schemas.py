from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from nghiquyet.api.fields import Id, Note, Version, Word, text

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
    judged: str
    baseline_period: str
    milestones: dict[str, Decimal] = Field(..., description='Mục tiêu từng năm: {"2026": giá trị, …}.')
    min_value: Decimal | None
    max_value: Decimal | None
    numerator_id: int | None
    denominator_id: int | None
    version: int

    @staticmethod
    def resolve_milestones(obj) -> dict[str, Decimal]:
        return {str(m.year): m.value for m in sorted(obj.milestones.all(), key=lambda m: m.year)}


Code = text(20)
Name = text(500)
Measure = text(64)
PeriodText = text(32)

# A year as a JSON object key ("2026").
YearKey = Annotated[str, Field(pattern=r"^(19[4-9][0-9]|20[0-9][0-9]|2100)$")]
# A number: JSON number or Vietnamese text ("48,93").
Amount = Word | Decimal | None


class TargetIn(Schema):
    code: Code = Field(..., description="Mã chỉ tiêu, duy nhất trong văn bản (ví dụ 1, 2a).")
    name: Name
    group: Word = Field(
        ..., description="kinh_te, van_hoa_xa_hoi, moi_truong, quoc_phong_an_ninh, xay_dung_dang."
    )
    measure: Measure = ""
    value_type: Word = Field("number", description="number, integer, percent.")
    direction: Word = Field("higher", description="higher, lower, threshold.")
    baseline_value: Amount = None
    baseline_period: PeriodText = ""
    target_value: Amount = Field(None, description="Mục tiêu cả nhiệm kỳ.")
    milestones: dict[YearKey, Amount] | None = Field(
        None, max_length=50, description='Mục tiêu từng năm: {"2026": giá trị, …}.'
    )
    report_every: Word = Field("quarter", description="month, quarter, half, year.")
    time_aggregation: Word = Field("sum", description="sum, latest, mean, ratio.")
    unit_aggregation: Word = Field("sum", description="sum, mean, weighted_mean, count_meeting, none.")
    judged: Word = Field("period", description="period (mỗi kỳ) hoặc year_end (chỉ cuối năm).")
    numerator: Id | None = Field(None, description="Chỉ tiêu tỷ lệ: mã chỉ tiêu tử số (cùng văn bản).")
    denominator: Id | None = Field(None, description="Chỉ tiêu tỷ lệ: mã chỉ tiêu mẫu số (cùng văn bản).")
    min_value: Amount = None
    max_value: Amount = None
    order: Annotated[int, Field(ge=0, le=100000)] = 0


class TargetPatch(Schema):
    expected_version: Version | None = Field(
        None, description="Phiên bản đã đọc (bắt buộc); lệch thì bị từ chối (409) kèm chỉ tiêu hiện tại."
    )
    code: Code | None = None
    name: Name | None = None
    group: Word | None = None
    measure: Measure | None = None
    value_type: Word | None = None
    direction: Word | None = None
    baseline_value: Amount = None
    baseline_period: PeriodText | None = None
    target_value: Amount = None
    milestones: dict[YearKey, Amount] | None = Field(
        None, max_length=50, description="Thay toàn bộ mục tiêu năm (năm không có trong danh sách bị xóa)."
    )
    report_every: Word | None = None
    time_aggregation: Word | None = None
    unit_aggregation: Word | None = None
    judged: Word | None = None
    numerator: Id | None = None
    denominator: Id | None = None
    min_value: Amount = None
    max_value: Amount = None
    order: Annotated[int, Field(ge=0, le=100000)] | None = None


class TargetConflictOut(Schema):
    detail: str
    current: TargetOut | None = None


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
