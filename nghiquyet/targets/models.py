"""Targets (chỉ tiêu) of a document, their assignment to units, and results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from nghiquyet.core.periods import Period, PeriodKind, parse_period_key


class TargetGroup(models.TextChoices):
    ECONOMY = "kinh_te", "Kinh tế"
    SOCIETY = "van_hoa_xa_hoi", "Văn hóa – xã hội"
    ENVIRONMENT = "moi_truong", "Môi trường"
    DEFENCE = "quoc_phong_an_ninh", "Quốc phòng – an ninh"
    PARTY = "xay_dung_dang", "Xây dựng Đảng và hệ thống chính trị"


GROUP_ORDER = {g.value: i for i, g in enumerate(TargetGroup)}


class Direction(models.TextChoices):
    HIGHER = "higher", "Càng cao càng tốt"
    LOWER = "lower", "Càng thấp càng tốt"
    THRESHOLD = "threshold", "Đạt ngưỡng"


class TimeAggregation(models.TextChoices):
    SUM = "sum", "Cộng dồn các kỳ (lũy kế)"
    LATEST = "latest", "Số liệu cuối kỳ"
    MEAN = "mean", "Bình quân các kỳ"
    RATIO = "ratio", "Tỷ lệ giữa hai chỉ tiêu"


class UnitAggregation(models.TextChoices):
    SUM = "sum", "Tổng các đơn vị"
    MEAN = "mean", "Bình quân các đơn vị"
    WEIGHTED_MEAN = "weighted_mean", "Bình quân gia quyền"
    COUNT_MEETING = "count_meeting", "Số đơn vị đạt"
    NONE = "none", "Không tổng hợp"


class Judged(models.TextChoices):
    EVERY_PERIOD = "period", "Đánh giá mỗi kỳ"
    YEAR_END = "year_end", "Chỉ đánh giá cuối năm"


class ValueType(models.TextChoices):
    NUMBER = "number", "Số thập phân"
    INTEGER = "integer", "Số nguyên"
    PERCENT = "percent", "Tỷ lệ (%)"


REPORT_KINDS = [
    (PeriodKind.MONTH.value, "Hằng tháng"),
    (PeriodKind.QUARTER.value, "Hằng quý"),
    (PeriodKind.HALF.value, "6 tháng"),
    (PeriodKind.YEAR.value, "Hằng năm"),
]


class Target(models.Model):
    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="targets", verbose_name="văn bản"
    )
    code = models.CharField("mã", max_length=20)
    name = models.CharField("tên chỉ tiêu", max_length=500)
    group = models.CharField("nhóm", max_length=24, choices=TargetGroup.choices)
    measure = models.CharField("đơn vị tính", max_length=64, blank=True)
    value_type = models.CharField(
        "kiểu số liệu", max_length=16, choices=ValueType.choices, default=ValueType.NUMBER
    )
    min_value = models.DecimalField(
        "giá trị nhỏ nhất", max_digits=20, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        "giá trị lớn nhất", max_digits=20, decimal_places=4, null=True, blank=True
    )
    direction = models.CharField(
        "chiều đánh giá", max_length=16, choices=Direction.choices, default=Direction.HIGHER
    )
    baseline_value = models.DecimalField(
        "giá trị gốc", max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_period = models.CharField("kỳ gốc", max_length=32, blank=True)
    target_value = models.DecimalField(
        "mục tiêu cả nhiệm kỳ", max_digits=20, decimal_places=4, null=True, blank=True
    )
    time_aggregation = models.CharField(
        "tổng hợp theo thời gian", max_length=16, choices=TimeAggregation.choices, default=TimeAggregation.SUM
    )
    unit_aggregation = models.CharField(
        "tổng hợp theo đơn vị", max_length=16, choices=UnitAggregation.choices, default=UnitAggregation.SUM
    )
    numerator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="tử số"
    )
    denominator = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="mẫu số"
    )
    report_every = models.CharField(
        "kỳ báo cáo", max_length=16, choices=REPORT_KINDS, default=PeriodKind.QUARTER.value
    )
    judged = models.CharField(
        "thời điểm đánh giá", max_length=16, choices=Judged.choices, default=Judged.EVERY_PERIOD
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    # Bumped by every edit: a writer states the version it read; the values
    # each version held are kept in TargetRevision.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["document", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "code"], name="target_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def goal_for(self, year: int | None) -> Decimal | None:
        """The target's own goal for ``year`` (None: the term's): the year's
        milestone, else one derived by targets.goals' rules, else None."""
        from .goals import target_goals, year_goal

        if year is None:
            return self.target_value
        return year_goal(self, self.document, target_goals(self), year).value


class Milestone(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField("năm")
    value = models.DecimalField("mục tiêu năm", max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = "mục tiêu năm"
        verbose_name_plural = "mục tiêu năm"
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="milestone_unique_year")]


class Assignment(models.Model):
    """A target given to a unit to carry out and report."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="assignments", verbose_name="đơn vị"
    )
    # The unit's weight: for a weighted mean across units and for
    # apportioning a goal by weight (e.g. population, households).
    weight = models.DecimalField("trọng số", max_digits=20, decimal_places=4, null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)
    # The unit's goals are AssignmentGoal rows (with their history), read
    # through targets.goals; every write states the version it read.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        verbose_name = "giao chỉ tiêu"
        verbose_name_plural = "giao chỉ tiêu"
        constraints = [models.UniqueConstraint(fields=["target", "unit"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.target} → {self.unit}"


class GoalKind(models.TextChoices):
    TERM = "term", "Cả nhiệm kỳ"
    YEAR = "year", "Năm"
    BASELINE = "baseline", "Giá trị gốc"


class GoalSource(models.TextChoices):
    """How a goal was obtained. The last two are never stored: they are
    what targets.goals answers for a year it had to derive, or had none."""

    TYPED = "typed", "Nhập trực tiếp"
    IMPORTED = "imported", "Nhập từ Excel"
    APPORTIONED = "apportioned", "Phân bổ từ mục tiêu cấp trên"
    DERIVED = "derived", "Suy ra theo quy tắc"
    NONE = "none", "Chưa có mục tiêu"


class ApportionRule(models.TextChoices):
    EQUAL = "equal", "chia đều cho các đơn vị"
    WEIGHT = "weight", "theo trọng số của đơn vị"
    PARENT = "parent", "bằng mục tiêu của cấp trên"


class AssignmentGoal(models.Model):
    """One recorded value of a unit's goal (term, one year, or its
    baseline). A change never overwrites: it adds a row. A row with no
    ``effective_from`` holds from the beginning (it was set before any
    figure it judges existed); one with a date holds from that day, so a
    period that ended before keeps the goal it was judged against. The
    goal in force on a day is the latest recorded row effective that day
    (``targets.goals``). A null value withdraws the goal."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField("loại", max_length=16, choices=GoalKind.choices)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    value = models.DecimalField("mục tiêu", max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField("nguồn", max_length=16, choices=GoalSource.choices, default=GoalSource.TYPED)
    rule = models.CharField("quy tắc phân bổ", max_length=16, choices=ApportionRule.choices, blank=True)
    effective_from = models.DateField("áp dụng từ ngày", null=True, blank=True)
    recorded_at = models.DateTimeField("thời điểm ghi", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "mục tiêu của đơn vị"
        verbose_name_plural = "mục tiêu của đơn vị"
        ordering = ["assignment", "kind", "year", "recorded_at", "id"]
        indexes = [models.Index(fields=["assignment", "kind", "year", "recorded_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="year", year__isnull=False)
                | (~models.Q(kind="year") & models.Q(year__isnull=True)),
                name="assignment_goal_year_iff_kind_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.get_kind_display()} {self.year or ''}: {self.value}"


class ResultStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã gửi"
    APPROVED = "approved", "Đã duyệt"


# Figures that count in roll-ups and as "reported": submitted ones are in at
# once (a figure is shown as soon as the unit sends it); approval is a
# sign-off on top, not a gate (see rollup's docstring).
COUNTED_STATUSES = (ResultStatus.SUBMITTED, ResultStatus.APPROVED)


class Result(models.Model):
    """One cell: (target, unit, period) → value. Written again, it is
    updated (with a revision), never duplicated."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="results", verbose_name="đơn vị"
    )
    period_key = models.CharField("kỳ", max_length=32)
    period_kind = models.CharField(max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    # Ten decimal places: "4,25 triệu đồng" in a target counted in tỷ đồng
    # is stored as 0,00425 with every digit (targets.actions.clean_value).
    value = models.DecimalField("giá trị", max_digits=26, decimal_places=10, null=True, blank=True)
    # An estimate ("ước thực hiện") reported while the period was running;
    # the actual figure replaces it later, and ``estimate`` keeps the last
    # estimate beside it.
    is_estimate = models.BooleanField("số ước thực hiện", default=False, db_default=False)
    estimate = models.DecimalField(
        "số ước thực hiện đã báo cáo", max_digits=26, decimal_places=10, null=True, blank=True
    )
    note = models.TextField("ghi chú", blank=True)
    status = models.CharField(
        "trạng thái", max_length=16, choices=ResultStatus.choices, default=ResultStatus.DRAFT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reported_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người duyệt",
    )
    approved_at = models.DateTimeField("thời điểm duyệt", null=True, blank=True)
    # Why the figure was last sent back; kept until the unit submits again.
    returned_reason = models.TextField("lý do trả lại", blank=True, default="", db_default="")
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người trả lại",
    )
    returned_at = models.DateTimeField("thời điểm trả lại", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Sent by the unit's deadline (reporting round or window); None: never sent.
    on_time = models.BooleanField("nộp đúng hạn", null=True, blank=True)

    class Meta:
        verbose_name = "kết quả"
        verbose_name_plural = "kết quả"
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "period_key"], name="result_unique_cell")
        ]
        indexes = [
            # Covers the roll-up's reads (grouped per target and unit within a
            # period, with whether a figure is an estimate): the rows are read
            # from the index alone.
            models.Index(
                fields=[
                    "target",
                    "unit",
                    "period_end",
                    "period_start",
                    "status",
                    "period_kind",
                    "value",
                    "is_estimate",
                ],
                name="result_rollup_cover_est",
            ),
            models.Index(fields=["unit", "period_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} – {self.unit} – {self.period.label}: {self.value}"

    @property
    def period(self) -> Period:
        return parse_period_key(self.period_key)

    @property
    def is_returned(self) -> bool:
        """Sent back by an approver and not submitted again since."""
        return self.status == ResultStatus.DRAFT and bool(self.returned_reason)

    @property
    def status_label(self) -> str:
        if self.is_returned:
            return f"Bị trả lại: {self.returned_reason}"
        return self.get_status_display()


class ResultRevision(models.Model):
    """The value a result held before each change."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    value = models.DecimalField(max_digits=26, decimal_places=10, null=True, blank=True)
    is_estimate = models.BooleanField(default=False, db_default=False)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=ResultStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["result", "-version"]


class TargetRevision(models.Model):
    """What a target said (its attributes and yearly milestones) before a
    change: version ``version`` held ``data`` until ``replaced_at``. The
    value in force on a date is read by ``targets.target_history.target_on``."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    replaced_at = models.DateTimeField(db_index=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = "lịch sử chỉ tiêu"
        verbose_name_plural = "lịch sử chỉ tiêu"
        ordering = ["target", "version"]
        constraints = [
            models.UniqueConstraint(fields=["target", "version"], name="target_revision_unique_version")
        ]


class ConfirmedWarning(models.Model):
    """A warning the reporter saw and confirmed when submitting a figure
    ("giá trị tăng 80% so với kỳ trước"), kept for the approver. Tied to
    the version it was confirmed on: a later change is a new figure."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="confirmed_warnings")
    version = models.PositiveIntegerField("phiên bản")
    text = models.TextField("cảnh báo")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xác nhận",
    )
    confirmed_at = models.DateTimeField("thời điểm xác nhận", auto_now_add=True)

    class Meta:
        verbose_name = "cảnh báo đã xác nhận"
        verbose_name_plural = "cảnh báo đã xác nhận"
        indexes = [models.Index(fields=["result", "version"])]

    def __str__(self) -> str:
        return self.text


# Reporting rounds are models of this app (see rounds.py); imported here so
# Django registers them with the app.
from .rounds import EntryException, ReportingRound, RoundDeadline, RoundReport  # noqa: E402, F401
