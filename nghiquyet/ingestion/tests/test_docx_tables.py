"""A Word report's tables are read with its paragraphs (issue #14)."""

from __future__ import annotations

import io

from nghiquyet.ingestion.actions import read_upload
from nghiquyet.ingestion.pipeline import extract


def _report() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("Kết quả thực hiện nhiệm vụ 6 tháng đầu năm như sau:")
    table = d.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("Chỉ tiêu", "Kết quả", "Đơn vị"),
            ("Kết nạp mới", "125", "đảng viên"),
            ("Tổ chức cơ sở đảng hoàn thành tốt", "504/504", "chi bộ"),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    merged = d.add_table(rows=1, cols=2)
    merged.rows[0].cells[0].merge(merged.rows[0].cells[1]).text = "Ghi chú chung"
    d.add_paragraph("Đồng chí Lê Văn Bình, Bí thư Đảng ủy xã ký báo cáo.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_table_rows_are_lines_in_document_order():
    text, kind, _, _ = read_upload(_report(), "bao-cao.docx")
    assert kind == "docx"
    assert text.split("\n") == [
        "Kết quả thực hiện nhiệm vụ 6 tháng đầu năm như sau:",
        "Chỉ tiêu Kết quả Đơn vị",
        "Kết nạp mới 125 đảng viên",
        "Tổ chức cơ sở đảng hoàn thành tốt 504/504 chi bộ",
        "Ghi chú chung",
        "Đồng chí Lê Văn Bình, Bí thư Đảng ủy xã ký báo cáo.",
    ]


def test_figures_in_a_table_are_extracted():
    text, _, _, _ = read_upload(_report(), "bao-cao.docx")
    figures = {(f["value"], f["total"], f["unit"]) for f in extract(text)["figures"]}
    assert (125, None, "đảng viên") in figures
    assert (504, 504, "chi bộ") in figures
