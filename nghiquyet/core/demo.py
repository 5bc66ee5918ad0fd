"""Demo data: one province's work on top of the real units.

Hà Tĩnh, term 2025–2030: the congress resolution with its targets, two
programs implementing it, targets assigned to every current commune,
quarterly and yearly results from Quý III/2025 with realistic gaps and
late reporters, tasks, meetings with their people, and a user for each
role. Everything is fictional (names, figures, document numbers) and
written for this project.

Documents, tasks, meetings, people and assignments go through their
actions; the thousands of result cells are bulk-inserted, with one audit
row for the demo load. All in one transaction; a second run changes
nothing. Values come from seeded generators, so every run gives the same
figures.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from nghiquyet.accounts.models import Membership, Role
from nghiquyet.audit.actions import record
from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period
from nghiquyet.documents.actions import do_create_document
from nghiquyet.documents.models import Document
from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
from nghiquyet.meetings.models import Participant
from nghiquyet.orgs.actions import do_add_position, do_create_person, do_create_unit
from nghiquyet.orgs.loader import load_units
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.rounds.actions import do_open_round
from nghiquyet.targets.actions import do_apportion_goals, do_assign_target
from nghiquyet.targets.locks import reporting_closes
from nghiquyet.targets.models import (
    Direction,
    Judged,
    Milestone,
    Result,
    ResultStatus,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from nghiquyet.tasks.actions import do_create_task, do_set_task_status
from nghiquyet.tasks.models import TaskKind, TaskStatus

PROVINCE_CODE = "42"  # Hà Tĩnh
OUTSIDER_PROVINCE_CODE = "40"  # Nghệ An
REPORTER_COMMUNE = "Đảng ủy xã Đức Thọ"
RESOLUTION_SIGN = "01-NQ/ĐH"
PASSWORD = "demo2025"
FIRST_QUARTER = Period.quarter(2025, 3)
LAST_QUARTER = Period.quarter(2026, 3)

G = TargetGroup
D = Direction
TA = TimeAggregation
UA = UnitAggregation
Q = "quarter"
Y = "year"


@dataclass
class Spec:
    """A target and how its fictional figures are drawn.

    ``lo``–``hi``: a commune's level in 2025 (a stock or rate) or its
    yearly amount (a flow); ``trend``: change per year (added to a rate,
    a growth factor for a flow); ``noise``: spread of each figure.
    """

    code: str
    name: str
    group: str
    measure: str
    vtype: str
    direction: str
    baseline: float | None
    target: float | None
    time: str
    unit: str
    every: str
    lo: float
    hi: float
    trend: float = 0.0
    noise: float = 0.03
    judged: str = Judged.EVERY_PERIOD
    milestones: dict[int, float] = field(default_factory=dict)
    assign: str = "communes"  # "communes", "rural" (xã only), "province"
    # The province's goals apportioned to the communes by this rule (ApportionRule), weights = households.
    apportion: str = ""
    unit_goal: float | None = None  # each commune's goal, for count_meeting
    weighted: bool = False  # weight communes by their households
    ratio_of: tuple[str, str] | None = None  # (numerator code, denominator code)
    part_of: tuple[str, float, float] | None = None  # (whole's code, share low, share high)


NUMBER, INTEGER, PERCENT = ValueType.NUMBER, ValueType.INTEGER, ValueType.PERCENT

RESOLUTION_TARGETS = [
    # Kinh tế
    Spec(
        "1",
        "Tốc độ tăng trưởng kinh tế (GRDP) bình quân hằng năm",
        G.ECONOMY,
        "%",
        PERCENT,
        D.HIGHER,
        6.9,
        10.0,
        TA.MEAN,
        UA.NONE,
        Y,
        7.2,
        7.2,
        1.0,
        0.02,
        Judged.YEAR_END,
        {2026: 8.5, 2027: 9.0, 2028: 10.0, 2029: 10.5, 2030: 11.0},
        assign="province",
    ),
    Spec(
        "2",
        "GRDP bình quân đầu người",
        G.ECONOMY,
        "triệu đồng",
        NUMBER,
        D.HIGHER,
        78.5,
        140.0,
        TA.LATEST,
        UA.NONE,
        Y,
        79.0,
        79.0,
        10.0,
        0.01,
        Judged.YEAR_END,
        {2026: 88, 2027: 99, 2028: 112, 2029: 125, 2030: 140},
        assign="province",
    ),
    Spec(
        "3",
        "Tổng thu ngân sách nhà nước trên địa bàn xã",
        G.ECONOMY,
        "tỷ đồng",
        NUMBER,
        D.HIGHER,
        3900,
        6500,
        TA.SUM,
        UA.SUM,
        Q,
        25,
        110,
        0.10,
        0.18,
        Judged.EVERY_PERIOD,
        {2026: 4300, 2027: 4750, 2028: 5250, 2029: 5850, 2030: 6500},
    ),
    Spec(
        "4",
        "Tổng vốn đầu tư toàn xã hội",
        G.ECONOMY,
        "tỷ đồng",
        NUMBER,
        D.HIGHER,
        46000,
        80000,
        TA.SUM,
        UA.NONE,
        Q,
        47000,
        47000,
        0.12,
        0.10,
        Judged.EVERY_PERIOD,
        {2026: 52000, 2027: 58000, 2028: 65000, 2029: 72000, 2030: 80000},
        assign="province",
    ),
    Spec(
        "5",
        "Số doanh nghiệp thành lập mới",
        G.ECONOMY,
        "doanh nghiệp",
        INTEGER,
        D.HIGHER,
        820,
        1200,
        TA.SUM,
        UA.SUM,
        Q,
        4,
        25,
        0.08,
        0.35,
        Judged.EVERY_PERIOD,
        {2026: 900, 2027: 980, 2028: 1050, 2029: 1120, 2030: 1200},
    ),
    Spec(
        "6",
        "Số xã đạt chuẩn nông thôn mới nâng cao (xã báo cáo số tiêu chí đạt/19)",
        G.ECONOMY,
        "xã",
        INTEGER,
        D.HIGHER,
        9,
        35,
        TA.LATEST,
        UA.COUNT_MEETING,
        Y,
        14,
        19.6,
        1.2,
        0.0,
        Judged.YEAR_END,
        {2026: 14, 2027: 19, 2028: 25, 2029: 30, 2030: 35},
        assign="rural",
        unit_goal=19,
    ),
    # Văn hóa – xã hội
    Spec(
        "7",
        "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều",
        G.SOCIETY,
        "%",
        PERCENT,
        D.LOWER,
        2.85,
        1.0,
        TA.LATEST,
        UA.WEIGHTED_MEAN,
        Y,
        0.6,
        5.2,
        -0.45,
        0.08,
        Judged.YEAR_END,
        {2026: 2.4, 2027: 2.0, 2028: 1.6, 2029: 1.3, 2030: 1.0},
        weighted=True,
    ),
    Spec(
        "8",
        "Tỷ lệ lao động qua đào tạo",
        G.SOCIETY,
        "%",
        PERCENT,
        D.HIGHER,
        72.0,
        80.0,
        TA.LATEST,
        UA.WEIGHTED_MEAN,
        Y,
        64,
        80,
        1.6,
        0.01,
        Judged.YEAR_END,
        {2026: 73.5, 2027: 75, 2028: 76.5, 2029: 78, 2030: 80},
        weighted=True,
    ),
    Spec(
        "9",
        "Tỷ lệ dân số tham gia bảo hiểm y tế",
        G.SOCIETY,
        "%",
        PERCENT,
        D.HIGHER,
        93.2,
        96.0,
        TA.LATEST,
        UA.MEAN,
        Q,
        89,
        97.5,
        0.6,
        0.004,
        Judged.EVERY_PERIOD,
        {2026: 93.8, 2027: 94.4, 2028: 95, 2029: 95.5, 2030: 96},
    ),
    Spec(
        "10",
        "Số lao động được tạo việc làm mới",
        G.SOCIETY,
        "người",
        INTEGER,
        D.HIGHER,
        21000,
        23000,
        TA.SUM,
        UA.SUM,
        Q,
        180,
        520,
        0.02,
        0.25,
        Judged.EVERY_PERIOD,
        {2026: 21500, 2027: 22000, 2028: 22500, 2029: 22800, 2030: 23000},
    ),
    Spec(
        "11",
        "Số bác sĩ trên 1 vạn dân",
        G.SOCIETY,
        "bác sĩ",
        NUMBER,
        D.HIGHER,
        11.2,
        15.0,
        TA.LATEST,
        UA.NONE,
        Y,
        11.4,
        11.4,
        0.7,
        0.01,
        Judged.YEAR_END,
        {2026: 12, 2027: 12.8, 2028: 13.6, 2029: 14.3, 2030: 15},
        assign="province",
    ),
    # Môi trường
    Spec(
        "12",
        "Tỷ lệ che phủ rừng",
        G.ENVIRONMENT,
        "%",
        PERCENT,
        D.THRESHOLD,
        52.3,
        52.0,
        TA.LATEST,
        UA.NONE,
        Y,
        52.4,
        52.4,
        0.05,
        0.002,
        Judged.YEAR_END,
        assign="province",
    ),
    Spec(
        "13",
        "Tỷ lệ chất thải rắn sinh hoạt được thu gom, xử lý",
        G.ENVIRONMENT,
        "%",
        PERCENT,
        D.HIGHER,
        88.0,
        98.0,
        TA.LATEST,
        UA.MEAN,
        Q,
        72,
        99,
        2.0,
        0.01,
        Judged.EVERY_PERIOD,
        {2026: 90, 2027: 92, 2028: 94, 2029: 96, 2030: 98},
    ),
    Spec(
        "14",
        "Tỷ lệ dân số được sử dụng nước sạch theo quy chuẩn",
        G.ENVIRONMENT,
        "%",
        PERCENT,
        D.HIGHER,
        68.0,
        85.0,
        TA.LATEST,
        UA.WEIGHTED_MEAN,
        Y,
        40,
        98,
        3.5,
        0.01,
        Judged.YEAR_END,
        {2026: 71, 2027: 74.5, 2028: 78, 2029: 81.5, 2030: 85},
        weighted=True,
    ),
    # Quốc phòng – an ninh
    Spec(
        "15",
        "Số xã, phường, đặc khu đạt tiêu chuẩn an toàn về an ninh, trật tự",
        G.DEFENCE,
        "xã, phường",
        INTEGER,
        D.HIGHER,
        58,
        69,
        TA.LATEST,
        UA.COUNT_MEETING,
        Y,
        0.92,
        1.35,
        0.0,
        0.0,
        Judged.YEAR_END,
        {2026: 62, 2027: 64, 2028: 66, 2029: 68, 2030: 69},
        unit_goal=1,
    ),
    Spec(
        "16",
        "Số vụ phạm pháp hình sự",
        G.DEFENCE,
        "vụ",
        INTEGER,
        D.LOWER,
        690,
        560,
        TA.SUM,
        UA.SUM,
        Q,
        3,
        22,
        -0.05,
        0.4,
        Judged.EVERY_PERIOD,
        {2026: 660, 2027: 630, 2028: 600, 2029: 580, 2030: 560},
    ),
    Spec(
        "17",
        "Tỷ lệ hoàn thành chỉ tiêu giao quân",
        G.DEFENCE,
        "%",
        PERCENT,
        D.THRESHOLD,
        100,
        100,
        TA.LATEST,
        UA.MEAN,
        Y,
        97,
        104,
        0.0,
        0.0,
        Judged.YEAR_END,
    ),
    # Xây dựng Đảng và hệ thống chính trị
    Spec(
        "18",
        "Số đảng viên mới kết nạp",
        G.PARTY,
        "đảng viên",
        INTEGER,
        D.HIGHER,
        2150,
        11000,
        TA.SUM,
        UA.SUM,
        Q,
        14,
        48,
        0.0,
        0.35,
        Judged.EVERY_PERIOD,
        {2026: 2200, 2027: 2200, 2028: 2200, 2029: 2200, 2030: 2200},
        apportion="weight",
    ),
    Spec(
        "19",
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        G.PARTY,
        "%",
        PERCENT,
        D.HIGHER,
        88.0,
        90.0,
        TA.LATEST,
        UA.MEAN,
        Y,
        78,
        100,
        0.5,
        0.02,
        Judged.YEAR_END,
    ),
    Spec(
        "20a",
        "Số hồ sơ thủ tục hành chính tiếp nhận",
        G.PARTY,
        "hồ sơ",
        INTEGER,
        D.HIGHER,
        None,
        None,
        TA.SUM,
        UA.SUM,
        Q,
        900,
        5200,
        0.06,
        0.12,
        Judged.EVERY_PERIOD,
    ),
    Spec(
        "20b",
        "Số hồ sơ thủ tục hành chính giải quyết đúng hạn",
        G.PARTY,
        "hồ sơ",
        INTEGER,
        D.HIGHER,
        None,
        None,
        TA.SUM,
        UA.SUM,
        Q,
        0,
        0,
        part_of=("20a", 0.93, 0.998),
    ),
    Spec(
        "20",
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
        G.PARTY,
        "%",
        PERCENT,
        D.HIGHER,
        96.5,
        99.0,
        TA.RATIO,
        UA.NONE,
        Q,
        0,
        0,
        0,
        0,
        Judged.EVERY_PERIOD,
        {2026: 97.5, 2027: 98, 2028: 98.5, 2029: 99, 2030: 99},
        assign="none",
        ratio_of=("20b", "20a"),
    ),
]

DIGITAL_TARGETS = [
    Spec(
        "CĐS1",
        "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
        G.ECONOMY,
        "%",
        PERCENT,
        D.HIGHER,
        55.0,
        90.0,
        TA.LATEST,
        UA.MEAN,
        Q,
        30,
        75,
        8.0,
        0.03,
        Judged.EVERY_PERIOD,
        {2026: 65, 2027: 72, 2028: 80, 2029: 85, 2030: 90},
    ),
    Spec(
        "CĐS2",
        "Tỷ lệ hộ gia đình có kết nối internet cáp quang",
        G.ECONOMY,
        "%",
        PERCENT,
        D.HIGHER,
        82.0,
        98.0,
        TA.LATEST,
        UA.WEIGHTED_MEAN,
        Q,
        60,
        97,
        3.0,
        0.01,
        Judged.EVERY_PERIOD,
        {2026: 86, 2027: 90, 2028: 93, 2029: 96, 2030: 98},
        weighted=True,
    ),
    Spec(
        "CĐS3",
        "Tỷ trọng kinh tế số trong GRDP",
        G.ECONOMY,
        "%",
        PERCENT,
        D.HIGHER,
        9.5,
        20.0,
        TA.LATEST,
        UA.NONE,
        Y,
        10.1,
        10.1,
        2.0,
        0.02,
        Judged.YEAR_END,
        {2026: 12, 2027: 14, 2028: 16, 2029: 18, 2030: 20},
        assign="province",
    ),
]

RURAL_TARGETS = [
    Spec(
        "NTM1",
        "Số hộ thoát nghèo",
        G.SOCIETY,
        "hộ",
        INTEGER,
        D.HIGHER,
        3100,
        15000,
        TA.SUM,
        UA.SUM,
        Q,
        20,
        110,
        -0.05,
        0.4,
        Judged.EVERY_PERIOD,
        {2026: 3000, 2027: 3000, 2028: 3000, 2029: 3000, 2030: 3000},
        assign="rural",
    ),
    Spec(
        "NTM2",
        "Số km đường giao thông nông thôn được cứng hóa",
        G.SOCIETY,
        "km",
        NUMBER,
        D.HIGHER,
        420,
        2000,
        TA.SUM,
        UA.SUM,
        Q,
        2,
        14,
        0.0,
        0.5,
        Judged.EVERY_PERIOD,
        {2026: 400, 2027: 400, 2028: 400, 2029: 400, 2030: 400},
        assign="rural",
    ),
    Spec(
        "NTM3",
        "Thu nhập bình quân đầu người khu vực nông thôn",
        G.SOCIETY,
        "triệu đồng",
        NUMBER,
        D.HIGHER,
        54.0,
        90.0,
        TA.LATEST,
        UA.WEIGHTED_MEAN,
        Y,
        42,
        66,
        6.0,
        0.02,
        Judged.YEAR_END,
        {2026: 60, 2027: 67, 2028: 74, 2029: 82, 2030: 90},
        assign="rural",
        weighted=True,
    ),
]

# Departments of the provincial committee and state bodies that lead tasks.
BODIES = [
    ("Văn phòng Tỉnh ủy", UnitKind.BOARD),
    ("Ban Tổ chức Tỉnh ủy", UnitKind.BOARD),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy", UnitKind.BOARD),
    ("Ủy ban Kiểm tra Tỉnh ủy", UnitKind.BOARD),
    ("Ủy ban nhân dân tỉnh", UnitKind.COMMITTEE),
    ("Sở Tài chính", UnitKind.AGENCY),
    ("Sở Nông nghiệp và Môi trường", UnitKind.AGENCY),
    ("Sở Khoa học và Công nghệ", UnitKind.AGENCY),
    ("Công an tỉnh", UnitKind.AGENCY),
]

PEOPLE = [
    # (name, birth year, title, body or None for the provincial committee)
    ("Trần Minh Khang", 1970, "Bí thư Tỉnh ủy", None),
    ("Lê Thị Thu Hà", 1972, "Phó Bí thư Thường trực Tỉnh ủy", None),
    ("Phan Quốc Bảo", 1974, "Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Hoàng Văn Sơn", 1973, "Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Tỉnh ủy", "Ban Tổ chức Tỉnh ủy"),
    (
        "Võ Thị Lan",
        1975,
        "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
        "Ủy ban Kiểm tra Tỉnh ủy",
    ),
    ("Đặng Thị Mai", 1978, "Chánh Văn phòng Tỉnh ủy", "Văn phòng Tỉnh ủy"),
    ("Nguyễn Hữu Tâm", 1976, "Giám đốc Sở Tài chính", "Sở Tài chính"),
    ("Bùi Đức Thắng", 1977, "Bí thư Đảng ủy xã Đức Thọ", REPORTER_COMMUNE),
]


def seasonal(quarter: int) -> float:
    """Most flows (revenue, investment) bunch up toward the year's end."""
    return {1: 0.8, 2: 0.95, 3: 1.0, 4: 1.25}[quarter]


def demo_periods(every: str, today: dt.date) -> list[Period]:
    """The reporting periods that have demo results: quarters from
    Quý III/2025 to Quý III/2026, the year 2025; only those begun by ``today``."""
    if every == Y:
        periods = [Period.year(2025)]
    else:
        periods, p = [], FIRST_QUARTER
        while p.start <= LAST_QUARTER.start:
            periods.append(p)
            p = Period.quarter(p.end.year + (p.end.month == 12), p.end.month % 12 // 3 + 1)
    return [p for p in periods if p.start <= today]


@dataclass
class DemoReport:
    created: bool
    counts: dict[str, int]
    logins: list[tuple[str, str, str, str]]

    def summary(self) -> str:
        """What `nghiquyet demo` prints, in Vietnamese."""
        if not self.created:
            head = "Đã có dữ liệu mẫu của Tỉnh ủy Hà Tĩnh. Không thay đổi gì."
        else:
            c = self.counts
            head = (
                "Đã tạo dữ liệu mẫu của Tỉnh ủy Hà Tĩnh: "
                f"{format_number(c['documents'])} văn bản, {format_number(c['targets'])} chỉ tiêu, "
                f"{format_number(c['assignments'])} lượt giao chỉ tiêu, {format_number(c['results'])} kết quả, "
                f"{format_number(c['tasks'])} nhiệm vụ, {format_number(c['meetings'])} hội nghị."
            )
        return head + "\n\nTài khoản dùng thử:\n" + logins_table(self.logins)


def logins_table(rows: list[tuple[str, str, str, str]]) -> str:
    head = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]

    def line(r):
        return "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()

    return "\n".join([line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def _logins(province: OrgUnit, reporter_commune: OrgUnit, outsider_province: OrgUnit):
    return [
        ("admin", PASSWORD, "Quản trị hệ thống", "Toàn hệ thống"),
        ("qt_hatinh", PASSWORD, Role.ADMIN.label, province.name),
        ("lanhdao_hatinh", PASSWORD, Role.VIEWER.label, province.name),
        ("baocao_ductho", PASSWORD, Role.REPORTER.label, reporter_commune.name),
        ("duyet_ductho", PASSWORD, Role.APPROVER.label, reporter_commune.name),
        ("qt_nghean", PASSWORD, Role.ADMIN.label, outsider_province.name),
    ]


def load_demo(today: dt.date | None = None) -> DemoReport:
    """Add Hà Tĩnh's demo work (loading the units first if they are
    missing). Runs in one transaction; a second run changes nothing."""
    today = today or timezone.localdate()
    if not OrgUnit.objects.filter(
        kind=UnitKind.PROVINCE, code=PROVINCE_CODE, area__isnull=False, valid_to__isnull=True
    ).exists():
        load_units()
    province = OrgUnit.objects.get(
        kind=UnitKind.PROVINCE, code=PROVINCE_CODE, area__isnull=False, valid_to__isnull=True
    )
    outsider = OrgUnit.objects.get(
        kind=UnitKind.PROVINCE, code=OUTSIDER_PROVINCE_CODE, area__isnull=False, valid_to__isnull=True
    )
    communes = list(
        OrgUnit.objects.subtree(province).current().filter(kind=UnitKind.COMMUNE).order_by("code")
    )
    duc_tho = next(c for c in communes if c.name == REPORTER_COMMUNE)
    logins = _logins(province, duc_tho, outsider)
    if Document.objects.filter(sign=RESOLUTION_SIGN, issuing_unit=province).exists():
        return DemoReport(False, {}, logins)
    with transaction.atomic():
        counts = _build(province, outsider, communes, duc_tho, today)
    return DemoReport(True, counts, logins)


def _build(province, outsider, communes, duc_tho, today) -> dict[str, int]:
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser("admin", "admin@example.invalid", PASSWORD)
    users = {"admin": admin}
    for username, unit, role, full in [
        ("qt_hatinh", province, Role.ADMIN, "Đặng Thị Mai"),
        ("lanhdao_hatinh", province, Role.VIEWER, "Trần Minh Khang"),
        ("baocao_ductho", duc_tho, Role.REPORTER, "Nguyễn Thị Hồng"),
        ("duyet_ductho", duc_tho, Role.APPROVER, "Bùi Đức Thắng"),
        ("qt_nghean", outsider, Role.ADMIN, "Lê Văn Bình"),
    ]:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _, last = full.rpartition(" ")
            user = User.objects.create_user(username, password=PASSWORD, first_name=last, last_name=first)
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[username] = user
    # Addresses that deliver nowhere: `nghiquyet send-reminders` prints the demo's emails on the console.
    for username, user in users.items():
        if not user.email:
            User.objects.filter(pk=user.pk).update(email=f"{username}@example.invalid")
    actor = users["qt_hatinh"]

    bodies = {
        name: do_create_unit(name=name, kind=kind, parent=province, acting_user=actor)
        for name, kind in BODIES
    }

    # Documents: the congress resolution and two programs implementing it.
    resolution = do_create_document(
        kind="nghi_quyet",
        sign=RESOLUTION_SIGN,
        title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025–2030",
        issuing_unit=province,
        issued=dt.date(2025, 10, 16),
        term_start=2025,
        term_end=2030,
        summary=(
            "Phương hướng, mục tiêu, 20 chỉ tiêu chủ yếu, 3 khâu đột phá và các nhiệm vụ, giải pháp "
            "phát triển kinh tế – xã hội, bảo đảm quốc phòng, an ninh và xây dựng Đảng bộ tỉnh "
            "nhiệm kỳ 2025–2030."
        ),
        acting_user=actor,
    )
    digital = do_create_document(
        kind="chuong_trinh",
        sign="05-CTr/TU",
        title=(
            "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX "
            "về chuyển đổi số, phát triển khoa học, công nghệ và đổi mới sáng tạo giai đoạn 2025–2030"
        ),
        issuing_unit=province,
        issued=dt.date(2025, 12, 8),
        term_start=2025,
        term_end=2030,
        implements=[resolution],
        acting_user=actor,
    )
    rural = do_create_document(
        kind="chuong_trinh",
        sign="06-CTr/TU",
        title=(
            "Chương trình hành động thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX "
            "về xây dựng nông thôn mới và giảm nghèo bền vững giai đoạn 2025–2030"
        ),
        issuing_unit=province,
        issued=dt.date(2026, 1, 12),
        term_start=2025,
        term_end=2030,
        implements=[resolution],
        acting_user=actor,
    )

    counts = {"documents": 3, "targets": 0, "assignments": 0, "results": 0, "tasks": 0, "meetings": 0}
    rng = random.Random(20251016)
    others = [c for c in communes if c.pk != duc_tho.pk]
    never = set(c.pk for c in rng.sample(others, 3))
    late = set(c.pk for c in rng.sample([c for c in others if c.pk not in never], 8))
    households = {c.pk: rng.randint(2400, 9800) * (2 if "phường" in c.name else 1) for c in communes}
    rural_communes = [c for c in communes if c.name.startswith("Đảng ủy xã")]

    results: list[Result] = []
    for document, specs in (
        (resolution, RESOLUTION_TARGETS),
        (digital, DIGITAL_TARGETS),
        (rural, RURAL_TARGETS),
    ):
        targets = _create_targets(document, specs)
        counts["targets"] += len(targets)
        for spec in specs:
            t = targets[spec.code]
            units = {
                "communes": communes,
                "rural": rural_communes,
                "province": [province],
                "none": [],
            }[spec.assign]
            if not units:
                continue
            # A commune's criterion for a count of communes meeting it (its term goal).
            goals = {u.pk: {"term": Decimal(str(spec.unit_goal))} for u in units} if spec.unit_goal else None
            weights = {u.pk: Decimal(households[u.pk]) for u in units} if spec.weighted else None
            if spec.apportion:
                weights = {u.pk: Decimal(households[u.pk]) for u in units}
            new = do_assign_target(t, units, goals=goals, weights=weights, acting_user=actor)
            counts["assignments"] += len(new)
            if spec.apportion:
                do_apportion_goals(t, province, units, spec.apportion, acting_user=actor)
        results += _results(
            targets,
            specs,
            {"communes": communes, "rural": rural_communes},
            province,
            duc_tho,
            users["baocao_ductho"],
            never,
            late,
            today,
        )
    Result.objects.bulk_create(results, batch_size=1000)
    counts["results"] = len(results)
    counts["rounds"] = _round(province, [resolution, digital, rural], users["qt_hatinh"], today)

    counts["tasks"] += _tasks(resolution, digital, rural, province, bodies, communes, actor, today)
    meetings, meeting_tasks = _meetings(
        resolution, digital, rural, province, bodies, duc_tho, communes, actor, today
    )
    counts["meetings"] = meetings
    counts["tasks"] += meeting_tasks

    record("load_demo", resolution, acting_user=None, after=counts, unit=province)
    return counts


def _round(province, documents, admin, today) -> int:
    """The reporting round of the quarter under way (issue 13): grassroots
    organisations by the 5th after it ends, communes by the 10th, the
    province by the 15th, two days' grace. Earlier quarters have none: their
    reporting window has closed and their figures are locked."""
    period = demo_periods(Q, today)[-1]
    end = period.end
    do_open_round(
        documents=documents,
        unit=province,
        period=period,
        deadlines={
            UnitKind.GRASSROOTS: end + dt.timedelta(days=5),
            UnitKind.COMMUNE: end + dt.timedelta(days=10),
            UnitKind.PROVINCE: end + dt.timedelta(days=15),
        },
        grace_days=2,
        acting_user=admin,
    )
    return 1


def _create_targets(document: Document, specs: list[Spec]) -> dict[str, Target]:
    # There is no target-creating action yet; the demo's one audit row covers these.
    def dec(v):
        return Decimal(str(v)) if v is not None else None

    targets = {}
    for order, s in enumerate(specs, start=1):
        targets[s.code] = Target.objects.create(
            document=document,
            code=s.code,
            name=s.name,
            group=s.group,
            measure=s.measure,
            value_type=s.vtype,
            direction=s.direction,
            baseline_value=dec(s.baseline),
            baseline_period=Period.year(2025).key() if s.baseline is not None else "",
            target_value=dec(s.target),
            time_aggregation=s.time,
            unit_aggregation=s.unit,
            report_every=s.every,
            judged=s.judged,
            order=order,
        )
    for s in specs:
        if s.ratio_of:
            t = targets[s.code]
            t.numerator, t.denominator = targets[s.ratio_of[0]], targets[s.ratio_of[1]]
            t.save(update_fields=["numerator", "denominator"])
    Milestone.objects.bulk_create(
        Milestone(target=targets[s.code], year=y, value=dec(v))
        for s in specs
        for y, v in s.milestones.items()
    )
    return targets


def _value(spec: Spec, rng: random.Random, base: float, period: Period) -> float:
    years = (period.end - dt.date(2025, 12, 31)).days / 365.25
    if spec.time == TA.SUM:
        amount = base / 4 * seasonal(period.index or 4) if spec.every == Q else base
        v = amount * (1 + spec.trend) ** years * (1 + rng.gauss(0, spec.noise))
    else:
        v = base + spec.trend * years + rng.gauss(0, spec.noise) * base
    if spec.vtype == PERCENT:
        v = min(v, 99.9 if spec.direction != D.THRESHOLD else 100)
    return max(v, 0)


def _results(targets, specs, groups, province, duc_tho, reporter, never, late, today) -> list[Result]:
    """Result cells for every assigned unit and begun period, with gaps:
    three communes never report, late ones have only a draft for the last
    quarter, and a few cells are missing here and there. Figures of earlier
    periods are approved; the last period's wait for sign-off."""
    rows: list[Result] = []
    cells: dict[tuple[str, int, str], Decimal] = {}
    for spec in specs:
        if spec.assign == "none":
            continue
        t = targets[spec.code]
        units = [province] if spec.assign == "province" else groups[spec.assign]
        periods = demo_periods(spec.every, today)
        for unit in units:
            if unit.pk in never:
                continue
            rng = random.Random(f"{spec.code}:{unit.code}")
            base = rng.uniform(spec.lo, spec.hi)
            for i, period in enumerate(periods):
                last = i == len(periods) - 1 and spec.every == Q
                if rng.random() < 0.03 and not last and not spec.part_of:
                    continue  # a gap: the unit skipped this period (a part follows its whole)
                if spec.part_of:
                    whole = cells.get((spec.part_of[0], unit.pk, period.key()))
                    if whole is None:
                        continue
                    v = float(whole) * rng.uniform(spec.part_of[1], spec.part_of[2])
                elif spec.unit == UA.COUNT_MEETING and spec.unit_goal == 1:
                    v = 1.0 if base >= 1 else 0.0  # met the standard, or not
                else:
                    v = _value(spec, rng, base, period)
                value = Decimal(round(v)) if spec.vtype == INTEGER else Decimal(str(round(v, 2)))
                if spec.unit == UA.COUNT_MEETING and spec.unit_goal and spec.unit_goal > 1:
                    value = min(value, Decimal(str(spec.unit_goal)))
                cells[(spec.code, unit.pk, period.key())] = value
                draft = last and (unit.pk in late or (unit.pk == duc_tho.pk and spec.code in ("3", "9")))
                submitted_on = period.end + dt.timedelta(
                    days=rng.randint(3, 12) + (25 if unit.pk in late else 0)
                )
                if not draft and submitted_on > today:
                    continue  # not yet reported
                rows.append(
                    Result(
                        target=t,
                        unit=unit,
                        period_key=period.key(),
                        period_kind=period.kind,
                        period_start=period.start,
                        period_end=period.end,
                        value=value,
                        # Earlier periods have been signed off; the last waits for its approver.
                        status=ResultStatus.DRAFT
                        if draft
                        else ResultStatus.SUBMITTED
                        if i == len(periods) - 1
                        else ResultStatus.APPROVED,
                        reported_by=reporter if unit.pk == duc_tho.pk else None,
                        submitted_at=None
                        if draft
                        else timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(15, 30))),
                        approved_at=None
                        if draft or i == len(periods) - 1
                        else timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9, 0)))
                        + dt.timedelta(days=5),
                        # Late units sent after the window closed (on an exception from the province).
                        on_time=None if draft else submitted_on <= reporting_closes(period),
                    )
                )
    return rows


def _task(title, lead, deadline, kind, actor, today, *, document=None, coop=(), status=None, done_on=None):
    """One task; moved to ``status`` as of ``done_on`` if that date has come."""
    task = do_create_task(
        title=title,
        lead_unit=lead,
        kind=kind,
        deadline=deadline,
        source_document=document,
        cooperating_units=coop,
        acting_user=actor,
    )
    if status is not None and (done_on is None or done_on <= today):
        do_set_task_status(task, status, on=done_on or today, acting_user=actor)
    return task


def _tasks(resolution, digital, rural, province, bodies, communes, actor, today) -> int:
    b = bodies
    ubnd = b["Ủy ban nhân dân tỉnh"]
    TK, TB, TR = TaskKind.KEY, TaskKind.BREAKTHROUGH, TaskKind.ROUTINE
    DONE, DOING = TaskStatus.DONE, TaskStatus.IN_PROGRESS
    d = dt.date
    specs = [
        # (title, lead, deadline, kind, document, cooperating, status, on)
        (
            "Hoàn thiện quy hoạch, cơ chế thu hút đầu tư vào Khu kinh tế Vũng Áng và các khu công nghiệp",
            ubnd,
            d(2026, 6, 30),
            TB,
            resolution,
            [b["Sở Tài chính"]],
            DONE,
            d(2026, 6, 20),
        ),
        (
            "Xây dựng đề án phát triển nguồn nhân lực chất lượng cao giai đoạn 2026–2030",
            b["Ban Tổ chức Tỉnh ủy"],
            d(2026, 3, 31),
            TB,
            resolution,
            [ubnd],
            DONE,
            d(2026, 5, 12),
        ),
        (
            "Đầu tư hạ tầng giao thông kết nối vùng, tuyến ven biển và các trục động lực",
            ubnd,
            d(2027, 12, 31),
            TB,
            resolution,
            [b["Sở Tài chính"]],
            DOING,
            d(2026, 2, 1),
        ),
        (
            "Kiện toàn tổ chức bộ máy, sắp xếp cán bộ cấp xã sau hợp nhất",
            b["Ban Tổ chức Tỉnh ủy"],
            d(2025, 12, 31),
            TK,
            resolution,
            [],
            DONE,
            d(2025, 12, 20),
        ),
        (
            "Tổ chức học tập, quán triệt Nghị quyết Đại hội đến toàn thể cán bộ, đảng viên",
            b["Ban Tuyên giáo và Dân vận Tỉnh ủy"],
            d(2025, 12, 15),
            TK,
            resolution,
            [],
            DONE,
            d(2025, 12, 10),
        ),
        (
            "Xây dựng kế hoạch kiểm tra, giám sát toàn khóa nhiệm kỳ 2025–2030",
            b["Ủy ban Kiểm tra Tỉnh ủy"],
            d(2026, 1, 31),
            TK,
            resolution,
            [],
            DONE,
            d(2026, 2, 9),
        ),
        (
            "Rà soát, chuyển đổi mô hình sản xuất nông nghiệp ứng dụng công nghệ cao",
            b["Sở Nông nghiệp và Môi trường"],
            d(2026, 9, 30),
            TK,
            rural,
            [],
            DOING,
            d(2026, 3, 1),
        ),
        (
            "Hoàn thành hỗ trợ xóa nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo",
            ubnd,
            d(2026, 8, 31),
            TK,
            rural,
            [b["Sở Tài chính"]],
            None,
            None,
        ),
        (
            "Đưa nền tảng số dùng chung của tỉnh vào vận hành tại 100% xã, phường",
            b["Sở Khoa học và Công nghệ"],
            d(2026, 10, 31),
            TK,
            digital,
            [b["Văn phòng Tỉnh ủy"]],
            DOING,
            d(2026, 1, 15),
        ),
        (
            "Số hóa hồ sơ, tài liệu lưu trữ của các cơ quan Đảng cấp tỉnh",
            b["Văn phòng Tỉnh ủy"],
            d(2026, 12, 31),
            TR,
            digital,
            [],
            DOING,
            d(2026, 4, 1),
        ),
        (
            "Bảo đảm an ninh, trật tự trong dịp Tết Nguyên đán Bính Ngọ 2026",
            b["Công an tỉnh"],
            d(2026, 2, 28),
            TR,
            resolution,
            [],
            DONE,
            d(2026, 2, 26),
        ),
        (
            "Báo cáo sơ kết 6 tháng thực hiện các chương trình hành động của Tỉnh ủy",
            b["Văn phòng Tỉnh ủy"],
            d(2026, 7, 10),
            TR,
            resolution,
            [],
            DONE,
            d(2026, 7, 14),
        ),
    ]
    n = 0
    for title, lead, deadline, kind, document, coop, status, on in specs:
        _task(
            title, lead, deadline, kind, actor, today, document=document, coop=coop, status=status, done_on=on
        )
        n += 1
    # Every commune carries the same routine task; some finish, some late, some not yet.
    rng = random.Random("tasks")
    for c in communes[:12]:
        status, on = rng.choice(
            [(DONE, d(2026, 9, 25)), (DONE, d(2026, 10, 20)), (DOING, d(2026, 8, 1)), (None, None)]
        )
        _task(
            "Rà soát, cập nhật dữ liệu đảng viên trên hệ thống cơ sở dữ liệu của Đảng",
            c,
            d(2026, 9, 30),
            TR,
            actor,
            today,
            document=resolution,
            status=status,
            done_on=on,
        )
        n += 1
    return n


def _meetings(
    resolution, digital, rural, province, bodies, duc_tho, communes, actor, today
) -> tuple[int, int]:
    people = {}
    for name, year, title, where in PEOPLE:
        person = do_create_person(full_name=name, birth_year=year, acting_user=actor)
        unit = province if where is None else bodies.get(where) or duc_tho
        do_add_position(person, title=title, unit=unit, start=dt.date(2025, 10, 15), acting_user=actor)
        people[name] = (person, title)
    chair, att, pres = Participant.Role.CHAIR, Participant.Role.ATTENDEE, Participant.Role.PRESENTER

    def part(name, role):
        person, title = people[name]
        return (person, role, title)

    b = bodies
    d = dt.date
    specs = [
        dict(
            kind="bch",
            title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba, khóa XX",
            date=d(2025, 12, 18),
            documents=[resolution, digital],
            participants=[
                part("Trần Minh Khang", chair),
                part("Lê Thị Thu Hà", chair),
                part("Phan Quốc Bảo", chair),
                part("Hoàng Văn Sơn", att),
                part("Võ Thị Lan", att),
                part("Đặng Thị Mai", pres),
                part("Nguyễn Hữu Tâm", att),
            ],
            summary="Đánh giá tình hình thực hiện nhiệm vụ năm 2025, cho ý kiến vào dự thảo Chương trình hành "
            "động về chuyển đổi số và phương hướng, nhiệm vụ năm 2026.",
            conclusions=[
                ConclusionSpec(
                    "Thống nhất ban hành Chương trình hành động về chuyển đổi số; giao Ban cán sự đảng "
                    "Ủy ban nhân dân tỉnh cụ thể hóa thành kế hoạch trước ngày 31/01/2026.",
                    [
                        (
                            "Xây dựng kế hoạch thực hiện Chương trình hành động về chuyển đổi số năm 2026",
                            b["Ủy ban nhân dân tỉnh"],
                            d(2026, 1, 31),
                            TaskKind.KEY,
                        )
                    ],
                ),
                ConclusionSpec(
                    "Các đảng ủy xã, phường, đặc khu tập trung thu ngân sách, phấn đấu vượt dự toán năm 2026.",
                    [
                        (
                            "Chỉ đạo các địa phương đôn đốc thu ngân sách, xử lý nợ đọng thuế",
                            b["Sở Tài chính"],
                            d(2026, 6, 30),
                            TaskKind.ROUTINE,
                        )
                    ],
                ),
            ],
        ),
        dict(
            kind="btv",
            title="Hội nghị Ban Thường vụ Tỉnh ủy cho ý kiến về tình hình thực hiện nhiệm vụ quý I/2026",
            date=d(2026, 4, 8),
            documents=[resolution, rural],
            participants=[
                part("Trần Minh Khang", chair),
                part("Lê Thị Thu Hà", att),
                part("Phan Quốc Bảo", att),
                part("Hoàng Văn Sơn", att),
                part("Võ Thị Lan", att),
                part("Đặng Thị Mai", pres),
            ],
            summary="Nghe báo cáo kết quả quý I/2026; một số chỉ tiêu thu ngân sách, giải ngân vốn đầu tư "
            "công đạt thấp so với cùng kỳ.",
            conclusions=[
                ConclusionSpec(
                    "Giao Ủy ban nhân dân tỉnh rà soát nguyên nhân giải ngân vốn đầu tư công chậm, báo cáo "
                    "Ban Thường vụ trước ngày 15/5/2026.",
                    [
                        (
                            "Báo cáo nguyên nhân và giải pháp đẩy nhanh giải ngân vốn đầu tư công",
                            b["Ủy ban nhân dân tỉnh"],
                            d(2026, 5, 15),
                            TaskKind.KEY,
                        )
                    ],
                ),
                ConclusionSpec(
                    "Ban Tổ chức Tỉnh ủy hướng dẫn các đảng ủy xã rà soát chất lượng đảng viên mới kết nạp.",
                    [
                        (
                            "Hướng dẫn rà soát chất lượng đảng viên mới kết nạp",
                            b["Ban Tổ chức Tỉnh ủy"],
                            d(2026, 6, 30),
                            TaskKind.ROUTINE,
                        )
                    ],
                ),
            ],
        ),
        dict(
            kind="so_ket_tong_ket",
            title="Hội nghị trực tuyến sơ kết 6 tháng đầu năm 2026 thực hiện Nghị quyết Đại hội đại biểu Đảng bộ "
            "tỉnh lần thứ XX",
            date=d(2026, 7, 16),
            bridge_points=len(communes) + 1,
            documents=[resolution, digital, rural],
            participants=[
                part("Trần Minh Khang", chair),
                part("Lê Thị Thu Hà", chair),
                part("Phan Quốc Bảo", pres),
                part("Đặng Thị Mai", att),
                part("Bùi Đức Thắng", pres),
            ],
            summary="Hội nghị kết nối từ điểm cầu Tỉnh ủy đến các xã, phường, đặc khu; 7/17 nhóm chỉ tiêu đạt "
            "từ 50% kế hoạch năm trở lên.",
            conclusions=[
                ConclusionSpec(
                    "Các xã chưa gửi báo cáo đúng hạn phải hoàn thành trước ngày 31/7/2026; Văn phòng Tỉnh ủy "
                    "tổng hợp, báo cáo Thường trực Tỉnh ủy.",
                    [
                        (
                            "Tổng hợp báo cáo sơ kết của các xã, phường, đặc khu",
                            b["Văn phòng Tỉnh ủy"],
                            d(2026, 7, 31),
                            TaskKind.ROUTINE,
                        )
                    ],
                ),
                ConclusionSpec(
                    "Tập trung chỉ đạo hoàn thành các chỉ tiêu về giảm nghèo, nước sạch, thu gom rác thải "
                    "trong 6 tháng cuối năm.",
                    [
                        (
                            "Kế hoạch hoàn thành chỉ tiêu giảm nghèo và nước sạch năm 2026",
                            b["Sở Nông nghiệp và Môi trường"],
                            d(2026, 9, 15),
                            TaskKind.KEY,
                        )
                    ],
                ),
            ],
        ),
    ]
    n_meetings = n_tasks = 0
    for spec in specs:
        if spec["date"] > today:
            continue
        meeting = do_create_meeting(organiser=province, acting_user=actor, **spec)
        n_meetings += 1
        n_tasks += sum(c.tasks.count() for c in meeting.conclusions.all())
    return n_meetings, n_tasks
