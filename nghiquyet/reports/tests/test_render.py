"""The report through LibreOffice to PDF and PNG pages (CI installs both;
the pages are left in test-artifacts/ to look at)."""

from __future__ import annotations

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
