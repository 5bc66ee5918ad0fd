"""openpyxl helpers shared by the appendix and the entry templates.

Number formats. An .xlsx stores format codes in one invariant syntax
("#,##0.0": "," groups thousands, "." marks decimals) and Excel and
LibreOffice show them with the separators of the reader's regional
settings. On the Vietnamese Windows locale that is "2.989" and "48,9",
exactly as Vietnamese reports print numbers; on a machine left in English
(United States) it is "2,989" and "48.9", the same as every other sheet
that user sees. We keep the standard codes: forcing Vietnamese-looking
separators with literal characters ("#\\.##0") breaks for decimals, turns
sums into text-looking cells and disagrees with the user's other sheets.
Values are always written as numbers, never as formatted text, so they
add up and filter.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E7E6E6")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: type here
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")  # grey: not assigned
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")

INTEGER = "#,##0"
DECIMAL = "#,##0.0#"
PERCENT_NUMBER = "#,##0.0"  # a percentage already scaled to 100 (95,4)
# Quoted "%" is a literal: Excel multiplies by 100 only for a bare %.
RATIO = '#,##0.0"%"'
POINTS = '+#,##0.0" điểm %";-#,##0.0" điểm %";0" điểm %"'


def font(size: float = 12, **kw) -> Font:
    return Font(name=FONT, size=size, **kw)


def number_format_for(value: Decimal | None, integer: bool = False) -> str:
    """Whole numbers without decimals, others with one or two."""
    if integer or value is None or value == value.to_integral_value():
        return INTEGER
    return DECIMAL


def as_number(value: Decimal | None):
    """An int for whole values (Excel shows no ",0"), a float otherwise."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def set_widths(ws, widths: list[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def title_row(ws, row: int, text: str, last_col: int, *, size=14, bold=True, italic=False, height=None):
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = font(size, bold=bold, italic=italic)
    cell.alignment = WRAP_CENTER
    if height:
        ws.row_dimensions[row].height = height
    return cell


def print_a4_landscape(ws, title_rows: str) -> None:
    """A4 landscape, fit to one page wide, header rows on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = 0.8
    ws.page_margins.bottom = 0.6


def to_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
