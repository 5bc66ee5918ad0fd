"""An .xlsx proven safe to lay out before calamine or openpyxl reads a cell.

Both readers size a sheet's grid from what the file says: one cell at
XFD1048576 in a 7 KB file made calamine ask for 8 GB and abort the server.
So the archive goes through ``core.zipguard`` (inflated sizes, ratios,
entries counted, never believed from headers), then every worksheet's XML is
streamed and each cell reference, row number, ``<dimension>`` and merged
range is checked against the area the sheet may have — the declared
dimension can lie, so the cells themselves are counted too. The shared
strings are counted as well (each is an allocation in the reader).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from nghiquyet.core.numbers import format_number
from nghiquyet.core.zipguard import GuardedZip, MiB, ZipLimits, local, scan_xml

# Any sheet, whatever its role: far above a province's sheet (3,321 communes
# by some 20 targets), far below what would hurt once laid out.
MAX_ROWS = 100_000
MAX_COLS = 1_000
MAX_CELLS = 1_000_000  # <c> elements in one sheet
# Elements of any kind in a sheet, per cell it may have: a cell is <c><v>,
# or <c><f><v>, or <c><is><t>; and some room for views, columns, formats.
ELEMENTS_PER_CELL = 4
ELEMENTS_BESIDE_CELLS = 100_000
MAX_STRINGS = 2_000_000  # shared strings
MAX_OTHER_ELEMENTS = 200_000  # in all other XML parts: a template's styles are a few hundred
XLSX_LIMITS = ZipLimits(max_entries=500, max_entry_bytes=64 * MiB, max_total_bytes=160 * MiB)

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_REF_FULLMATCH = _REF.fullmatch
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class XlsxRefused(ValidationError):
    """The workbook may not be read. ``sheet``, ``row`` and ``column`` (Excel
    letters) say where, when a cell is the reason."""

    def __init__(self, message: str, sheet: str = "", row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


@dataclass
class Extent:
    """How far a sheet's cells, rows and ranges reach, and which reference
    reached furthest (for the message)."""

    rows: int = 0  # of cells
    cols: int = 0
    cells: int = 0
    row_hit: tuple[int, int] = (0, 0)  # the cell (row, column) that reached furthest down
    col_hit: tuple[int, int] = (0, 0)  # and furthest right
    empty_rows: int = 0  # of <row> elements, cells or not
    range_rows: int = 0  # of <dimension> and merged ranges
    range_cols: int = 0
    range_row_hit: tuple[str, int, str | None] = ("", 0, None)
    range_col_hit: tuple[str, int, str | None] = ("", 0, None)


@dataclass(frozen=True)
class Area:
    """How many rows and columns a sheet may use, from A1."""

    rows: int
    cols: int
    cells: int = 0  # 0: rows × cols
    template: bool = True  # the template's own area (else: the reading limit)

    def max_cells(self) -> int:
        return self.cells or self.rows * self.cols


ANY_SHEET = Area(MAX_ROWS, MAX_COLS, MAX_CELLS, template=False)


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _outside(sheet: str, hit: tuple[str, int, str | None], area: Area) -> XlsxRefused:
    what, row, col_letters = hit
    size = f"{format_number(area.rows)} dòng, {format_number(area.cols)} cột"
    if area.template:
        message = (
            f"{what} nằm ngoài vùng của mẫu (mẫu có {size}); vui lòng xóa nội dung và định dạng "
            "ở các ô thừa hoặc dùng lại mẫu tải từ hệ thống."
        )
    else:
        message = f"{what} vượt quá giới hạn đọc của hệ thống (tối đa {size}); vui lòng xóa các ô thừa."
    return XlsxRefused(message[0].upper() + message[1:], sheet, row, col_letters)


def _too_many(sheet: str, area: Area) -> XlsxRefused:
    return XlsxRefused(
        f"Trang có hơn {format_number(area.max_cells())} ô, nhiều hơn vùng của mẫu; tệp bị hỏng hoặc đã bị sửa.",
        sheet,
    )


def _sheet_scanner(sheet: str, area: Area):
    """A start-tag handler for one worksheet's XML, and the function that
    gives its extent at the end. It is on the hot path of every upload
    (66,000 cells in a province's sheet): a closure over plain locals,
    cells checked with as little work as possible, messages built only when
    one is needed. A cell beyond the area stops the scan at once; an empty
    row beyond it at the next row; a range (``<dimension>``, a merge) is
    judged at the end, after the cells, so that a message names a cell when
    there is one."""
    max_rows, max_cols, max_cells = area.rows, area.cols, area.max_cells()
    max_elements = ELEMENTS_PER_CELL * max_cells + ELEMENTS_BESIDE_CELLS
    ext = Extent()
    kinds: dict[str, str] = {}
    columns: dict[str, int] = {}
    elements = cells = rows = cols = 0  # rows, cols: how far cells reach
    row_hit = col_hit = (0, 0)
    row = col = cells_before_row = 0  # the current row and column, cells before the row began

    def bad_ref(ref: str) -> XlsxRefused:
        return XlsxRefused(f"Địa chỉ ô “{ref[:40]}” không hợp lệ; tệp bị hỏng.", sheet)

    def column_of(letters: str, ref: str) -> int:
        if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            raise bad_ref(ref)
        n = columns[letters] = column_number(letters)
        return n

    def empty_row_beyond() -> XlsxRefused:
        return _outside(sheet, (f"dòng {row}", row, None), area)

    def on_start(tag: str, attrib: dict) -> None:
        nonlocal elements, cells, rows, cols, row_hit, col_hit, row, col, cells_before_row
        elements += 1
        if elements > max_elements:
            raise XlsxRefused("Trang có cấu trúc XML lớn bất thường so với vùng của nó; tệp bị hỏng.", sheet)
        kind = kinds.get(tag)
        if kind is None:
            kind = kinds[tag] = local(tag)
        if kind == "c":
            cells += 1
            ref = attrib.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                digits = ref[len(letters) :]
                if not (0 < len(digits) <= 7 and digits.isascii()):
                    raise bad_ref(ref)
                c = columns.get(letters) or column_of(letters, ref)
                r = int(digits)
            else:  # no reference: the next cell of the row
                r, c = row, col + 1
            col = c
            if r > max_rows or c > max_cols:
                raise _outside(sheet, _cell_hit(r, c), area)
            if cells > max_cells:
                raise _too_many(sheet, area)
            if r > rows:
                rows, row_hit = r, (r, c)
            if c > cols:
                cols, col_hit = c, (r, c)
        elif kind == "row":
            if row > max_rows and cells == cells_before_row:
                raise empty_row_beyond()
            r_attr = attrib.get("r")
            if r_attr:
                if not (r_attr.isdigit() and r_attr.isascii() and len(r_attr) <= 7):
                    raise bad_ref(r_attr)
                row = int(r_attr)
            else:
                row += 1
            col = 0
            cells_before_row = cells
            if row > ext.empty_rows:
                ext.empty_rows = row
        elif kind in ("dimension", "mergeCell"):
            ref = attrib.get("ref") or ""
            what = "kích thước khai báo" if kind == "dimension" else "vùng gộp ô"
            for corner in ref.split(":"):
                if corner:
                    m = _REF.fullmatch(corner)
                    if m is None:
                        raise bad_ref(corner)
                    r, c = int(m.group(2)), column_number(m.group(1))
                    hit = (f"{what} {ref[:40]}", r, _letters(c))
                    if r > ext.range_rows:
                        ext.range_rows, ext.range_row_hit = r, hit
                    if c > ext.range_cols:
                        ext.range_cols, ext.range_col_hit = c, hit

    def finish() -> Extent:
        if row > max_rows and cells == cells_before_row:
            raise empty_row_beyond()
        ext.cells, ext.rows, ext.cols, ext.row_hit, ext.col_hit = cells, rows, cols, row_hit, col_hit
        check_area(sheet, ext, area)
        return ext

    return on_start, finish


def _cell_hit(row: int, col: int) -> tuple[str, int, str]:
    return (f"ô {_letters(col)}{row}", row, _letters(col))


def _letters(col: int) -> str:
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


class _Counter:
    """Counts one element (a shared string), or all (name ""), and stops at a bound."""

    def __init__(self, name: str, bound: int, message: str):
        self.name, self.bound, self.message, self.n = name, bound, message, 0

    def __call__(self, tag: str, attrib: dict) -> None:
        if not self.name or tag.endswith("}" + self.name) or tag == self.name:
            self.n += 1
            if self.n > self.bound:
                raise XlsxRefused(self.message)


def _part(base: str, target: str) -> str:
    """A relationship's target as an archive path ("/xl/x.xml" or relative to ``base``)."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _relationships(z: GuardedZip, part: str, broken) -> list[tuple[str, str, str]]:
    """(Id, Type, Target) of the relationships in ``part``."""
    rels: list[tuple[str, str, str]] = []

    def on_rel(tag, attrib):
        if local(tag) == "Relationship":
            rels.append((attrib.get("Id", ""), attrib.get("Type", ""), attrib.get("Target", "")))

    scan_xml(z.chunks(part), on_rel, broken)
    return rels


def _workbook_parts(z: GuardedZip) -> tuple[dict[str, str], set[str]]:
    """Sheet name → its part, from the workbook and its relationships (the
    path a reader follows), with every worksheet part in the archive that no
    name leads to under its own path; and the shared strings parts."""
    broken = lambda: XlsxRefused("Tệp Excel bị hỏng (cấu trúc bảng tính không đọc được).")  # noqa: E731
    not_xlsx = XlsxRefused("Tệp không phải là tệp Excel (.xlsx) đọc được.")
    wb_part, rels_part = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    if wb_part not in z or rels_part not in z or "_rels/.rels" not in z:
        raise not_xlsx
    for _, kind, target in _relationships(z, "_rels/.rels", broken):
        if kind.endswith("/officeDocument") and _part("", target) != wb_part:
            raise not_xlsx  # a workbook elsewhere: not a file the system made, and readers differ on it
    rels = _relationships(z, rels_part, broken)
    by_id = {rid: _part("xl", target) for rid, _, target in rels}
    sheets: list[tuple[str, str]] = []

    def on_sheet(tag, attrib):
        if local(tag) == "sheet":
            sheets.append((attrib.get("name", ""), attrib.get(f"{_REL_NS}}}id", "")))

    scan_xml(z.chunks(wb_part), on_sheet, broken)
    parts: dict[str, str] = {}
    for name, rid in sheets:
        part = by_id.get(rid, "")
        if part not in z:
            raise XlsxRefused(f"Tệp Excel bị hỏng (thiếu nội dung trang “{name[:60]}”).")
        parts[name] = part
    named = set(parts.values())
    others = {_part("xl", t) for _, kind, t in rels if kind.endswith("/worksheet")}
    others |= {n for n in z.names() if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    for part in sorted(others - named):
        if part in z:
            parts[part] = part
    strings = {_part("xl", t) for _, kind, t in rels if kind.endswith("/sharedStrings")}
    strings |= {"xl/sharedStrings.xml"}
    return parts, {p for p in strings if p in z}


def check_xlsx(data: bytes, areas: dict[str, Area]) -> dict[str, Extent]:
    """Check an .xlsx before any reader lays it out; give each sheet's
    extent. A sheet named in ``areas`` may not reach beyond its area; any
    other sheet is held to MAX_ROWS × MAX_COLS. Raises ZipRefused or
    XlsxRefused (Vietnamese messages)."""
    z = GuardedZip(data, XLSX_LIMITS, "tệp Excel")
    broken = lambda: XlsxRefused("Tệp Excel bị hỏng (nội dung XML không đọc được).")  # noqa: E731
    extents: dict[str, Extent] = {}
    cells = 0
    sheets, strings = _workbook_parts(z)
    for name, part in sheets.items():
        on_start, finish = _sheet_scanner(name, areas.get(name) or ANY_SHEET)
        scan_xml(z.chunks(part), on_start, broken)
        extents[name] = finish()
        cells += extents[name].cells
    # Excel keeps a string per distinct text; more strings than cells is a bomb.
    bound = min(MAX_STRINGS, cells + 10_000)
    for part in strings:
        counter = _Counter("si", bound, "Tệp Excel có số chuỗi ký tự bất thường so với số ô; tệp bị hỏng.")
        scan_xml(z.chunks(part), counter, broken)
    # The rest (styles, workbook, properties, links) openpyxl makes into
    # objects of a kilobyte or so each, in this process: counted too.
    counter = _Counter(
        "", MAX_OTHER_ELEMENTS, "Tệp Excel có phần định dạng hoặc mô tả quá lớn bất thường; tệp bị hỏng."
    )
    for name in z.names():
        if name.endswith((".xml", ".rels", ".vml")) and name not in strings and name not in sheets.values():
            scan_xml(z.chunks(name), counter, broken)
    return extents


def check_area(sheet: str, extent: Extent | None, area: Area) -> None:
    """A sheet already scanned, held to an area known only later (from the
    template's identity sheet)."""
    if extent is None:
        return
    # Cells first: a message that names a cell is the one a person can act on.
    if extent.cols > area.cols:
        raise _outside(sheet, _cell_hit(*extent.col_hit), area)
    if extent.rows > area.rows:
        raise _outside(sheet, _cell_hit(*extent.row_hit), area)
    if extent.empty_rows > area.rows:
        raise _outside(sheet, (f"dòng {extent.empty_rows}", extent.empty_rows, None), area)
    if extent.range_cols > area.cols:
        raise _outside(sheet, extent.range_col_hit, area)
    if extent.range_rows > area.rows:
        raise _outside(sheet, extent.range_row_hit, area)
    if extent.cells > area.max_cells():
        raise _too_many(sheet, area)
