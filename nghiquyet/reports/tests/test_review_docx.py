"""The review report as a Word file: header blocks, fonts, page, body
sentences, and every number of the appendix against the roll-up."""

from __future__ import annotations

import io
from decimal import Decimal

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from nghiquyet.core.numbers import format_number
from nghiquyet.reports.letterhead import letterhead_for
from nghiquyet.reports.review import build_review_docx, fmt_pct, fmt_value, review_data
from nghiquyet.targets.rollup import rollup

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def texts(cell):
    return [p.text for p in cell.paragraphs]


def runs_of(cell):
    return [r for p in cell.paragraphs for r in p.runs]


@pytest.fixture
def report(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    return data, open_docx(build_review_docx(data))


def test_header_blocks_both_sides(report):
    _, d = report
    header = d.tables[0]
    assert len(header.rows) == 1 and len(header.columns) == 2
    left, right = header.rows[0].cells
    assert texts(left) == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "TỈNH ỦY",
        "*",
        "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-BC/TU",
    ]
    issuer = left.paragraphs[1].runs[0]
    assert issuer.bold
    assert not left.paragraphs[0].runs[0].bold
    assert texts(right)[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    party = right.paragraphs[0].runs[0]
    assert party.bold and party.underline
    assert texts(right)[-1] == "Hà Tĩnh, ngày 10 tháng 8 năm 2026"
    assert right.paragraphs[-1].runs[0].italic
    # The date stands on the line of the sign.
    assert len(texts(right)) == len(texts(left))


def test_header_table_has_no_borders(report):
    _, d = report
    tbl_pr = d.tables[0]._tbl.tblPr
    assert tbl_pr.find(qn("w:tblBorders")) is None
    assert d.tables[0].style is None or d.tables[0].style.name == "Normal Table"


def test_every_run_is_times_new_roman_in_all_font_slots(report):
    _, d = report
    runs = [r for p in d.paragraphs for r in p.runs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                runs += runs_of(cell)
    assert len(runs) > 50
    for r in runs:
        fonts = r._element.rPr.find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(slot)) == "Times New Roman", (r.text, slot)
        assert r.font.size is not None


def test_sizes_follow_the_guidance(report):
    _, d = report
    body = [p for p in d.paragraphs if p.text.startswith("- Kết nạp đảng viên mới")]
    assert body and body[0].runs[0].font.size.pt == 14
    left = d.tables[0].rows[0].cells[0]
    assert {r.font.size.pt for r in runs_of(left)} == {14}
    appendix = d.tables[-1]
    assert {r.font.size.pt for r in runs_of(appendix.rows[3].cells[1])} == {12}


def test_page_is_a4_with_official_margins_and_a_landscape_appendix(report):
    _, d = report
    first, appendix = d.sections[0], d.sections[-1]

    def mm(length):
        return round(length.mm)

    assert (mm(first.page_width), mm(first.page_height)) == (210, 297)
    assert mm(first.top_margin) == mm(first.bottom_margin) == 20
    assert mm(first.left_margin) == 30 and 15 <= mm(first.right_margin) <= 20
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (297, 210)
    assert appendix.orientation == WD_ORIENT.LANDSCAPE


def test_title_and_subject(report):
    _, d = report
    paras = [p for p in d.paragraphs if p.text]
    title = next(p for p in paras if p.text == "BÁO CÁO")
    assert title.runs[0].bold
    subject = paras[paras.index(title) + 1]
    assert subject.text.startswith("sơ kết 6 tháng đầu năm 2026 thực hiện Nghị quyết Đại hội")
    assert subject.runs[0].bold


def test_body_states_the_counts_and_each_target(report):
    data, d = report
    text = "\n".join(p.text for p in d.paragraphs)
    # Issue 11: a target whose time has not come is not called "chưa đánh
    # giá", and the mid-year count leaves out a year-end-only target, saying so.
    assert "Trong tổng số 3 chỉ tiêu: 1 đạt và vượt, 2 đánh giá vào cuối năm" in text
    # Mid-year: the count of targets past half the annual goal.
    assert (
        "có 02 chỉ tiêu đạt từ 50% trở lên so với kế hoạch năm "
        "(không tính 01 chỉ tiêu: Tỷ lệ che phủ rừng – chỉ đánh giá vào cuối năm)" in text
    )
    assert (
        "- Kết nạp đảng viên mới: 120 đảng viên, đạt 60% kế hoạch năm 2026 (200 đảng viên); "
        "tăng 20% so với cùng kỳ; đánh giá vào cuối năm." in text
    )
    # 2,575% against 3,05% a year before (households-weighted).
    assert (
        "- Tỷ lệ hộ nghèo: 2,58%, kế hoạch năm 2026: không quá 3%; "
        "giảm 0,5 điểm phần trăm so với cùng kỳ; vượt chỉ tiêu." in text
    )
    assert "- Tỷ lệ che phủ rừng: 50%, mục tiêu nhiệm kỳ: 50%; đánh giá vào cuối năm." in text
    paras = [p.text for p in d.paragraphs]
    for heading in (
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "1. Hạn chế",
        "2. Nguyên nhân",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    ):
        assert heading in paras
    # Counted as the tasks stood at the period's end (30/6/2026).
    assert "Đến ngày 30/6/2026, tổng số 1 nhiệm vụ: 1 chưa thực hiện; trong đó 1 nhiệm vụ đã quá hạn." in text
    assert "Rà soát, kiện toàn chi bộ thôn, tổ dân phố (Đảng ủy xã Đức Thọ, thời hạn 30/6/2026)" in text


def test_recipients_and_signature(report):
    _, d = report
    block = d.tables[1]
    left, right = block.rows[0].cells
    assert texts(left)[0] == "Nơi nhận:"
    assert left.paragraphs[0].runs[0].underline
    assert any("Lưu Văn phòng Tỉnh ủy" in t for t in texts(left))
    assert texts(right)[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


def test_appendix_numbers_match_the_rollup(report, review, tree):
    data, d = report
    table = d.tables[-1]
    head = [c.text for c in table.rows[0].cells]
    assert head[:3] == ["STT", "Chỉ tiêu", "Đơn vị tính"]
    assert head[3] == head[4] == "Mục tiêu"
    assert [c.text for c in table.rows[1].cells][3:5] == ["Nhiệm kỳ", "Năm 2026"]
    assert head[5:] == ["Kết quả kỳ báo cáo", "So với kế hoạch (%)", "So với cùng kỳ", "Đánh giá"]
    # Both header rows repeat on every page.
    for row in table.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None

    fresh = {t.target.code: t for t in rollup(review.doc, tree.province, review.period).targets}
    rows = [[c.text for c in r.cells] for r in table.rows[2:]]
    groups = [r for r in rows if r[0] in ("I", "II", "III")]
    assert [g[0] for g in groups] == ["I", "II", "III"]
    assert [g[1] for g in groups] == ["Văn hóa – xã hội", "Môi trường", "Xây dựng Đảng và hệ thống chính trị"]
    # Group rows are bold.
    group_row = table.rows[2]
    assert all(r.bold for r in runs_of(group_row.cells[1]))
    lines = {r[1]: r for r in rows if r[0] not in ("I", "II", "III")}
    assert len(lines) == 3
    for code, name in (("1", "Kết nạp đảng viên mới"), ("2", "Tỷ lệ hộ nghèo"), ("3", "Tỷ lệ che phủ rừng")):
        t = fresh[code]
        line = lines[name]
        assert line[2] == t.target.measure
        assert line[3] == fmt_value(t.target.target_value)
        assert line[5] == format_number(t.value.quantize(Decimal("0.01")).normalize())
        assert line[6] == fmt_pct(t.achievement)
        assert line[8] == t.outcome_label
    assert lines["Kết nạp đảng viên mới"][3:] == [
        "1.000",
        "200",
        "120",
        "60",
        "120%",
        "Đánh giá vào cuối năm",
    ]
    assert lines["Tỷ lệ hộ nghèo"][3:] == ["1,5", "3", "2,58", "116,5", "-0,5 điểm %", "Vượt"]
    assert lines["Tỷ lệ che phủ rừng"][3:] == ["50", "", "50", "100", "", "Đánh giá vào cuối năm"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "PHỤ LỤC" in text
    assert "Tổng số 3 chỉ tiêu: 1 đạt và vượt, 2 đánh giá vào cuối năm." in text


def test_commune_letterhead(tree):
    head = letterhead_for(tree.commune_a)
    assert head.superior == "ĐẢNG BỘ TỈNH HÀ TĨNH"
    assert head.issuer == "ĐẢNG ỦY XÃ ĐỨC THỌ"
    assert head.sign("BC").endswith("-BC/ĐU")
    assert head.place == "Đức Thọ"
