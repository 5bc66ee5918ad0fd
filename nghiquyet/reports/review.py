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
from nghiquyet.core.numbers import format_figure, format_number
from nghiquyet.core.periods import Period, PeriodError, PeriodKind
from nghiquyet.core.text import fold
from nghiquyet.documents.signs import kind_label
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.targets import goals
from nghiquyet.targets.models import Assignment, Direction, Judged, TargetGroup, ValueType
from nghiquyet.targets.rollup import (
    Outcome,
    Rollup,
    TargetResult,
    not_comparable,
    rollup,
    units_changed_since,
)

from . import docxkit as k
from . import review_draft as draft
from .letterhead import Letterhead, letterhead_for
from .review_tasks import DocumentTasks, _chain, period_tasks

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
CENT = Decimal("0.01")
TENTH = Decimal("0.1")

OUTCOME_PHRASE = {
    Outcome.EXCEEDED: "vượt chỉ tiêu",
    Outcome.MET: "đạt chỉ tiêu",
    Outcome.NOT_MET: "chưa đạt chỉ tiêu",
    Outcome.NOT_ASSESSED: "chưa đánh giá",
}


def fmt_value(value: Decimal | None) -> str:
    """A figure as reports print it: at most two decimals, no trailing zeros;
    below 1, three significant digits (0,00425 tỷ đồng is not "0")."""
    if value is None:
        return ""
    return format_figure(value, "number")


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
    # Why the same period last year is not comparable (rollup.not_comparable).
    vs_last_note: str = ""

    @property
    def target(self):
        return self.result.target

    @property
    def vs_last_text(self) -> str:
        if self.vs_last is None:
            return "Không so sánh được" if self.vs_last_note else ""
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
    # The tasks of the period by document, as they stood at its end.
    task_docs: list[DocumentTasks] = field(default_factory=list)
    implementation: draft.Implementation = field(default_factory=draft.Implementation)
    # Names of the units the roll-up speaks of (lagging units and the like).
    unit_names: dict[int, str] = field(default_factory=dict)
    # Below the document's issuer a unit is judged on its own goals only.
    own_goals: bool = False

    @property
    def rows(self) -> list[AppendixRow]:
        return [r for g in self.groups for r in g.rows]

    @property
    def year(self) -> int | None:
        """The year whose milestones the appendix shows (a period within one year)."""
        p = self.period
        return p.end.year if p.start.year == p.end.year else None

    @property
    def provisional(self) -> bool:
        """Made before the period is complete (its reporting round not closed,
        or, with no round, its reporting window still open): figures are
        provisional, and the report says so (issue 13)."""
        return any(t.provisional for t in self.rollup.targets)

    @property
    def mid_year(self) -> bool:
        """A first-half review: reports count targets past half the annual goal."""
        return self.period.kind == PeriodKind.HALF and self.period.index == 1

    def summary(self) -> str:
        return self.rollup.summary()

    def half_reached_sentence(self) -> str:
        return self.rollup.half_reached_sentence()

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


def unit_term_goals(targets, unit: OrgUnit, on: dt.date) -> dict[int, Decimal | None]:
    """The unit's own term goal per target, as in force on ``on`` (the
    period's last day: a report states the goal of its period). The one
    place the report reads assignments' goals."""
    book = goals.book_for(Assignment.objects.filter(unit=unit, target__in=targets))
    return {tid: book.goals(tid, uid, on).term.value for tid, uid in book.keys()}


def assigned_in_subtree(document, unit: OrgUnit) -> set[int]:
    """Targets of ``document`` assigned to ``unit`` or to a unit under it."""
    return set(
        Assignment.objects.filter(subtree_q(unit, "unit__path"), target__document=document).values_list(
            "target_id", flat=True
        )
    )


def review_data(
    document, unit: OrgUnit, period: Period, *, on: dt.date | None = None, as_of_today: bool | None = None
) -> ReviewData:
    """Everything the review report states, computed once: the roll-up of
    the period and of the same period last year; for a unit below the
    document's issuer, only the targets given to its subtree, against its
    own goals; the tasks of the period by document, as they stood at its
    end; and what the data says about how the document was carried out.
    A report on a period whose units have changed since reads the units of
    the time (a report on 2023 shows 2023's communes) unless
    ``as_of_today`` says otherwise."""
    on = on or timezone.localdate()
    targets = list(document.targets.prefetch_related("milestones").order_by("order", "id"))
    own_goals = goals.below_issuer(document, unit)
    if own_goals:
        given = assigned_in_subtree(document, unit)
        targets = [t for t in targets if t.pk in given]
    if as_of_today is None:
        as_of_today = not units_changed_since(unit, period)
    now = rollup(document, unit, period, targets=targets, as_of_today=as_of_today)
    try:
        before = rollup(
            document, unit, period.same_period_last_year(), targets=targets, as_of_today=as_of_today
        )
        last_results = {t.target.pk: t for t in before.targets}
    except PeriodError:
        last_results = {}  # terms have no "same period last year"
    last = {pk: t.value for pk, t in last_results.items()}
    year = period.end.year if period.start.year == period.end.year else None
    term_goals = unit_term_goals(targets, unit, period.end) if own_goals else {}
    groups: list[AppendixGroup] = []
    number = 0
    for g in TargetGroup:
        results = [t for t in now.targets if t.target.group == g.value]
        if not results:
            continue
        rows = []
        for t in results:
            number += 1
            if own_goals:
                # The unit's own goals: its term goal; a year's goal only
                # where the roll-up judged the year against one of its own.
                term_goal = term_goals.get(t.target.pk)
                year_goal = (
                    t.goal if year is not None and t.goal is not None and t.goal != term_goal else None
                )
            else:
                term_goal = t.target.target_value
                year_goal = next((m.value for m in t.target.milestones.all() if m.year == year), None)
            vs, points = _compare(t.target, t.value, last.get(t.target.pk))
            # Like with like: the same units and the same months, else no ratio.
            note = not_comparable(t, last_results[t.target.pk]) if t.target.pk in last_results else ""
            if note:
                vs = None
            rows.append(
                AppendixRow(
                    number=number,
                    result=t,
                    term_goal=term_goal,
                    year_goal=year_goal,
                    last_value=last.get(t.target.pk),
                    vs_last=vs,
                    vs_last_points=points,
                    vs_last_note=note,
                )
            )
        groups.append(AppendixGroup(ROMAN[len(groups)], g.label, rows))
    chain = _chain(document)
    unit_ids = {uid for t in now.targets for uid in t.units}
    return ReviewData(
        document=document,
        unit=unit,
        period=period,
        on=on,
        head=letterhead_for(unit),
        rollup=now,
        groups=groups,
        task_docs=period_tasks(document, unit, period, chain=chain),
        implementation=draft.implementation(document, chain, unit, period, on),
        unit_names=dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name")),
        own_goals=own_goals,
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
    # Built on estimates ("ước thực hiện", a period still running): said so.
    reached = "ước đạt" if r.estimated else "đạt"
    parts = [("ước thực hiện " if r.estimated else "") + with_measure(r.value, t.measure)]
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
            parts.append(f"{reached} {fmt_pct(r.achievement)}% {which} ({goal})")
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
    if row.vs_last_note:
        parts.append(f"không so sánh được với cùng kỳ ({row.vs_last_note})")
    outcome = OUTCOME_PHRASE[r.outcome]
    if r.waiting or (r.outcome == Outcome.NOT_ASSESSED and t.judged == Judged.YEAR_END):
        outcome = "đánh giá vào cuối năm"
    elif r.outcome == Outcome.NOT_ASSESSED and r.provisional:
        # Not "chưa đánh giá": the verdict waits for the period to complete.
        outcome = "số liệu tạm tính, chờ đánh giá"
    reported = ""
    if r.expected_units and r.reporting_units < r.expected_units:
        reported = f" ({r.reporting_units}/{r.expected_units} đơn vị đã báo cáo)"
    return f"{t.name}: {', '.join(parts[:2])}{'; ' + '; '.join(parts[2:]) if parts[2:] else ''}; {outcome}{reported}."


def tasks_sentence(data: ReviewData) -> str:
    """ "Tổng số 12 nhiệm vụ: 5 hoàn thành, 6 đang thực hiện, 1 chưa thực hiện; trong đó 2 nhiệm vụ đã quá hạn."
    counted at the period's end, over every document of the chain."""
    if not data.task_docs:
        return "Văn bản chưa giao nhiệm vụ cho các đơn vị trong phạm vi báo cáo."
    total = DocumentTasks(data.document, [line for d in data.task_docs for line in d.lines])
    as_of = format_date_official(data.period.end)
    return f"Đến ngày {as_of}, tổng số {total.counts_text()}."


def task_doc_sentence(doc_tasks: DocumentTasks) -> str:
    """ "Thực hiện Kế hoạch số 12-KH/TU ngày …: 14 nhiệm vụ: …"."""
    return f"Thực hiện {draft.short_ref(doc_tasks.document)}: {doc_tasks.counts_text()}."


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
        fmt_value(r.value) + (" (ước)" if r.estimated else ""),
        fmt_pct(r.achievement),
        row.vs_last_text,
        r.outcome_label,
    ]


def _appendix(doc, data: ReviewData) -> None:
    section = k.add_landscape_section(doc)
    # The appendix's first page is numbered like the rest: the new section
    # would otherwise inherit the report's unnumbered first page.
    section.different_first_page_header_footer = False
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
        k.keep_row_with_next(row)  # a group's heading row never ends a page
        i += 1
        for ar in group.rows:
            row = table.rows[i]
            k.no_split(row)
            for j, text in enumerate(appendix_cells(data, ar)):
                align = k.LEFT if j == 1 else k.CENTER if j in (0, 2, 8) else k.RIGHT
                k.cell_text(row.cells[j], text, align=align)
            i += 1
    # The counts stay with the table's last line, never alone atop a page.
    k.keep_row_with_next(table.rows[-1])
    summary = f"Tổng số {data.summary()}."
    k.paragraph(
        doc,
        summary,
        size=13,
        italic=False,
        align=k.LEFT,
        space_before=6,
        space_after=0,
        keep_with_next=data.mid_year,
    )
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
    if data.provisional:
        k.paragraph(
            doc,
            "(Số liệu tạm tính: đợt báo cáo chưa kết thúc, số liệu có thể còn thay đổi)",
            italic=True,
            align=k.CENTER,
            space_after=12,
        )

    issuer_name = data.unit.name
    k.body(
        doc,
        f"Thực hiện {data.document_ref}, {issuer_name} báo cáo kết quả {data.phase} như sau:",
    )
    k.heading(doc, "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN")
    for text in draft.leadership_paragraphs(data):
        k.body(doc, text)
    k.heading(doc, "II. KẾT QUẢ THỰC HIỆN")
    k.heading(doc, "1. Kết quả thực hiện các chỉ tiêu")
    summary = f"Trong tổng số {data.summary()}"
    if data.mid_year:
        summary += f"; có {data.half_reached_sentence()}"
    # The counts lead into the first group: never left alone at a page's foot.
    k.body(doc, summary + ".", keep_with_next=True)
    letters = "abcdefghij"
    for gi, group in enumerate(data.groups):
        k.heading(doc, f"{letters[gi]}) {group.label}", bold=False, italic=True)
        for row in group.rows:
            k.body(doc, "- " + target_sentence(data, row))
    k.body(doc, "(Chi tiết tại Phụ lục kèm theo).", italic=True)

    k.heading(doc, "2. Kết quả thực hiện các nhiệm vụ")
    k.body(doc, tasks_sentence(data), keep_with_next=bool(data.task_docs))
    several = len(data.task_docs) > 1
    for doc_tasks in data.task_docs:
        notable = doc_tasks.notable
        if several:
            k.body(doc, task_doc_sentence(doc_tasks), keep_with_next=bool(notable))
        if notable:
            k.body(doc, "Các nhiệm vụ trọng tâm, đột phá và nhiệm vụ chậm tiến độ:", keep_with_next=True)
        for line in notable:
            k.body(doc, "- " + line.text())

    k.heading(doc, "III. HẠN CHẾ, NGUYÊN NHÂN")
    k.heading(doc, "1. Hạn chế")
    for text in draft.shortcoming_paragraphs(data):
        k.body(doc, "- " + text)
    k.heading(doc, "2. Nguyên nhân")
    for text in draft.cause_paragraphs(data):
        k.body(doc, "- " + text)
    k.heading(doc, "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    for text in draft.direction_paragraphs(data):
        k.body(doc, "- " + text)

    k.signature_block(doc, data.head, recipients(data.unit, data.head))
    _appendix(doc, data)
    return k.to_bytes(doc)
