"""The review report (báo cáo sơ kết, tổng kết) of a document for a unit and
a period: the figures, read once from the roll-up, and the Word file.

``review_data`` gathers everything the report states; ``build_review_docx``
lays it out; the Excel appendix (``appendix_xlsx.build_appendix_xlsx``) reads the
same data, so the Word and Excel appendices cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from nghiquyet.core.dates import format_date_long, format_date_official, format_place_date
from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period, PeriodError, PeriodKind
from nghiquyet.core.text import fold
from nghiquyet.documents.signs import kind_label
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.targets.models import Direction, Judged, TargetGroup, ValueType
from nghiquyet.targets.rollup import Outcome, Rollup, TargetResult, rollup
from nghiquyet.tasks.models import Task, TaskStatus

from . import docxkit as k
from .letterhead import Letterhead, letterhead_for

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
PLACEHOLDER = "(Phần này do bộ phận soạn thảo bổ sung.)"
DOTS = "…" * 34  # one line of body text on A4 portrait

OUTCOME_PHRASE = {
    Outcome.EXCEEDED: "vượt chỉ tiêu",
    Outcome.MET: "đạt chỉ tiêu",
    Outcome.NOT_MET: "chưa đạt chỉ tiêu",
    Outcome.NOT_ASSESSED: "chưa đánh giá",
}


def fmt_value(value: Decimal | None) -> str:
    """A figure as reports print it: at most two decimals, no trailing zeros."""
    if value is None:
        return ""
    return format_number(value.quantize(CENT).normalize())


def fmt_pct(value: Decimal | None) -> str:
    """A percentage with at most one decimal: 60 → "60", 95.44 → "95,4"."""
    if value is None:
        return ""
    return format_number(value.quantize(TENTH).normalize())


def is_rate(target) -> bool:
    """Targets measured in % compare with last year in points, not in %."""
    return target.value_type == ValueType.PERCENT or target.measure.strip() == "%"


def with_measure(value: Decimal | None, measure: str) -> str:
    text = fmt_value(value)
    if not measure:
        return text
    return f"{text}{measure}" if measure.strip() == "%" else f"{text} {measure}"


@dataclass
class AppendixRow:
    """One target's line in the appendix; every number straight from the roll-up."""

    number: int
    result: TargetResult
    term_goal: Decimal | None
    year_goal: Decimal | None
    last_value: Decimal | None
    # vs the same period last year: a ratio in % for counts and amounts, a
    # difference in percentage points for rates (None when not comparable).
    vs_last: Decimal | None
    vs_last_points: bool

    @property
    def target(self):
        return self.result.target

    @property
    def vs_last_text(self) -> str:
        if self.vs_last is None:
            return ""
        if self.vs_last_points:
            sign = "+" if self.vs_last > 0 else ""
            return f"{sign}{fmt_pct(self.vs_last)} điểm %"
        return f"{fmt_pct(self.vs_last)}%"


@dataclass
class AppendixGroup:
    roman: str
    label: str
    rows: list[AppendixRow]


@dataclass
class ReviewData:
    document: object
    unit: OrgUnit
    period: Period
    on: dt.date
    head: Letterhead
    rollup: Rollup
    groups: list[AppendixGroup]
    tasks: list[Task] = field(default_factory=list)

    @property
    def rows(self) -> list[AppendixRow]:
        return [r for g in self.groups for r in g.rows]

    @property
    def year(self) -> int | None:
        """The year whose milestones the appendix shows (a period within one year)."""
        p = self.period
        return p.end.year if p.start.year == p.end.year else None

    @property
    def mid_year(self) -> bool:
        """A first-half review: reports count targets past half the annual goal."""
        return self.period.kind == PeriodKind.HALF and self.period.index == 1

    def summary(self) -> str:
        return self.rollup.summary()

    def half_reached_sentence(self) -> str:
        return f"{self.rollup.half_reached():02d} chỉ tiêu đạt từ 50% trở lên so với kế hoạch năm"

    @property
    def place_date(self) -> str:
        return format_place_date(self.head.place, self.on)

    @property
    def phase(self) -> str:
        """ "sơ kết 6 tháng đầu năm 2026", "tổng kết nhiệm kỳ 2025–2030"…"""
        p = self.period
        if p.kind == PeriodKind.TERM:
            return f"tổng kết {p.label[0].lower()}{p.label[1:]}"
        if p.kind == PeriodKind.MID_TERM:
            return f"sơ kết {p.label[0].lower()}{p.label[1:]}"
        if p.kind == PeriodKind.CUSTOM:
            return f"sơ kết giai đoạn {p.label}"
        label = p.label
        if label.startswith(("Năm", "Tháng")):
            label = label[0].lower() + label[1:]
        return f"sơ kết {label}"

    @property
    def document_ref(self) -> str:
        """How the body names the document: its own title when that is a
        name ("Nghị quyết Đại hội … nhiệm kỳ 2025–2030"), else kind, sign,
        date, issuer and subject."""
        doc = self.document
        label = kind_label(doc.kind)
        if fold(doc.title).startswith(fold(label)):
            return doc.title
        ref = f"{label} số {doc.sign or doc.number}".rstrip()
        if doc.issued:
            ref += f", ngày {format_date_official(doc.issued)}"
        issuer = doc.issuer_name or (doc.issuing_unit.name if doc.issuing_unit_id else "")
        if issuer:
            ref += f" của {issuer}"
        return f"{ref} về {doc.title[0].lower()}{doc.title[1:]}"

    @property
    def subject(self) -> str:
        return f"{self.phase} thực hiện {self.document_ref}"


def _compare(target, value: Decimal | None, last: Decimal | None) -> tuple[Decimal | None, bool]:
    if value is None or last is None:
        return None, is_rate(target)
    if is_rate(target):
        return (value - last).quantize(CENT), True
    if last == 0:
        return None, False
    return (value / last * 100).quantize(CENT), False


def review_data(document, unit: OrgUnit, period: Period, *, on: dt.date | None = None) -> ReviewData:
    """Everything the review report states, computed once: the roll-up of
    the period, the same period last year, and the document's tasks led by
    units of the subtree."""
    targets = list(document.targets.prefetch_related("milestones").order_by("order", "id"))
    now = rollup(document, unit, period, targets=targets)
    try:
        before = rollup(document, unit, period.same_period_last_year(), targets=targets)
        last = {t.target.pk: t.value for t in before.targets}
    except PeriodError:
        last = {}  # terms have no "same period last year"
    year = period.end.year if period.start.year == period.end.year else None
    groups: list[AppendixGroup] = []
    number = 0
    for g in TargetGroup:
        results = [t for t in now.targets if t.target.group == g.value]
        if not results:
            continue
        rows = []
        for t in results:
            number += 1
            year_goal = next((m.value for m in t.target.milestones.all() if m.year == year), None)
            vs, points = _compare(t.target, t.value, last.get(t.target.pk))
            rows.append(
                AppendixRow(
                    number=number,
                    result=t,
                    term_goal=t.target.target_value,
                    year_goal=year_goal,
                    last_value=last.get(t.target.pk),
                    vs_last=vs,
                    vs_last_points=points,
                )
            )
        groups.append(AppendixGroup(ROMAN[len(groups)], g.label, rows))
    tasks = list(
        Task.objects.filter(subtree_q(unit, "lead_unit__path"), source_document=document)
        .select_related("lead_unit")
        .order_by("deadline", "id")
    )
    return ReviewData(
        document=document,
        unit=unit,
        period=period,
        on=on or timezone.localdate(),
        head=letterhead_for(unit),
        rollup=now,
        groups=groups,
        tasks=tasks,
    )


# -- sentences --------------------------------------------------------------------


def target_sentence(data: ReviewData, row: AppendixRow) -> str:
    """ "Kết nạp đảng viên mới: 120 đảng viên, đạt 60% kế hoạch năm 2026
    (200 đảng viên); tăng 20% so với cùng kỳ; chưa đánh giá."""
    r = row.result
    t = r.target
    if r.value is None:
        reported = f" ({r.reporting_units}/{r.expected_units} đơn vị đã báo cáo)" if r.expected_units else ""
        return f"{t.name}: chưa có số liệu báo cáo{reported}."
    parts = [with_measure(r.value, t.measure)]
    if r.goal is not None:
        which = f"kế hoạch năm {data.year}" if row.year_goal is not None else "mục tiêu nhiệm kỳ"
        goal = with_measure(r.goal, t.measure)
        if r.cap_used is not None:
            # A yearly cap before the year ends: the share used, not a verdict.
            parts.append(f"bằng {fmt_pct(r.cap_used)}% mức trần {which} ({goal})")
        elif t.direction == Direction.LOWER:
            # "Lower is better" (crimes, poverty): a ratio over 100% reads wrong in prose.
            parts.append(f"{which}: không quá {goal}")
        elif r.achievement is not None and t.direction != Direction.THRESHOLD:
            parts.append(f"đạt {fmt_pct(r.achievement)}% {which} ({goal})")
        else:
            parts.append(f"{which}: {goal}")
    if row.vs_last is not None:
        if row.vs_last_points:
            if row.vs_last == 0:
                parts.append("bằng cùng kỳ")
            else:
                verb = "tăng" if row.vs_last > 0 else "giảm"
                parts.append(f"{verb} {fmt_pct(abs(row.vs_last))} điểm phần trăm so với cùng kỳ")
        else:
            change = row.vs_last - 100
            if change == 0:
                parts.append("bằng cùng kỳ")
            else:
                verb = "tăng" if change > 0 else "giảm"
                parts.append(f"{verb} {fmt_pct(abs(change))}% so với cùng kỳ")
    outcome = OUTCOME_PHRASE[r.outcome]
    if r.outcome == Outcome.NOT_ASSESSED and t.judged == Judged.YEAR_END:
        outcome = "đánh giá vào cuối năm"
    elif r.outcome == Outcome.NOT_ASSESSED and r.provisional:
        outcome = "số liệu tạm tính, chưa đánh giá"
    reported = ""
    if r.expected_units and r.reporting_units < r.expected_units:
        reported = f" ({r.reporting_units}/{r.expected_units} đơn vị đã báo cáo)"
    return f"{t.name}: {', '.join(parts[:2])}{'; ' + '; '.join(parts[2:]) if parts[2:] else ''}; {outcome}{reported}."


def tasks_sentence(data: ReviewData) -> str:
    """ "Tổng số 12 nhiệm vụ: 5 hoàn thành, 6 đang thực hiện (2 quá hạn), 1 chưa thực hiện."""
    if not data.tasks:
        return "Văn bản chưa giao nhiệm vụ cho các đơn vị trong phạm vi báo cáo."
    counts: dict[str, int] = {}
    overdue = 0
    for t in data.tasks:
        counts[t.status] = counts.get(t.status, 0) + 1
        overdue += t.is_overdue(data.on)
    done = counts.get(TaskStatus.DONE, 0) + counts.get(TaskStatus.DONE_LATE, 0)
    parts = []
    if done:
        late = counts.get(TaskStatus.DONE_LATE, 0)
        parts.append(f"{done} hoàn thành" + (f" ({late} hoàn thành quá hạn)" if late else ""))
    if counts.get(TaskStatus.IN_PROGRESS):
        parts.append(f"{counts[TaskStatus.IN_PROGRESS]} đang thực hiện")
    if counts.get(TaskStatus.NOT_STARTED):
        parts.append(f"{counts[TaskStatus.NOT_STARTED]} chưa thực hiện")
    text = f"Tổng số {len(data.tasks)} nhiệm vụ: " + ", ".join(parts)
    if overdue:
        text += f"; trong đó {overdue} nhiệm vụ đã quá hạn"
    return text + "."


def task_line(task: Task, on: dt.date) -> str:
    deadline = f", thời hạn {format_date_official(task.deadline)}" if task.deadline else ""
    return f"{task.title} ({task.lead_unit.name}{deadline}): {task.status_label(on).lower()}."


# -- the Word file ------------------------------------------------------------------


def recipients(unit: OrgUnit, head: Letterhead) -> list[str]:
    """The usual "Nơi nhận" of a committee's report: the level above, the
    committee's members, the office's file copy."""
    out = []
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.kind != "central":
        out.append(f"{parent.name} (để báo cáo),")
    elif parent is not None:
        out.append("Văn phòng Trung ương Đảng (để báo cáo),")
    body = f"{head.signing_body_text} {head.short}" if head.signing_body else head.short
    out += [f"Các đồng chí ủy viên {body},", f"Lưu Văn phòng {head.short}."]
    return out


APPENDIX_HEAD = [
    "STT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Mục tiêu",
    "",
    "Kết quả kỳ báo cáo",
    "So với kế hoạch (%)",
    "So với cùng kỳ",
    "Đánh giá",
]
APPENDIX_WIDTHS_MM = [12, 73, 22, 22, 22, 26, 22, 30, 28]  # 257 mm: A4 landscape less margins


def appendix_cells(data: ReviewData, row: AppendixRow) -> list[str]:
    """The texts of one appendix line, in column order."""
    r = row.result
    return [
        str(row.number),
        r.target.name,
        r.target.measure,
        fmt_value(row.term_goal),
        fmt_value(row.year_goal),
        fmt_value(r.value),
        fmt_pct(r.achievement),
        row.vs_last_text,
        r.outcome_label,
    ]


def _appendix(doc, data: ReviewData) -> None:
    k.add_landscape_section(doc)
    k.paragraph(doc, "PHỤ LỤC", size=14, bold=True, align=k.CENTER, space_after=0)
    k.paragraph(
        doc,
        "SO SÁNH KẾT QUẢ THỰC HIỆN VÀ MỤC TIÊU CÁC CHỈ TIÊU",
        size=14,
        bold=True,
        align=k.CENTER,
        space_after=0,
    )
    k.paragraph(doc, data.period.label, size=14, bold=True, align=k.CENTER, space_after=0)
    k.paragraph(
        doc,
        f"(Kèm theo Báo cáo {data.head.sign('BC').replace('Số', 'số', 1)}, {format_date_long(data.on)} của {data.unit.name})",
        size=14,
        italic=True,
        align=k.CENTER,
        space_after=12,
    )
    rows = 2 + sum(1 + len(g.rows) for g in data.groups)
    table = k.grid_table(doc, rows, len(APPENDIX_HEAD))
    k.set_col_widths(table, [k.Mm(w) for w in APPENDIX_WIDTHS_MM])
    head1, head2 = table.rows[0], table.rows[1]
    year_label = f"Năm {data.year}" if data.year else "Năm"
    for i, text in enumerate(APPENDIX_HEAD):
        if i in (3, 4):
            continue
        top = head1.cells[i].merge(head2.cells[i])
        k.cell_text(top, text, bold=True, align=k.CENTER)
    goal = head1.cells[3].merge(head1.cells[4])
    k.cell_text(goal, "Mục tiêu", bold=True, align=k.CENTER)
    k.cell_text(head2.cells[3], "Nhiệm kỳ", bold=True, align=k.CENTER)
    k.cell_text(head2.cells[4], year_label, bold=True, align=k.CENTER)
    for r in (head1, head2):
        k.repeat_header(r)
        k.no_split(r)
        for c in r.cells:
            k.shade(c, "E7E6E6")
    i = 2
    for group in data.groups:
        row = table.rows[i]
        k.no_split(row)
        k.cell_text(row.cells[0], group.roman, bold=True, align=k.CENTER)
        merged = row.cells[1].merge(row.cells[-1])
        k.cell_text(merged, group.label, bold=True)
        i += 1
        for ar in group.rows:
            row = table.rows[i]
            k.no_split(row)
            for j, text in enumerate(appendix_cells(data, ar)):
                align = k.LEFT if j == 1 else k.CENTER if j in (0, 2, 8) else k.RIGHT
                k.cell_text(row.cells[j], text, align=align)
            i += 1
    summary = f"Tổng số {data.summary()}."
    k.paragraph(doc, summary, size=13, italic=False, align=k.LEFT, space_before=6, space_after=0)
    if data.mid_year:
        k.paragraph(doc, f"Trong đó có {data.half_reached_sentence()}.", size=13, align=k.LEFT)


def build_review_docx(data: ReviewData) -> bytes:
    """The review report as a Word file, laid out per Hướng dẫn 36-HD/VPTW."""
    doc = k.new_document()
    k.page_numbers(doc.sections[0])
    k.party_header(doc, data.head, "BC", data.place_date)
    k.paragraph(doc, "", space_after=6)
    k.paragraph(doc, "BÁO CÁO", size=16, bold=True, align=k.CENTER, space_before=12, space_after=0)
    k.paragraph(doc, data.subject, size=14, bold=True, align=k.CENTER, space_after=0)
    k.paragraph(doc, "-----", size=14, align=k.CENTER, space_after=12)

    issuer_name = data.unit.name
    k.body(
        doc,
        f"Thực hiện {data.document_ref}, {issuer_name} báo cáo kết quả {data.phase} như sau:",
    )
    k.heading(doc, "I. KẾT QUẢ THỰC HIỆN")
    k.heading(doc, "1. Kết quả thực hiện các chỉ tiêu")
    summary = f"Trong tổng số {data.summary()}"
    if data.mid_year:
        summary += f"; có {data.half_reached_sentence()}"
    k.body(doc, summary + ".")
    letters = "abcdefghij"
    for gi, group in enumerate(data.groups):
        k.heading(doc, f"{letters[gi]}) {group.label}", bold=False, italic=True)
        for row in group.rows:
            k.body(doc, "- " + target_sentence(data, row))
    k.body(doc, "(Chi tiết tại Phụ lục kèm theo).", italic=True)

    k.heading(doc, "2. Kết quả thực hiện các nhiệm vụ")
    k.body(doc, tasks_sentence(data))
    for task in data.tasks:
        k.body(doc, "- " + task_line(task, data.on))

    k.heading(doc, "II. HẠN CHẾ, NGUYÊN NHÂN")
    for title in ("1. Hạn chế", "2. Nguyên nhân"):
        k.heading(doc, title)
        k.body(doc, PLACEHOLDER, italic=True)
        k.body(doc, DOTS)
    k.heading(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    k.body(doc, PLACEHOLDER, italic=True)
    k.body(doc, DOTS)

    k.signature_block(doc, data.head, recipients(data.unit, data.head))
    _appendix(doc, data)
    return k.to_bytes(doc)
