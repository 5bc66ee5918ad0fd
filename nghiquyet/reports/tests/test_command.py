"""`nghiquyet report` from the console."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_report_by_sign_code_and_label(review, tree, tmp_path):
    out = tmp_path / "bc.docx"
    stdout = io.StringIO()
    call_command(
        "report",
        document="01-NQ/ĐH",
        unit="42",
        period="6 tháng đầu năm 2026",
        output=str(out),
        stdout=stdout,
    )
    assert "Đã ghi" in stdout.getvalue()
    assert docx.Document(str(out)).tables[0].rows[0].cells[0].paragraphs[1].text == "TỈNH ỦY"


def test_report_xlsx_by_ids_and_key(review, tree, tmp_path):
    out = tmp_path / "pl.xlsx"
    call_command(
        "report",
        document=str(review.doc.pk),
        unit=str(tree.commune_a.pk),
        period="2026-H1",
        format="xlsx",
        output=str(out),
        stdout=io.StringIO(),
    )
    assert openpyxl.load_workbook(out).active["A1"].value == "PHỤ LỤC"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"document": "99-NQ/TU", "unit": "42", "period": "2026-H1"}, "Không tìm thấy văn bản"),
        ({"document": "01-NQ/ĐH", "unit": "khong-co", "period": "2026-H1"}, "Không tìm thấy đơn vị"),
        ({"document": "01-NQ/ĐH", "unit": "42", "period": "Quý IX"}, "Không hiểu kỳ báo cáo"),
    ],
)
def test_report_explains_what_it_cannot_find(review, tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", **args, stdout=io.StringIO())
