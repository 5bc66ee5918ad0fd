from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from nghiquyet.api.fields import Id, Note, Version, Word, text
from nghiquyet.core.numbers import stored_figure

# A result's id as a JSON object key.
IdKey = Annotated[str, Field(pattern=r"^[0-9]{1,18}$")]
# A goal's key: the whole term, the baseline, or a year.
GoalKey = Annotated[str, Field(pattern=r"^(term|baseline|[0-9]{4})$")]
GoalValue = Word | Decimal | None


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
    rolled_up: bool = Field(
        False,
        description="true: đơn vị không có số liệu riêng, số liệu là tổng hợp từ các đơn vị được giao bên dưới.",
    )
    goal_source: str = Field(
        "", description="Nguồn của mục tiêu: nhập trực tiếp, nhập từ Excel, phân bổ, suy ra."
    )


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
    goal_source: str = Field(
        "",
        description="Nguồn của mục tiêu: nhập trực tiếp, nhập từ Excel, phân bổ từ cấp trên, suy ra theo quy tắc.",
    )
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
    units_of_time: bool = Field(
        False,
        description="true: đọc theo các đơn vị của thời kỳ đó (trước sáp nhập); false: theo đơn vị hiện nay.",
    )
    estimated: bool = Field(
        False, description="true: số liệu tổng hợp có dùng số ước thực hiện (chưa phải số thực hiện)."
    )
    units: list[UnitValueOut]


class ResultOut(Schema):
    id: int
    target_id: int
    unit_id: int
    period: str = Field(..., alias="period_key")
    value: Decimal | None
    is_estimate: bool = Field(
        False, description="true: số ước thực hiện (báo cáo khi kỳ chưa kết thúc), chưa phải số thực hiện."
    )
    estimate: Decimal | None = Field(
        None, description="Số ước thực hiện đã báo cáo; giữ lại khi số thực hiện thay thế."
    )
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

    @staticmethod
    def resolve_value(obj) -> Decimal | None:
        return stored_figure(obj.value)

    @staticmethod
    def resolve_estimate(obj) -> Decimal | None:
        return stored_figure(obj.estimate)


class ResultIn(Schema):
    target: Id
    unit: Id
    period: Word = Field(..., description="Khóa kỳ, ví dụ 2026-Q3, hoặc nhãn “Quý III/2026”.")
    value: Word | Decimal | None = Field(
        None,
        description="Số; chuỗi theo cách viết tiếng Việt được chấp nhận (2.989; 48,93), có thể kèm đơn vị "
        "là bội của đơn vị tính (“4,25 triệu đồng” cho chỉ tiêu tính bằng tỷ đồng); đơn vị khác bị từ chối.",
    )
    estimate: bool | None = Field(
        None,
        description="true: số ước thực hiện (chỉ khi kỳ chưa kết thúc); false: số thực hiện; "
        "bỏ trống: là số ước nếu kỳ chưa kết thúc.",
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
    confirmed: list[Id] = Field(
        default_factory=list,
        max_length=5000,
        description="Mã các kết quả có cảnh báo mà người duyệt đã xem từng số liệu; duyệt nhiều số liệu "
        "cùng lúc mà có số liệu cảnh báo chưa liệt kê ở đây thì bị từ chối (422).",
    )


class ReturnIn(Schema):
    reason: Note = Field(..., description="Lý do trả lại (bắt buộc), đơn vị báo cáo sẽ đọc.")
    expected_version: Version | None = Field(None, description="Phiên bản đã xem; lệch thì bị từ chối (409).")


class GoalOut(Schema):
    value: Decimal | None
    source: str = Field(..., description="typed, imported, apportioned, derived hoặc none.")
    kind: str = Field(..., description="own (tự đặt hoặc nhập), apportioned, derived hoặc none.")
    rule: str = Field("", description="Quy tắc phân bổ (equal, weight, parent) của mục tiêu được phân bổ.")
    label: str = Field(..., description="Nguồn của mục tiêu, bằng lời.")


class GoalHistoryOut(Schema):
    key: str = Field(..., description="term, baseline hoặc năm.")
    value: Decimal | None
    source: str
    rule: str
    effective_from: dt.date | None = Field(..., description="Áp dụng từ ngày; null: từ đầu.")
    recorded_at: dt.datetime
    recorded_by_id: int | None


class AssignmentOut(Schema):
    id: int
    target_id: int
    unit_id: int
    weight: Decimal | None
    version: int
    goals: dict[str, GoalOut] = Field(
        ..., description="Mục tiêu đang áp dụng: term, baseline và từng năm của nhiệm kỳ (kể cả năm suy ra)."
    )
    history: list[GoalHistoryOut]


class AssignIn(Schema):
    units: list[Id] = Field(..., min_length=1, max_length=5000, description="Mã các đơn vị được giao.")
    goals: dict[IdKey, dict[GoalKey, GoalValue]] | None = Field(
        None, description="Mục tiêu riêng của từng đơn vị: {mã đơn vị: {term: số, 2026: số, …}}."
    )
    weights: dict[IdKey, GoalValue] | None = Field(
        None, description="Trọng số của từng đơn vị (ví dụ dân số), cho bình quân gia quyền và phân bổ."
    )
    rule: Literal["equal", "weight", "parent"] | None = Field(
        None,
        description="Phân bổ mục tiêu của cấp trên: equal (chia đều), weight (theo trọng số), "
        "parent (bằng mục tiêu cấp trên, cho tỷ lệ và ngưỡng).",
    )
    apportion_from: Id | None = Field(
        None, description="Đơn vị có mục tiêu được phân bổ; bỏ trống: cấp trên chung của các đơn vị."
    )


class AssignmentPatchIn(Schema):
    expected_version: Version = Field(..., description="Phiên bản đã đọc; lệch thì bị từ chối (409).")
    goals: dict[GoalKey, GoalValue] | None = Field(
        None, description="{term: số, 2026: số, baseline: số}; null rút mục tiêu."
    )
    weight: GoalValue = Field(None, description="Trọng số mới; bỏ trống thì giữ nguyên.")


class AssignmentConflictOut(Schema):
    detail: str
    current: AssignmentOut
