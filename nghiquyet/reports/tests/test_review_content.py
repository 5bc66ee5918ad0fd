"""What the review report says (issue 11, item 7): a commune's report on
the commune's own targets and goals; tasks of the period as they stood at
its end, grouped by document, the same task given to many units stated
once; a leadership section; shortcomings, causes and directions drafted
from the data, with no dotted placeholders. Expectations by hand."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import pytest
import time_machine
from docx.oxml.ns import qn

from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen
from nghiquyet.documents.models import Document
from nghiquyet.meetings.actions import do_create_meeting
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.reports.review import build_review_docx, review_data
from nghiquyet.reports.review_tasks import status_on
from nghiquyet.targets.actions import do_save_result, do_set_goals
from nghiquyet.targets.models import (
    Assignment,
    Milestone,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from nghiquyet.tasks.actions import do_create_task, do_create_task_for_units, do_set_task_status
from nghiquyet.tasks.models import Task, TaskKind, TaskStatus

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def body_text(data) -> tuple[list[str], docx.document.Document]:
    d = docx.Document(io.BytesIO(build_review_docx(data)))
    return [p.text for p in d.paragraphs], d


def at(day: dt.date):
    """Travel to 9:00 on ``day`` (the same date in UTC and in Vietnam)."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, 0), tick=False)


# -- a commune's report: its own targets and goals ------------------------------------


@pytest.fixture
def province_only(review, tree):
    """A target of the resolution given to no commune (the province's own)."""
    return Target.objects.create(
        document=review.doc,
        code="4",
        name="Thu ngân sách nhà nước trên địa bàn",
        group=TargetGroup.ECONOMY,
        measure="tỷ đồng",
        value_type=ValueType.NUMBER,
        target_value=Decimal(4300),
        time_aggregation=TimeAggregation.SUM,
        unit_aggregation=UnitAggregation.SUM,
        order=4,
    )


def test_commune_report_states_only_the_communes_targets_and_goals(review, tree, province_only):
    do_set_goals(
        Assignment.objects.get(target=review.new_members, unit=tree.commune_a),
        {"term": 150},
        acting_user=None,
    )
    data = review_data(review.doc, tree.commune_a, review.period, on=TODAY)
    names = [r.target.name for r in data.rows]
    # The province-only target is not the commune's: 3 targets, not 4.
    assert names == ["Tỷ lệ hộ nghèo", "Tỷ lệ che phủ rừng", "Kết nạp đảng viên mới"]
    assert data.own_goals
    paras, d = body_text(data)
    text = "\n".join(paras)
    assert "Thu ngân sách" not in text
    assert "Trong tổng số 3 chỉ tiêu" in text
    # Never the province's goals: term 1.000, 2026 milestone 200.
    assert "1.000" not in text and "(200 đảng viên)" not in text
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in d.tables[-1].rows[2:]}
    assert "Thu ngân sách nhà nước trên địa bàn" not in rows
    # Kết nạp: the commune's own term goal 150, no province year goal;
    # 30 + 40 = 70 new members in the half year.
    assert rows["Kết nạp đảng viên mới"][3] == "150"
    assert rows["Kết nạp đảng viên mới"][4] != "200"
    assert rows["Kết nạp đảng viên mới"][5] == "70"
    # Poverty: no goal given to the commune, so none shown and no verdict on it.
    assert rows["Tỷ lệ hộ nghèo"][3:5] == ["", ""]
    assert rows["Tỷ lệ hộ nghèo"][6] == ""
    line = next(p for p in paras if p.startswith("- Tỷ lệ hộ nghèo"))
    assert line.startswith("- Tỷ lệ hộ nghèo: 2,8%, giảm 0,4 điểm phần trăm so với cùng kỳ;")
    assert "kế hoạch" not in line and "vượt chỉ tiêu" not in line
    # Due: 3 targets × 2 quarters; sent: 4 figures, all on 10/8/2026, after
    # Quý I's window (15/4) and Quý II's (15/7).
    assert "Đảng ủy xã Đức Thọ chưa gửi đủ số liệu của kỳ, có số liệu gửi chậm so với thời hạn." in paras


def test_province_report_keeps_every_target_and_the_documents_goals(review, tree, province_only):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    assert not data.own_goals
    assert len(data.rows) == 4
    row = next(r for r in data.rows if r.target.code == "1")
    assert (row.term_goal, row.year_goal) == (Decimal(1000), Decimal(200))


# -- tasks: of the period, at its end, grouped, not repeated --------------------------


@pytest.fixture
def tasks(review, tree, users):
    """On 1/2/2026 one task given to the province and both communes
    (deadline 31/5/2026); Đức Thọ starts it that day and finishes on
    20/7/2026 (after the half year), Tùng Ảnh finishes on 20/5/2026, the
    province never starts. A task finished on 15/11/2025 belongs to an
    earlier period. A plan implementing the resolution gives one more."""
    admin = users.province_admin
    with at(dt.date(2025, 11, 1)):
        old = do_create_task(
            title="Tổng kết công tác năm 2025",
            lead_unit=tree.commune_b,
            deadline=dt.date(2025, 12, 31),
            source_document=review.doc,
            acting_user=admin,
        )
    with at(dt.date(2025, 11, 15)):
        do_set_task_status(old, TaskStatus.DONE, acting_user=admin)
    with at(dt.date(2026, 2, 1)):
        province, a, b = do_create_task_for_units(
            title="Xây dựng kế hoạch phát triển đảng viên",
            units=[tree.province, tree.commune_a, tree.commune_b],
            deadline=dt.date(2026, 5, 31),
            kind=TaskKind.KEY,
            source_document=review.doc,
            acting_user=admin,
        )
        do_set_task_status(a, TaskStatus.IN_PROGRESS, acting_user=admin)
    with at(dt.date(2026, 5, 20)):
        do_set_task_status(b, TaskStatus.DONE, acting_user=admin)
    with at(dt.date(2026, 7, 20)):
        do_set_task_status(a, TaskStatus.DONE, acting_user=admin)
    plan = Document.objects.create(
        kind="ke_hoach",
        number="05",
        sign="05-KH/TU",
        title="Thực hiện Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
        issuing_unit=tree.province,
        issued=dt.date(2025, 11, 20),
    )
    plan.implements.add(review.doc)
    with at(dt.date(2026, 3, 1)):
        do_create_task(
            title="Số hóa hồ sơ đảng viên",
            lead_unit=tree.commune_b,
            deadline=dt.date(2026, 12, 31),
            source_document=plan,
            acting_user=admin,
        )
    return {"old": old, "province": province, "a": a, "b": b, "plan": plan}


def test_task_state_is_the_one_at_the_periods_end(tasks):
    end = dt.date(2026, 6, 30)
    a = (
        Task.objects.prefetch_related("status_changes")
        .select_related("source_document")
        .get(pk=tasks["a"].pk)
    )
    b = (
        Task.objects.prefetch_related("status_changes")
        .select_related("source_document")
        .get(pk=tasks["b"].pk)
    )
    # Today Đức Thọ's is done (late); on 30/6/2026 it was in progress.
    assert a.status == TaskStatus.DONE_LATE
    assert status_on(a, end) == TaskStatus.IN_PROGRESS
    assert status_on(a, dt.date(2026, 7, 20)) == TaskStatus.DONE_LATE
    assert status_on(b, end) == TaskStatus.DONE
    assert status_on(b, dt.date(2026, 5, 19)) == TaskStatus.NOT_STARTED
    # Before its document was issued (15/10/2025) the task did not exist.
    assert status_on(a, dt.date(2025, 10, 1)) is None


def test_a_completion_recorded_late_counts_from_its_completion_date(review, users):
    """Recorded today (10/8/2026) as finished on 20/6/2026: done at the
    half year's end, not started before 20/6."""
    task = do_create_task(
        title="Hoàn thiện quy hoạch khu công nghiệp",
        lead_unit=review.task.lead_unit,
        deadline=dt.date(2026, 6, 30),
        source_document=review.doc,
        acting_user=users.province_admin,
    )
    do_set_task_status(task, TaskStatus.DONE, on=dt.date(2026, 6, 20), acting_user=users.province_admin)
    task = Task.objects.prefetch_related("status_changes").select_related("source_document").get(pk=task.pk)
    assert status_on(task, dt.date(2026, 6, 30)) == TaskStatus.DONE
    assert status_on(task, dt.date(2026, 6, 19)) == TaskStatus.NOT_STARTED


def test_tasks_are_counted_at_the_periods_end_grouped_by_document_and_never_repeated(review, tree, tasks):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    paras, _ = body_text(data)
    text = "\n".join(paras)
    # Resolution: the fixture's task (not started, due 30/6) and the
    # shared one: province not started, Đức Thọ in progress, Tùng Ảnh
    # done; the task done in 2025 left out. Plan: one, not started, not due.
    assert (
        "Đến ngày 30/6/2026, tổng số 5 nhiệm vụ: 1 hoàn thành, 1 đang thực hiện, 3 chưa thực hiện; "
        "trong đó 3 nhiệm vụ đã quá hạn." in paras
    )
    assert (
        "Thực hiện Nghị quyết số 01-NQ/ĐH ngày 15/10/2025: 4 nhiệm vụ: 1 hoàn thành, 1 đang thực hiện, "
        "2 chưa thực hiện; trong đó 3 nhiệm vụ đã quá hạn." in paras
    )
    assert "Thực hiện Kế hoạch số 05-KH/TU ngày 20/11/2025: 1 nhiệm vụ: 1 chưa thực hiện." in paras
    shared = [p for p in paras if p.startswith("- Xây dựng kế hoạch phát triển đảng viên")]
    assert shared == [
        "- Xây dựng kế hoạch phát triển đảng viên (3 đơn vị, thời hạn 31/5/2026): 1 đơn vị hoàn thành, "
        "1 đơn vị đang thực hiện, 1 đơn vị chưa thực hiện; quá hạn chưa hoàn thành: "
        "Tỉnh ủy Hà Tĩnh, Đảng ủy xã Đức Thọ."
    ]
    assert "Tổng kết công tác năm 2025" not in text
    # Routine and on time: counted, not named.
    assert "- Số hóa hồ sơ đảng viên" not in text
    # ... but named among the tasks falling due next.
    assert "Số hóa hồ sơ đảng viên (thời hạn 31/12/2026)" in text


def test_a_commune_report_counts_only_its_own_tasks(review, tree, tasks):
    data = review_data(review.doc, tree.commune_b, review.period, on=TODAY)
    paras, _ = body_text(data)
    # Tùng Ảnh: the shared task (done on 20/5) and the plan's (not started).
    assert "Đến ngày 30/6/2026, tổng số 2 nhiệm vụ: 1 hoàn thành, 1 chưa thực hiện." in paras


# -- leadership, shortcomings, causes, directions -------------------------------------


@pytest.fixture
def weak(review, tree, users):
    """A rate the communes fall short of (goal 90% for each and for 2026),
    and a third commune assigned the resolution that never reports."""
    target = Target.objects.create(
        document=review.doc,
        code="5",
        name="Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        group=TargetGroup.PARTY,
        measure="%",
        value_type=ValueType.PERCENT,
        target_value=Decimal(90),
        time_aggregation=TimeAggregation.LATEST,
        unit_aggregation=UnitAggregation.MEAN,
        order=5,
    )
    Milestone.objects.create(target=target, year=2026, value=Decimal(90))
    for unit in (tree.commune_a, tree.commune_b):
        do_set_goals(
            Assignment.objects.create(target=target, unit=unit),
            {"term": Decimal(90), "2026": Decimal(90)},
            acting_user=None,
        )
    silent = OrgUnit.objects.create(
        name="Đảng ủy xã Hòa Lạc", kind=UnitKind.COMMUNE, parent=tree.province, valid_from=dt.date(2025, 7, 1)
    )
    Assignment.objects.create(target=review.new_members, unit=silent)
    q2 = Period.quarter(2026, 2)
    reopen(tree.province, q2)  # Q2's reporting window has closed: entry reopened from above
    do_save_result(target, tree.commune_a, q2, "80", acting_user=users.province_admin, submit=True)
    do_save_result(target, tree.commune_b, q2, "70", acting_user=users.province_admin, submit=True)
    return target, silent


def test_shortcomings_causes_and_directions_are_drafted_from_the_data(review, tree, users, weak):
    target, silent = weak
    with at(dt.date(2026, 7, 10)):
        do_create_meeting(
            kind="btv",
            title="Hội nghị Ban Thường vụ Tỉnh ủy sơ kết 6 tháng đầu năm 2026",
            date=dt.date(2026, 6, 25),
            organiser=tree.province,
            acting_user=users.province_admin,
            documents=[review.doc],
        )
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    paras, _ = body_text(data)
    text = "\n".join(paras)
    section = paras[
        paras.index("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN") + 1 : paras.index(
            "II. KẾT QUẢ THỰC HIỆN"
        )
    ]
    assert (
        "Trong kỳ đã tổ chức 1 hội nghị xem xét, đánh giá việc thực hiện: "
        "Hội nghị Ban Thường vụ Tỉnh ủy sơ kết 6 tháng đầu năm 2026 (25/6/2026)." in section
    )
    # Hòa Lạc is the third unit given targets.
    assert "4 chỉ tiêu được giao cho 3 đơn vị trực thuộc thực hiện và báo cáo kết quả định kỳ." in section

    limits = paras[paras.index("1. Hạn chế") + 1 : paras.index("2. Nguyên nhân")]
    # Mean of 80 and 70 = 75 against 90: 83,3%, 15 points short.
    assert any(
        "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ: 75%, đạt 83,3% kế hoạch năm 2026 (90%), "
        "còn thiếu 15 điểm phần trăm" in p
        for p in limits
    ), limits
    assert any("1 đơn vị chưa gửi số liệu (Đảng ủy xã Hòa Lạc)" in p for p in limits), limits
    assert any(
        "1 nhiệm vụ quá hạn nhưng chưa hoàn thành: Rà soát, kiện toàn chi bộ thôn" in p for p in limits
    )

    causes = paras[
        paras.index("2. Nguyên nhân") + 1 : paras.index("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")
    ]
    # Each commune against its own 90%: 70/90 = 77,8%, 80/90 = 88,9%, lowest first.
    assert (
        "- Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ: kết quả ở một số đơn vị còn thấp so với mục tiêu "
        "được giao (Đảng ủy xã Tùng Ảnh đạt 77,8%, Đảng ủy xã Đức Thọ đạt 88,9%)." in causes
    )
    directions = paras[paras.index("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI") + 1 :]
    assert any(
        "Tập trung chỉ đạo các chỉ tiêu chưa đạt hoặc chưa đạt 50% kế hoạch năm: Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ "
        "(phấn đấu đạt kế hoạch năm 2026: 90%)" in p
        for p in directions
    ), directions
    assert any("yêu cầu" in p and "Đảng ủy xã Hòa Lạc" in p for p in directions)
    # No dotted lines or "to be filled in" notes anywhere in the body.
    assert "……" not in text and "...." not in text
    assert "bổ sung.)" not in text


def test_nothing_to_fault_says_so_plainly(review, tree, users):
    """No targets missed, all reported on time, no task overdue: the
    sections still say something, from the data."""
    Task.objects.all().delete()
    data = review_data(review.doc, tree.province, Period.year(2024), on=TODAY)
    paras, _ = body_text(data)
    limits = paras[paras.index("1. Hạn chế") + 1 : paras.index("2. Nguyên nhân")]
    assert limits and all(p.startswith("- ") and len(p) > 20 for p in limits)
    assert "……" not in "\n".join(paras)


# -- layout: keep-with-next and the appendix's page numbers ---------------------------


def test_headings_counts_and_group_rows_keep_with_what_follows(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    _, d = body_text(data)
    by_text = {p.text: p for p in d.paragraphs if p.text}
    for heading in ("II. KẾT QUẢ THỰC HIỆN", "1. Kết quả thực hiện các chỉ tiêu", "a) Văn hóa – xã hội"):
        assert by_text[heading].paragraph_format.keep_with_next, heading
    summary = next(p for t, p in by_text.items() if t.startswith("Trong tổng số 3 chỉ tiêu"))
    assert summary.paragraph_format.keep_with_next
    table = d.tables[-1]
    group_row = next(r for r in table.rows if r.cells[0].text == "I")
    assert all(p.paragraph_format.keep_with_next for c in group_row.cells for p in c.paragraphs)
    # The last line holds on to the counts under the table.
    assert all(p.paragraph_format.keep_with_next for c in table.rows[-1].cells for p in c.paragraphs)


def test_the_appendix_first_page_is_numbered(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    _, d = body_text(data)
    first, appendix = d.sections[0], d.sections[-1]
    # The report's first page carries no number (Hướng dẫn 36); the
    # appendix's first page does: no separate first-page header there.
    assert first.different_first_page_header_footer
    assert not appendix.different_first_page_header_footer
    assert appendix._sectPr.find(qn("w:titlePg")) is None
    # Its header is the report's numbered one.
    header = first.header if appendix.header.is_linked_to_previous else appendix.header
    assert "PAGE" in header._element.xml


@pytest.mark.parametrize(
    ("direction", "measure", "value_type", "value", "goal", "achievement", "expected"),
    [
        # A cap exceeded: 700 crimes against at most 660, 40 over.
        (
            "lower",
            "vụ",
            "integer",
            "700",
            "660",
            None,
            "700 vụ, vượt mức tối đa kế hoạch năm 2026 (660 vụ) 40 vụ",
        ),
        # A threshold missed: 48% against 50%, 2 points short.
        (
            "threshold",
            "%",
            "percent",
            "48",
            "50",
            None,
            "48%, chưa đạt mức 50% kế hoạch năm 2026, còn thiếu 2 điểm phần trăm",
        ),
        # Higher is better: 1.800 of 2.000, 90%, 200 short.
        (
            "higher",
            "tỷ đồng",
            "number",
            "1800",
            "2000",
            "90",
            "1.800 tỷ đồng, đạt 90% kế hoạch năm 2026 (2.000 tỷ đồng), còn thiếu 200 tỷ đồng",
        ),
    ],
)
def test_how_far_from_the_goal(direction, measure, value_type, value, goal, achievement, expected):
    from types import SimpleNamespace

    from nghiquyet.reports.review_draft import _gap_text

    target = SimpleNamespace(direction=direction, measure=measure, value_type=value_type)
    result = SimpleNamespace(
        target=target,
        value=Decimal(value),
        goal=Decimal(goal),
        achievement=Decimal(achievement) if achievement else None,
    )
    assert _gap_text(SimpleNamespace(result=result), "kế hoạch năm 2026") == expected
