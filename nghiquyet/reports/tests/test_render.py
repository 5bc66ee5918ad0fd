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


def test_review_report_renders_to_pdf_and_png(review, tree):
    data = review_data(review.doc, tree.province, review.period, on=TODAY)
    docx_bytes = build_review_docx(data)
    pdf = to_pdf(docx_bytes, ".docx")
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "bao-cao-so-ket.docx").write_bytes(docx_bytes)
    (ARTIFACTS / "bao-cao-so-ket.pdf").write_bytes(pdf)
    for old in ARTIFACTS.glob("bao-cao-so-ket-*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            str(ARTIFACTS / "bao-cao-so-ket.pdf"),
            str(ARTIFACTS / "bao-cao-so-ket"),
        ],
        check=True,
        timeout=60,
    )
    pages = sorted(ARTIFACTS.glob("bao-cao-so-ket-*.png"))
    # The report body, then the landscape appendix.
    assert len(pages) >= 2
    text = subprocess.run(
        ["pdftotext", "-layout", str(ARTIFACTS / "bao-cao-so-ket.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Hà Tĩnh, ngày 10 tháng 8 năm 2026" in text
    assert "PHỤ LỤC" in text
