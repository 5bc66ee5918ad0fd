"""The appendix of the review report as an Excel sheet, from the same
``ReviewData`` as the Word file."""

from __future__ import annotations

from openpyxl import Workbook

from nghiquyet.core.dates import format_date_long
from nghiquyet.targets.models import ValueType

from . import xlsxkit as x
from .review import ReviewData

HEAD_ROW = 6  # two header rows: 6 and 7
FIRST_ROW = 8
COLUMNS = 9
WIDTHS = [6, 48, 13, 12, 12, 14, 13, 15, 14]


def build_appendix_xlsx(data: ReviewData) -> bytes:
    """PHỤ LỤC as .xlsx: title rows, a two-row frozen header, group rows
    with Roman numerals, numbers as numbers, the summary counts under the
    table, A4 landscape print set-up with repeated header rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    x.set_widths(ws, WIDTHS)
    x.title_row(ws, 1, "PHỤ LỤC", COLUMNS)
    x.title_row(ws, 2, "SO SÁNH KẾT QUẢ THỰC HIỆN VÀ MỤC TIÊU CÁC CHỈ TIÊU", COLUMNS)
    x.title_row(ws, 3, data.period.label, COLUMNS)
    sign = data.head.sign("BC").replace("Số", "số", 1)
    x.title_row(
        ws,
        4,
        f"(Kèm theo Báo cáo {sign}, {format_date_long(data.on)} của {data.unit.name})",
        COLUMNS,
        size=13,
        bold=False,
        italic=True,
    )

    h1, h2 = HEAD_ROW, HEAD_ROW + 1
    heads = [
        "STT",
        "Chỉ tiêu",
        "Đơn vị tính",
        None,
        None,
        "Kết quả kỳ báo cáo",
        "So với kế hoạch (%)",
        "So với cùng kỳ",
        "Đánh giá",
    ]
    for col, text in enumerate(heads, start=1):
        if text is not None:
            ws.merge_cells(start_row=h1, start_column=col, end_row=h2, end_column=col)
            ws.cell(row=h1, column=col, value=text)
    ws.merge_cells(start_row=h1, start_column=4, end_row=h1, end_column=5)
    ws.cell(row=h1, column=4, value="Mục tiêu")
    ws.cell(row=h2, column=4, value="Nhiệm kỳ")
    ws.cell(row=h2, column=5, value=f"Năm {data.year}" if data.year else "Năm")
    for r in (h1, h2):
        ws.row_dimensions[r].height = 30
        for col in range(1, COLUMNS + 1):
            c = ws.cell(row=r, column=col)
            c.font = x.font(12, bold=True)
            c.alignment = x.WRAP_CENTER
            c.border = x.BORDER
            c.fill = x.HEAD_FILL

    row = FIRST_ROW
    for group in data.groups:
        ws.cell(row=row, column=1, value=group.roman)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=COLUMNS)
        ws.cell(row=row, column=2, value=group.label)
        for col in range(1, COLUMNS + 1):
            c = ws.cell(row=row, column=col)
            c.font = x.font(12, bold=True)
            c.border = x.BORDER
            c.alignment = x.WRAP_CENTER if col == 1 else x.WRAP_LEFT
        row += 1
        for ar in group.rows:
            r = ar.result
            t = r.target
            integer = t.value_type == ValueType.INTEGER
            values = [
                (ar.number, x.INTEGER),
                (t.name, None),
                (t.measure, None),
                (x.as_number(ar.term_goal), x.number_format_for(ar.term_goal, integer)),
                (x.as_number(ar.year_goal), x.number_format_for(ar.year_goal, integer)),
                (x.as_number(r.value), x.number_format_for(r.value, integer)),
                (x.as_number(r.achievement), x.PERCENT_NUMBER),
                (x.as_number(ar.vs_last), x.POINTS if ar.vs_last_points else x.RATIO),
                (r.outcome_label, None),
            ]
            for col, (value, fmt) in enumerate(values, start=1):
                c = ws.cell(row=row, column=col, value=value)
                c.font = x.font(12)
                c.border = x.BORDER
                if fmt:
                    c.number_format = fmt
                    c.alignment = x.WRAP_CENTER if col == 1 else x.RIGHT
                else:
                    c.alignment = x.WRAP_LEFT if col == 2 else x.WRAP_CENTER
            row += 1

    row += 1
    c = ws.cell(row=row, column=1, value=f"Tổng số {data.summary()}.")
    c.font = x.font(12, italic=True)
    if data.mid_year:
        c = ws.cell(row=row + 1, column=1, value=f"Trong đó có {data.half_reached_sentence()}.")
        c.font = x.font(12, italic=True)

    ws.freeze_panes = f"C{FIRST_ROW}"
    x.print_a4_landscape(ws, f"{h1}:{h2}")
    ws.sheet_view.zoomScale = 100
    return x.to_bytes(wb)
