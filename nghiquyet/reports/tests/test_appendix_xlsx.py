"""The appendix as .xlsx: numbers as numbers equal to the roll-up, frozen
header, print set-up, group rows."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from nghiquyet.reports.appendix_xlsx import FIRST_ROW, build_appendix_xlsx
from nghiquyet.reports.review import review_data
from nghiquyet.targets.rollup import rollup

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(build_appendix_xlsx(data)))
    return wb["Phụ lục"]


def test_titles_header_and_print_setup(sheet):
    assert sheet["A1"].value == "PHỤ LỤC"
    assert sheet["A3"].value == "6 tháng đầu năm 2026"
    assert "Tỉnh ủy Hà Tĩnh" in sheet["A4"].value
    assert [sheet.cell(row=6, column=c).value for c in range(1, 10)] == [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Mục tiêu",
        None,
        "Kết quả kỳ báo cáo",
        "So với kế hoạch (%)",
        "So với cùng kỳ",
        "Đánh giá",
    ]
    assert sheet["D7"].value == "Nhiệm kỳ" and sheet["E7"].value == "Năm 2026"
    assert sheet.freeze_panes == f"C{FIRST_ROW}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 == "9"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$6:$7"
    assert sheet["B6"].font.name == "Times New Roman" and sheet["B6"].font.b


def test_every_number_matches_the_rollup(sheet, review, tree):
    fresh = {t.target.name: t for t in rollup(review.doc, tree.province, review.period).targets}
    rows = list(sheet.iter_rows(min_row=FIRST_ROW, values_only=True))
    groups = [r for r in rows if r[0] in ("I", "II", "III")]
    assert [g[1] for g in groups] == ["Văn hóa – xã hội", "Môi trường", "Xây dựng Đảng và hệ thống chính trị"]
    assert sheet.cell(row=FIRST_ROW, column=2).font.b
    lines = {r[1]: r for r in rows if isinstance(r[0], int)}
    assert set(lines) == set(fresh)
    for name, t in fresh.items():
        line = lines[name]
        assert line[2] == t.target.measure
        assert Decimal(str(line[3])) == t.target.target_value
        assert Decimal(str(line[5])) == t.value
        assert Decimal(str(line[6])) == t.achievement
        assert line[8] == t.outcome_label
    members = lines["Kết nạp đảng viên mới"]
    assert members[3:8] == (1000, 200, 120, 60, 120)
    assert isinstance(members[5], int)
    poverty = lines["Tỷ lệ hộ nghèo"]
    assert poverty[5] == 2.575 and poverty[7] == -0.48
    row = next(
        r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value == "Tỷ lệ hộ nghèo"
    )
    assert sheet.cell(row=row, column=6).number_format == "#,##0.0#"
    assert "điểm %" in sheet.cell(row=row, column=8).number_format
    texts = [r[0] for r in rows if isinstance(r[0], str)]
    assert "Tổng số 3 chỉ tiêu: 1 đạt và vượt, 2 đánh giá vào cuối năm." in texts
