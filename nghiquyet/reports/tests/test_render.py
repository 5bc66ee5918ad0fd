"""The report through LibreOffice to PDF and PNG pages (CI installs both;
the pages are left in test-artifacts/ to look at)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from nghiquyet.reports.pdf import soffice_path, to_pdf
from nghiquyet.reports.review import build_review_docx, review_data

from .conftest import TODAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        soffice_path() is None, reason="LibreOffice (soffice) chưa được cài: bỏ qua kiểm tra PDF"
    ),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) chưa được cài"),
]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "reports"


def render(name: str, docx_bytes: bytes) -> tuple[list[Path], str]:
    """Write .docx, .pdf and one PNG per page to test-artifacts/reports/."""
    pdf = to_pdf(docx_bytes, ".docx")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.docx").write_bytes(docx_bytes)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(ARTIFACTS / f"{name}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(ARTIFACTS.glob(f"{name}-*.png")), text


def test_notice_renders_to_pdf_and_png(tree, users, review):
    from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
    from nghiquyet.reports.notice import build_notice_docx

    meeting = do_create_meeting(
        kind="btv",
        title="Hội nghị Ban Thường vụ Tỉnh ủy sơ kết 6 tháng đầu năm 2026",
        date=TODAY,
        organiser=tree.province,
        acting_user=users.province_admin,
        conclusions=[
            ConclusionSpec(
                "Đẩy mạnh công tác phát triển đảng viên trong thanh niên, công nhân.",
                [("Kết nạp ít nhất 50 đảng viên mới", tree.commune_a, TODAY, "")],
            )
        ],
    )
    pages, text = render("thong-bao-ket-luan", build_notice_docx(meeting, on=TODAY))
    assert len(pages) >= 1
    assert "THÔNG BÁO" in text and "-TB/TU" in text


def test_review_report_renders_to_pdf_and_png(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    pages, text = render("bao-cao-so-ket", build_review_docx(data))
    # The report body, then the landscape appendix.
    assert len(pages) >= 2
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Hà Tĩnh, ngày 10 tháng 8 năm 2026" in text
    assert "PHỤ LỤC" in text


def pdf_font_families(pdf: Path) -> set[str]:
    """Families of the fonts a PDF embeds, from ``pdffonts``: the subset tag
    and the style dropped ("BAAAAA+LiberationSerif-Bold" → "LiberationSerif")."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    assert names, out
    return {name.split("+", 1)[-1].split("-", 1)[0] for name in names}


def page_lines(pdf: Path, page: int) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


GROUPS = [
    ("kinh_te", "Kinh tế"),
    ("van_hoa_xa_hoi", "Văn hóa – xã hội"),
    ("moi_truong", "Môi trường"),
    ("quoc_phong_an_ninh", "Quốc phòng – an ninh"),
    ("xay_dung_dang", "Xây dựng Đảng và hệ thống chính trị"),
]


@pytest.fixture
def long_review(review, tree, users):
    """Thirty more targets over five groups (half with figures) and eight
    tasks: a report of several pages in both orientations."""
    from decimal import Decimal

    from nghiquyet.core.periods import Period
    from nghiquyet.core.tests.webhelpers import reopen
    from nghiquyet.targets.actions import do_save_result
    from nghiquyet.targets.models import Assignment, Milestone, Target, TimeAggregation, UnitAggregation
    from nghiquyet.tasks.actions import do_create_task

    reopen(tree.province, Period.quarter(2026, 1))  # Q1's window has closed: reopened from above
    for i in range(30):
        group = GROUPS[i % len(GROUPS)][0]
        t = Target.objects.create(
            document=review.doc,
            code=f"{10 + i}",
            name=f"Chỉ tiêu thử nghiệm số {i + 1} về ưu tiên phát triển, nâng cao chất lượng"
            + " ở cơ sở" * (i % 4),
            group=group,
            measure="công trình",
            target_value=Decimal(100 + i),
            time_aggregation=TimeAggregation.SUM,
            unit_aggregation=UnitAggregation.SUM,
            order=10 + i,
        )
        Milestone.objects.create(target=t, year=2026, value=Decimal(20 + i))
        for unit in (tree.commune_a, tree.commune_b):
            Assignment.objects.create(target=t, unit=unit)
            if i % 2 == 0:
                do_save_result(
                    t,
                    unit,
                    Period.quarter(2026, 1),
                    str(5 + i),
                    acting_user=users.province_admin,
                    submit=True,
                )
    for i in range(8):
        do_create_task(
            title=f"Nhiệm vụ trọng tâm số {i + 1}: tổ chức quán triệt, xây dựng chương trình hành động",
            lead_unit=tree.commune_a if i % 2 else tree.commune_b,
            deadline=dt.date(2026, 3 + i, 1),
            kind="trong_tam",
            source_document=review.doc,
            acting_user=users.province_admin,
        )
    return review


def test_review_pdf_one_font_family_every_page_numbered_nothing_stranded(long_review, tree):
    data = review_data(long_review.doc, tree.province, long_review.period, on=TODAY)
    pages, _ = render("bao-cao-so-ket-day-du", build_review_docx(data))
    pdf = ARTIFACTS / "bao-cao-so-ket-day-du.pdf"
    assert len(pages) >= 5
    # One family for every letter, ư and ơ included (Liberation 2 stands
    # in for Times New Roman; Liberation 1.07 would pull in DejaVu).
    assert pdf_font_families(pdf) == {"LiberationSerif"}
    lines = [page_lines(pdf, n) for n in range(1, len(pages) + 1)]
    assert lines[0][0].startswith("ĐẢNG BỘ TỈNH HÀ TĨNH")  # the first page: no number (Hướng dẫn 36)
    appendix_first = next(n for n, page in enumerate(lines, start=1) if "PHỤ LỤC" in page)
    for n, page in enumerate(lines[1:], start=2):
        assert page[0] == str(n), (n, page[:2])
    assert appendix_first > 2 and lines[appendix_first - 1][0] == str(appendix_first)
    headings = {
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
        "II. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả thực hiện các chỉ tiêu",
        "2. Kết quả thực hiện các nhiệm vụ",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "1. Hạn chế",
        "2. Nguyên nhân",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    } | {f"{'abcde'[i]}) {label}" for i, (_, label) in enumerate(GROUPS)}
    group_rows = {
        f"{roman} {label}" for roman, (_, label) in zip(["I", "II", "III", "IV", "V"], GROUPS, strict=True)
    }
    for n, page in enumerate(lines[:-1], start=1):
        last = page[-1]
        assert last not in headings, (n, last)
        assert " ".join(last.split()) not in group_rows, (n, last)
        assert not last.startswith("Trong tổng số"), (n, last)
    # The counts under the appendix share their page with table lines.
    summary_page = next(p for p in lines if any(x.startswith("Tổng số 33 chỉ tiêu") for x in p))
    assert any(x.split()[0].isdigit() and len(x.split()) > 3 for x in summary_page[1:])


def test_commune_review_renders_to_pdf_and_png(review, tree):
    data = review_data(review.doc, tree.commune_a, review.period, on=TODAY)
    pages, text = render("bao-cao-so-ket-xa", build_review_docx(data))
    assert len(pages) >= 2
    assert "ĐẢNG ỦY XÃ ĐỨC THỌ" in text
    assert pdf_font_families(ARTIFACTS / "bao-cao-so-ket-xa.pdf") == {"LiberationSerif"}


def test_libreoffice_keeps_a_group_row_with_the_next(tmp_path):
    """A group's heading row pushed down one line at a time over a page's
    foot: without keep-with-next LibreOffice leaves it alone at the foot
    for some length (which shows the range crosses the boundary); with it,
    never. One soffice run converts them all."""
    from nghiquyet.reports import docxkit as k

    lengths = range(33, 43)  # the foot of the first page falls at 37–38 rows here

    def build(n: int, keep: bool) -> bytes:
        doc = k.new_document()
        k.add_landscape_section(doc)
        table = k.grid_table(doc, n + 4, 3)
        for i in range(n):
            k.cell_text(table.rows[i].cells[0], str(i + 1))
            k.cell_text(table.rows[i].cells[1], "Dòng chỉ tiêu")
        group = table.rows[n]
        k.cell_text(group.cells[0], "II", bold=True)
        k.cell_text(group.cells[1].merge(group.cells[2]), "NHÓM HAI", bold=True)
        if keep:
            k.keep_row_with_next(group)
        for j in range(3):
            k.cell_text(table.rows[n + 1 + j].cells[1], "Dòng sau nhóm")
        return k.to_bytes(doc)

    files = []
    for keep in (False, True):
        for n in lengths:
            path = tmp_path / f"k{int(keep)}_{n}.docx"
            path.write_bytes(build(n, keep))
            files.append(path)
    subprocess.run(
        [soffice_path(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(f) for f in files],
        capture_output=True,
        timeout=300,
        check=True,
    )

    def stranded(keep: bool) -> list[int]:
        out = []
        for n in lengths:
            pdf = tmp_path / f"k{int(keep)}_{n}.pdf"
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[-1])
            if any(page_lines(pdf, p) and "NHÓM HAI" in page_lines(pdf, p)[-1] for p in range(1, pages)):
                out.append(n)
        return out

    assert stranded(False), "the lengths tried never reach a page's foot"
    assert stranded(True) == []
