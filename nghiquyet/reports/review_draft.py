"""The prose parts of a review report drafted from the data, for the
drafter to edit: leadership and implementation (documents issued to carry
the document out, meetings that reviewed it, who was given targets, who
reported), then shortcomings, causes and directions (targets not met and
by how much, units late or missing, overdue tasks).

Every sentence states something the data shows; where the data shows
nothing to say, the sentence says so plainly rather than leaving dots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from nghiquyet.core.dates import VN_TZ, format_date_official
from nghiquyet.documents.signs import kind_label
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.targets.models import COUNTED_STATUSES, Assignment, Direction, Result
from nghiquyet.targets.rollup import Outcome, lagging_units, reporting_status

MAX_NAMES = 5
MAX_TARGETS = 10


def names(units: list[OrgUnit] | list[str], n: int = MAX_NAMES) -> str:
    """ "A, B, C và 4 đơn vị khác"."""
    items = [u if isinstance(u, str) else u.name for u in units]
    text = ", ".join(items[:n])
    if len(items) > n:
        text += f" và {len(items) - n} đơn vị khác"
    return text


def short_ref(doc) -> str:
    """ "Nghị quyết số 01-NQ/ĐH ngày 15/10/2025"."""
    ref = kind_label(doc.kind)
    if doc.sign or doc.number:
        ref += f" số {doc.sign or doc.number}"
    if doc.issued:
        ref += f" ngày {format_date_official(doc.issued)}"
    return ref


@dataclass
class Implementation:
    """What the data says about how the document was carried out."""

    documents: list = field(default_factory=list)  # implementing documents issued in the subtree
    meetings: list = field(default_factory=list)  # meetings in the subtree that reviewed them, in the period
    assigned_units: int = 0  # units below the report's unit given targets
    assigned_targets: int = 0
    expected_units: int = 0  # units due to report in the period
    missing: list[OrgUnit] = field(default_factory=list)  # reported nothing
    partial: list[OrgUnit] = field(default_factory=list)  # reported part of what was due
    late: list[OrgUnit] = field(default_factory=list)  # sent figures after the window closed
    own_only: bool = False  # the only unit due to report is the report's own


def implementation(document, chain: list, unit: OrgUnit, period, on: dt.date) -> Implementation:
    """Documents, meetings, assignments and reporting of ``unit``'s subtree."""
    from nghiquyet.meetings.models import Meeting

    imp = Implementation()
    imp.documents = [
        d
        for d in chain[1:]
        if d.issuing_unit_id is not None
        and d.issuing_unit.path.startswith(unit.path)
        and (d.issued is None or d.issued <= period.end)
    ]
    imp.meetings = list(
        Meeting.objects.filter(
            subtree_q(unit, "organiser__path"),
            documents__in=chain,
            date__gte=period.start,
            date__lte=period.end,
        )
        .select_related("organiser")
        .distinct()
        .order_by("date", "id")
    )
    counts = Assignment.objects.filter(
        subtree_q(unit, "unit__path", include_self=False),
        target__document=document,
        unit__valid_to__isnull=True,
    ).aggregate(units=Count("unit", distinct=True), targets=Count("target", distinct=True))
    imp.assigned_units, imp.assigned_targets = counts["units"], counts["targets"]
    status = reporting_status(document, unit, period, today=on)
    imp.expected_units = len(status)
    imp.own_only = [s.unit.pk for s in status] == [unit.pk]
    imp.missing = [s.unit for s in status if s.submitted == 0]
    imp.partial = [s.unit for s in status if 0 < s.submitted < s.expected]
    window = dt.timedelta(days=settings.NGHIQUYET_REPORTING_WINDOW_DAYS)
    late_ids: set[int] = set()
    rows = Result.objects.filter(
        subtree_q(unit, "unit__path"),
        target__document=document,
        status__in=COUNTED_STATUSES,
        period_start__gte=period.start,
        period_end__lte=period.end,
        submitted_at__isnull=False,
    ).values_list("unit_id", "period_end", "submitted_at")
    for uid, end, submitted in rows:
        if timezone.localtime(submitted, VN_TZ).date() > end + window:
            late_ids.add(uid)
    imp.late = sorted(OrgUnit.objects.filter(pk__in=late_ids), key=lambda u: u.sort_key)
    return imp


# -- I. leadership and implementation ------------------------------------------------


def leadership_paragraphs(data) -> list[str]:
    imp: Implementation = data.implementation
    doc = data.document
    label = kind_label(doc.kind).lower()
    out = []
    if imp.documents:
        own = [d for d in imp.documents if d.issuing_unit_id == data.unit.pk]
        below = [d for d in imp.documents if d.issuing_unit_id != data.unit.pk]
        if own:
            refs = "; ".join(f"{short_ref(d)} về {d.title[0].lower()}{d.title[1:]}" for d in own)
            out.append(
                f"{data.unit.name} đã ban hành {len(own)} văn bản lãnh đạo, chỉ đạo triển khai thực hiện: {refs}."
            )
        if below:
            issuers = sorted({d.issuing_unit.name for d in below})
            out.append(
                f"Các cấp ủy, đơn vị trực thuộc đã ban hành {len(below)} văn bản cụ thể hóa, triển khai thực hiện "
                f"({names(issuers)})."
            )
    else:
        out.append(
            f"Đến ngày {format_date_official(data.period.end)}, trong phạm vi báo cáo chưa ghi nhận văn bản "
            f"cụ thể hóa, triển khai thực hiện {label}."
        )
    if imp.meetings:
        items = "; ".join(f"{m.title} ({format_date_official(m.date)})" for m in imp.meetings)
        out.append(
            f"Trong kỳ đã tổ chức {len(imp.meetings)} hội nghị xem xét, đánh giá việc thực hiện: {items}."
        )
    if imp.assigned_units:
        out.append(
            f"{imp.assigned_targets} chỉ tiêu được giao cho {imp.assigned_units} đơn vị trực thuộc "
            "thực hiện và báo cáo kết quả định kỳ."
        )
    if imp.expected_units == 1 and imp.own_only:
        # A unit with nobody under it: whether it reported itself.
        done = not imp.missing and not imp.partial
        text = f"{data.unit.name} {'đã gửi đủ' if done else 'chưa gửi đủ'} số liệu của kỳ"
        if imp.late:
            text += ", có số liệu gửi chậm so với thời hạn"
        out.append(text + ".")
    elif imp.expected_units:
        full = imp.expected_units - len(imp.missing) - len(imp.partial)
        text = f"Trong kỳ, {full}/{imp.expected_units} đơn vị đã gửi đủ số liệu"
        if imp.late:
            text += f"; {len(imp.late)} đơn vị gửi chậm so với thời hạn"
        out.append(text + ".")
    return out


# -- II/III. shortcomings, causes, directions ------------------------------------


def _gap_text(row, which: str) -> str:
    """How far a target is from its goal: "đạt 45% kế hoạch năm 2026, còn thiếu 110 đảng viên"."""
    from .review import fmt_pct, fmt_value, is_rate, with_measure

    r = row.result
    t = r.target
    measure = t.measure
    if r.goal is None or r.value is None:
        return ""
    if t.direction == Direction.LOWER:
        over = r.value - r.goal
        unit_word = " điểm phần trăm" if is_rate(t) else f" {measure}" if measure else ""
        return f"{with_measure(r.value, measure)}, vượt mức tối đa {which} ({with_measure(r.goal, measure)}) {fmt_value(over)}{unit_word}"
    short = r.goal - r.value
    unit_word = " điểm phần trăm" if is_rate(t) else f" {measure}" if measure else ""
    if t.direction == Direction.THRESHOLD or r.achievement is None:
        return f"{with_measure(r.value, measure)}, chưa đạt mức {with_measure(r.goal, measure)} {which}, còn thiếu {fmt_value(short)}{unit_word}"
    return (
        f"{with_measure(r.value, measure)}, đạt {fmt_pct(r.achievement)}% {which} ({with_measure(r.goal, measure)}), "
        f"còn thiếu {fmt_value(short)}{unit_word}"
    )


def _which(data, row) -> str:
    return f"kế hoạch năm {data.year}" if row.year_goal is not None else "mục tiêu nhiệm kỳ"


def not_met_rows(data) -> list:
    return [r for r in data.rows if r.result.outcome == Outcome.NOT_MET and r.result.goal is not None]


def slow_rows(data) -> list:
    """At mid-year, targets still under half their annual goal (not yet judged)."""
    if not data.mid_year:
        return []
    return [
        r
        for r in data.rows
        if r.result.outcome == Outcome.NOT_ASSESSED
        and r.result.achievement is not None
        and r.result.achievement < 50
        and r.result.target.direction == Direction.HIGHER
    ]


def _lagging(data, row, n: int = 3) -> str:
    lag = lagging_units(row.result, n)
    if not lag:
        return ""
    from .review import fmt_pct

    return ", ".join(f"{data.unit_names.get(u.unit_id, '')} đạt {fmt_pct(u.achievement)}%" for u in lag)


def _overdue_lines(data) -> list:
    return [line for dt_ in data.task_docs for line in dt_.lines if line.overdue]


def shortcoming_paragraphs(data) -> list[str]:
    imp: Implementation = data.implementation
    out = []
    missed = not_met_rows(data)
    if missed:
        items = "; ".join(f"{r.result.target.name}: {_gap_text(r, _which(data, r))}" for r in missed)
        out.append(f"Có {len(missed)} chỉ tiêu chưa đạt: {items}.")
    slow = slow_rows(data)
    if slow:
        items = "; ".join(f"{r.result.target.name} (đạt {_pct(r)}% {_which(data, r)})" for r in slow)
        out.append(f"Một số chỉ tiêu chưa đạt 50% kế hoạch năm: {items}.")
    no_data = [r for r in data.rows if r.result.value is None]
    if no_data:
        listed = "; ".join(r.result.target.name for r in no_data[:MAX_TARGETS])
        more = f" và {len(no_data) - MAX_TARGETS} chỉ tiêu khác" if len(no_data) > MAX_TARGETS else ""
        out.append(f"{len(no_data)} chỉ tiêu chưa có số liệu để đánh giá: {listed}{more}.")
    if imp.missing or imp.partial or imp.late:
        parts = []
        if imp.missing:
            parts.append(f"{len(imp.missing)} đơn vị chưa gửi số liệu ({names(imp.missing)})")
        if imp.partial:
            parts.append(f"{len(imp.partial)} đơn vị gửi chưa đủ ({names(imp.partial)})")
        if imp.late:
            parts.append(f"{len(imp.late)} đơn vị gửi chậm so với thời hạn ({names(imp.late)})")
        out.append("Việc báo cáo số liệu chưa nghiêm: " + "; ".join(parts) + ".")
    overdue = _overdue_lines(data)
    if overdue:
        n = sum(line.overdue for line in overdue)
        items = "; ".join(
            f"{line.title} ({names(line.overdue_units, 3)}, thời hạn {format_date_official(line.deadline)})"
            for line in overdue[:MAX_NAMES]
        )
        more = f" và {len(overdue) - MAX_NAMES} nhiệm vụ khác" if len(overdue) > MAX_NAMES else ""
        out.append(f"{n} nhiệm vụ quá hạn nhưng chưa hoàn thành: {items}{more}.")
    if not out:
        out.append(
            "Theo số liệu theo dõi, không có chỉ tiêu chưa đạt, các đơn vị gửi số liệu đầy đủ, đúng hạn "
            "và không có nhiệm vụ quá hạn."
        )
    return out


def _pct(row) -> str:
    from .review import fmt_pct

    return fmt_pct(row.result.achievement)


def cause_paragraphs(data) -> list[str]:
    imp: Implementation = data.implementation
    out = []
    for row in not_met_rows(data) + slow_rows(data):
        lag = _lagging(data, row)
        if lag:
            out.append(
                f"{row.result.target.name}: kết quả ở một số đơn vị còn thấp so với mục tiêu được giao ({lag})."
            )
    if imp.missing or imp.partial or imp.late:
        out.append(
            "Chế độ thông tin, báo cáo ở một số đơn vị chưa được thực hiện nghiêm "
            f"({len(imp.missing) + len(imp.partial)} đơn vị chưa gửi đủ số liệu, {len(imp.late)} đơn vị gửi chậm), "
            "nên số liệu tổng hợp chưa phản ánh đầy đủ kết quả thực hiện."
        )
    overdue = _overdue_lines(data)
    if overdue:
        units: list[OrgUnit] = []
        for line in overdue:
            units += [u for u in line.overdue_units if u not in units]
        out.append(
            "Việc theo dõi, đôn đốc thực hiện nhiệm vụ chưa chặt chẽ; nhiệm vụ quá hạn tập trung ở "
            f"{names(units)}."
        )
    if data.rollup.provisional:
        out.append("Kỳ báo cáo chưa hết hạn gửi số liệu nên một số kết quả còn tạm tính, chưa đánh giá.")
    if not out:
        out.append(
            "Các cấp ủy, tổ chức đảng trong phạm vi báo cáo đã bám sát mục tiêu, nhiệm vụ được giao; "
            "chế độ báo cáo được thực hiện đầy đủ, đúng hạn."
        )
    return out


def direction_paragraphs(data) -> list[str]:
    imp: Implementation = data.implementation
    out = [f"Tiếp tục lãnh đạo, chỉ đạo tổ chức thực hiện có hiệu quả {short_ref(data.document)}."]
    focus = not_met_rows(data) + slow_rows(data)
    if focus:
        items = []
        for row in focus:
            goal = row.result.goal
            text = row.result.target.name
            if goal is not None:
                text += f" (phấn đấu đạt {_which(data, row)}: {_with(row, goal)})"
            items.append(text)
        out.append(
            "Tập trung chỉ đạo các chỉ tiêu chưa đạt hoặc chưa đạt 50% kế hoạch năm: "
            + "; ".join(items)
            + "."
        )
    overdue = _overdue_lines(data)
    if overdue:
        out.append(
            "Đôn đốc hoàn thành dứt điểm các nhiệm vụ quá hạn: "
            + "; ".join(f"{line.title} ({names(line.overdue_units, 3)})" for line in overdue[:MAX_NAMES])
            + "."
        )
    upcoming = sorted(
        (
            line
            for dt_ in data.task_docs
            for line in dt_.lines
            if line.open and line.deadline is not None and line.deadline > data.period.end
        ),
        key=lambda line: line.deadline,
    )
    if upcoming:
        out.append(
            "Triển khai các nhiệm vụ đến hạn trong thời gian tới: "
            + "; ".join(
                f"{line.title} (thời hạn {format_date_official(line.deadline)})"
                for line in upcoming[:MAX_NAMES]
            )
            + "."
        )
    if imp.missing or imp.partial or imp.late:
        late = [u for u in imp.missing + imp.partial + imp.late]
        seen: list[OrgUnit] = []
        for u in late:
            if u not in seen:
                seen.append(u)
        out.append(f"Chấn chỉnh chế độ báo cáo; yêu cầu {names(seen)} gửi số liệu đầy đủ, đúng thời hạn.")
    return out


def _with(row, value: Decimal) -> str:
    from .review import with_measure

    return with_measure(value, row.result.target.measure)
