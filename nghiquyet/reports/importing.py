"""Results taken in from a filled Excel template, all or nothing.

The whole file is read and checked first: identity (template version,
checksum, document, unit, period), headers, the reporter role on every
unit, every cell's value (``targets.actions.clean_value``: Vietnamese
separators, text, a unit in the cell). Any error and nothing is written;
the errors come back listed by sheet, row and column (Excel letters).
Then one transaction writes through ``targets.actions.do_save_results``,
the one writer of results (the bulk form of ``do_save_result``): a cell
with the same value and note is left alone (so the same file uploaded
twice changes nothing), a changed cell keeps its old value as a revision
and gets a new version with its own audit row (before and after); the
new cells are listed, with the file's hash, in the import's one audit row.

Every cell states what the user saw: the template records the version of
each result it was pre-filled with. A cell whose result changed since the
download (or was entered since, where the template was empty) is refused
with the file's value and the current one, even if the user left the
pre-filled value as it was; a cell holding exactly the stored value is
fine. A period that has ended is still written (locking periods is
another issue), and the summary says it has ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.audit.actions import record
from nghiquyet.core.dates import format_date
from nghiquyet.core.numbers import format_number, stored_figure
from nghiquyet.core.periods import Period, PeriodError, parse_period_key
from nghiquyet.core.uploads import UploadTooLarge, read_upload
from nghiquyet.core.zipguard import ZipRefused
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.targets.actions import (
    CellWrite,
    Conflict,
    StaleResultError,
    check_period,
    clean_value,
    do_save_results,
)
from nghiquyet.targets.models import Assignment, Target

from .entry import (
    DATA_SHEET,
    HEAD_ROW,
    META_SHEET,
    TARGETS_FIRST_ROW,
    TARGETS_HEAD,
    TEMPLATE_VERSION,
    UNITS_FIRST_ROW,
    UNITS_FIXED_HEAD,
    TemplateMeta,
    column,
)
from .sheetreader import ReaderFailed, ReaderUnreadable, read_sheet
from .xlsxguard import Area, XlsxRefused, check_area, check_xlsx

MAX_ERRORS = 200  # beyond that the list stops helping


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"Trang “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return (", ".join(where) + ": " if where else "") + self.message


class ImportRejected(ValidationError):
    """The file was refused; ``errors`` lists why. Nothing was written."""

    def __init__(self, errors: list[CellError]):
        self.errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class ImportSummary:
    document: Document
    unit: OrgUnit
    period: Period
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    empty: int = 0
    units: int = 0
    period_ended: dt.date | None = None  # the period is over (still writable for now)

    @property
    def message(self) -> str:
        if not self.created and not self.updated:
            text = f"Không có thay đổi: {self.unchanged} ô trùng với số liệu đã có, {self.empty} ô để trống."
        else:
            text = (
                f"Đã nhận số liệu {self.period.label} của {self.units} đơn vị: {self.created} ô mới, "
                f"{self.updated} ô cập nhật, {self.unchanged} ô không đổi, {self.empty} ô để trống."
            )
        if self.period_ended:
            text += f" Lưu ý: kỳ {self.period.label} đã kết thúc ngày {format_date(self.period_ended)}."
        return text


@dataclass
class _Cell:
    target: Target
    unit: OrgUnit
    value: Decimal
    note: str | None  # None: the sheet has no note for it; keep the stored one
    row: int = 0
    col: int = 0


@dataclass
class _Parsed:
    meta: TemplateMeta
    document: Document
    unit: OrgUnit
    period: Period
    cells: list[_Cell] = field(default_factory=list)
    empty: int = 0
    units: set[int] = field(default_factory=set)


def _refuse(message: str, sheet: str = "", row=None, col=None) -> ImportRejected:
    return ImportRejected([CellError(sheet, row, col, message)])


def _open(file) -> tuple[object, bytes]:
    """The workbook, once proven safe to lay out (``xlsxguard``): its size
    checked before it is read, the archive before openpyxl opens it, every
    sheet's cells before any is read, the data sheet against the area its
    template has."""
    try:
        data = read_upload(file)  # settings.NGHIQUYET_MAX_UPLOAD_BYTES
    except UploadTooLarge as exc:
        raise _refuse(exc.messages[0]) from None
    if not data:
        raise _refuse("Tệp rỗng, không có dữ liệu.")
    not_excel = _refuse(
        "Tệp không phải là tệp Excel (.xlsx) đọc được. Vui lòng dùng mẫu tải từ hệ thống và lưu dạng .xlsx."
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_excel
    try:
        extents = check_xlsx(data, {META_SHEET: META_AREA})
    except XlsxRefused as exc:
        raise ImportRejected([CellError(exc.sheet, exc.row, exc.column, exc.messages[0])]) from None
    except ZipRefused as exc:
        raise (not_excel if exc.broken else _refuse(exc.messages[0])) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise not_excel from None
    try:
        # The identity sheet is bounded; it says how far the data sheet may reach.
        area = _data_area(_read_meta(wb))
        check_area(DATA_SHEET, extents.get(DATA_SHEET), area)
    except XlsxRefused as exc:
        wb.close()
        raise ImportRejected([CellError(exc.sheet, exc.row, exc.column, exc.messages[0])]) from None
    except BaseException:
        wb.close()
        raise
    return wb, data


# The identity sheet: its rows (a key and a value each) are few.
META_AREA = Area(rows=1_000, cols=4)
# Beyond a template's own rows and columns, a little room for a note or a
# total typed beside it (the checks of the data sheet report those); more
# is refused before the sheet is laid out.
ROW_SLACK = 10
COL_SLACK = 3


def _data_area(meta: TemplateMeta) -> Area:
    """How far the data sheet of ``meta``'s template reaches."""
    if meta.layout == "units":
        rows, cols = UNITS_FIRST_ROW - 1 + len(meta.unit_ids), len(UNITS_FIXED_HEAD) + len(meta.target_ids)
    else:
        rows, cols = TARGETS_FIRST_ROW - 1 + len(meta.target_ids), len(TARGETS_HEAD)
    return Area(rows + ROW_SLACK, cols + COL_SLACK)


def _read_meta(wb) -> TemplateMeta:
    if META_SHEET not in wb.sheetnames:
        raise _refuse(
            "Tệp không phải mẫu nhập số liệu của hệ thống (thiếu thông tin nhận dạng mẫu). "
            "Vui lòng tải mẫu mới và nhập lại."
        )
    # A long value runs on over the row's next columns (``entry._write_meta``).
    raw = {
        str(k): "".join("" if v is None else str(v) for v in rest)
        for k, *rest in wb[META_SHEET].iter_rows(values_only=True)
        if k
    }
    try:
        version = int(raw.get("template_version", "0"))
    except ValueError:
        version = 0
    if version != TEMPLATE_VERSION:
        raise _refuse(
            f"Mẫu biểu này đã cũ (phiên bản {version or 'không rõ'}, hiện dùng phiên bản {TEMPLATE_VERSION}); "
            "vui lòng tải mẫu mới và nhập lại số liệu."
        )
    try:
        meta = TemplateMeta(
            version,
            int(raw["document"]),
            int(raw["unit"]),
            raw["period"],
            raw["layout"],
            tuple(int(v) for v in raw["targets"].split(",") if v),
            tuple(int(v) for v in raw["units"].split(",") if v),
            TemplateMeta.parse_versions(raw["result_versions"]),
        )
    except (KeyError, ValueError):
        raise _refuse("Thông tin nhận dạng mẫu bị hỏng; vui lòng tải mẫu mới.") from None
    if raw.get("checksum") != meta.checksum():
        raise _refuse(
            "Thông tin nhận dạng mẫu không khớp (mẫu bị sửa hoặc tạo từ hệ thống khác); vui lòng tải mẫu mới."
        )
    return meta


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def _check_identity(meta, document, unit, period):
    """The file's document, unit and period, checked against what the page
    expects (when it says)."""
    doc = Document.objects.filter(pk=meta.document_id).first()
    root = OrgUnit.objects.filter(pk=meta.unit_id).first()
    if doc is None or root is None:
        raise _refuse("Văn bản hoặc đơn vị của mẫu này không còn trong hệ thống; vui lòng tải mẫu mới.")
    try:
        p = parse_period_key(meta.period_key)
    except PeriodError:
        raise _refuse("Kỳ báo cáo ghi trong mẫu không hợp lệ; vui lòng tải mẫu mới.") from None
    if document is not None and doc.pk != document.pk:
        raise _refuse(f"Tệp này là mẫu của {doc}, không phải của {document}.")
    if unit is not None and root.pk != unit.pk:
        raise _refuse(f"Tệp này là mẫu của {root.name}, không phải của {unit.name}.")
    if period is not None and p.key() != period.key():
        raise _refuse(f"Tệp này là mẫu kỳ {p.label}, không phải kỳ {period.label}.")
    return doc, root, p


def _sheet_rows(data: bytes, wb, sheet: str) -> list[tuple]:
    """Every row of ``sheet`` from A1, as openpyxl's ``values_only`` gives
    them (None for an empty cell, whole numbers as int), read with calamine
    (a province's sheet of 66,000 cells in a tenth of openpyxl's time) in a
    child process under a memory cap (``sheetreader``): the sheet is bounded
    by ``_open`` already, and a reader's failure still cannot take the
    server down. Falls back to openpyxl for a file calamine cannot read."""
    try:
        return read_sheet(data, sheet)
    except ReaderUnreadable:  # the slower, stricter reader decides
        return list(wb[sheet].iter_rows(min_row=1, values_only=True))
    except (ReaderFailed, OSError):
        raise _refuse(
            "Không đọc được tệp trong giới hạn bộ nhớ và thời gian cho phép; "
            "vui lòng dùng lại mẫu tải từ hệ thống.",
            sheet,
        ) from None


def _parse(wb, meta: TemplateMeta, acting_user, document, unit, period, data: bytes = b"") -> _Parsed:
    doc, root, p = _check_identity(meta, document, unit, period)
    if DATA_SHEET not in wb.sheetnames:
        raise _refuse(f"Không tìm thấy trang “{DATA_SHEET}” trong tệp; vui lòng dùng mẫu tải từ hệ thống.")
    ws = wb[DATA_SHEET]
    targets = Target.objects.in_bulk(meta.target_ids)
    if len(targets) != len(meta.target_ids):
        raise _refuse("Có chỉ tiêu trong mẫu không còn trong hệ thống; vui lòng tải mẫu mới.")
    targets_in_order = [targets[i] for i in meta.target_ids]
    units = OrgUnit.objects.in_bulk(meta.unit_ids)
    if len(units) != len(meta.unit_ids):
        raise _refuse("Có đơn vị trong mẫu không còn trong hệ thống; vui lòng tải mẫu mới.")
    rows = _sheet_rows(data, wb, DATA_SHEET) if data else list(ws.iter_rows(min_row=1, values_only=True))
    errors: list[CellError] = []
    sheet = DATA_SHEET

    def err(row, col, message, where=sheet):
        if len(errors) < MAX_ERRORS:
            errors.append(CellError(where, row, column(col) if col else None, message))

    def row_at(n: int) -> tuple:
        return rows[n - 1] if n - 1 < len(rows) else ()

    def cell(values: tuple, col: int):
        return values[col - 1] if col - 1 < len(values) else None

    out = _Parsed(meta=meta, document=doc, unit=root, period=p)
    # Who may report: the reporter role on every unit of the sheet.
    for uid in meta.unit_ids:
        if not has_role(acting_user, units[uid], Role.REPORTER):
            err(None, None, f"Bạn không có quyền báo cáo số liệu của {units[uid].name}.", where="")
    if errors:
        raise ImportRejected(errors)
    period_ok: dict[int, str] = {}
    for t in targets_in_order:
        try:
            check_period(t, p)
        except ValidationError as exc:
            period_ok[t.pk] = exc.messages[0]
    assigned = set(
        Assignment.objects.filter(target_id__in=meta.target_ids, unit_id__in=meta.unit_ids).values_list(
            "target_id", "unit_id"
        )
    )

    cleaned: dict[tuple[int, object], Decimal] = {}

    def take(row: int, col: int, t: Target, u: OrgUnit, raw, note: str | None) -> None:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            out.empty += 1
            return
        tid, uid = t.pk, u.pk
        if tid in period_ok:
            err(row, col, period_ok[tid])
            return
        if (tid, uid) not in assigned:
            err(row, col, f"Chỉ tiêu “{t.name}” không được giao cho {u.name}.")
            return
        # The same figure typed for many units is read once per target.
        value = cleaned.get((tid, raw))
        if value is None:
            try:
                value = cleaned[(tid, raw)] = clean_value(t, raw)
            except ValidationError as exc:
                err(row, col, f"“{_text(raw)}”: {exc.messages[0]}")
                return
        out.cells.append(_Cell(t, u, value, note, row, col))
        out.units.add(uid)

    if meta.layout == "targets":
        head = row_at(HEAD_ROW)
        for col, expected in enumerate(TARGETS_HEAD, start=1):
            got = _text(cell(head, col))
            ok = got == expected or (col in (5, 6) and got.startswith("Kết quả"))
            if not ok:
                err(HEAD_ROW, col, f"Tiêu đề cột phải là “{expected}”, tệp ghi “{got}”.")
        if errors:
            raise ImportRejected(errors)
        u = units[meta.unit_ids[0]]
        for i, t in enumerate(targets_in_order):
            row = TARGETS_FIRST_ROW + i
            values = row_at(row)
            if _text(cell(values, 2)) != t.code:
                err(
                    row,
                    2,
                    f"Mã chỉ tiêu phải là “{t.code}” ({t.name}); các dòng đã bị xóa, chèn hoặc đổi chỗ.",
                )
                continue
            take(row, 6, t, u, cell(values, 6), _text(cell(values, 7)))
        extra = row_at(TARGETS_FIRST_ROW + len(targets_in_order))
        if any(_text(v) for v in extra):
            err(
                TARGETS_FIRST_ROW + len(targets_in_order),
                None,
                "Có dòng thêm ngoài mẫu; không được chèn dòng.",
            )
    elif meta.layout == "units":
        head = row_at(HEAD_ROW)
        fixed = len(UNITS_FIXED_HEAD)
        for col, expected in enumerate(UNITS_FIXED_HEAD, start=1):
            if _text(cell(head, col)) != expected:
                err(HEAD_ROW, col, f"Tiêu đề cột phải là “{expected}”, tệp ghi “{_text(cell(head, col))}”.")
        for j, t in enumerate(targets_in_order):
            got = _text(cell(head, fixed + 1 + j))
            if not got.startswith(f"{t.code}."):
                err(
                    HEAD_ROW,
                    fixed + 1 + j,
                    f"Tiêu đề cột phải là chỉ tiêu “{t.code}. {t.name}”, tệp ghi “{got}”.",
                )
        if errors:
            raise ImportRejected(errors)
        for i, uid in enumerate(meta.unit_ids):
            row = UNITS_FIRST_ROW + i
            values = row_at(row)
            u = units[uid]
            if _text(cell(values, 2)) != str(uid):
                err(row, 2, f"Dòng của {u.name} đã bị xóa, chèn hoặc đổi chỗ; vui lòng dùng lại mẫu gốc.")
                continue
            for j, t in enumerate(targets_in_order):
                col = fixed + 1 + j
                raw = cell(values, col)
                if (t.pk, uid) not in assigned and (raw is None or _text(raw) == ""):
                    continue  # a grey cell left empty, as it should be
                take(row, col, t, u, raw, None)
    else:
        raise _refuse("Thông tin nhận dạng mẫu bị hỏng (kiểu mẫu không rõ); vui lòng tải mẫu mới.")
    if errors:
        raise ImportRejected(errors)
    return out


def do_import_results(
    file,
    *,
    acting_user,
    document: Document | None = None,
    unit: OrgUnit | None = None,
    period: Period | None = None,
    submit: bool = True,
) -> ImportSummary:
    """Take in a filled template (a file object or bytes). ``document``,
    ``unit``, ``period``, when given, are what the page expects: a file
    made for another one is refused. The user needs the reporter role on
    every unit in the sheet. All or nothing; raises ImportRejected (its
    ``errors`` by sheet, row and column, in Vietnamese)."""
    wb, data = _open(file)
    try:
        meta = _read_meta(wb)
        parsed = _parse(wb, meta, acting_user, document, unit, period, data)
    finally:
        wb.close()
    return _write(parsed, data, acting_user, submit)


def _write(parsed: _Parsed, data: bytes, acting_user, submit: bool) -> ImportSummary:
    """Every cell through ``targets.actions.do_save_results`` (the one
    writer of results), each stating the version the template was made
    with (0: the template had no result there). A cell changed since the
    download is refused with both values, unless the file holds exactly
    what is stored now (nothing to lose)."""
    summary = ImportSummary(parsed.document, parsed.unit, parsed.period, empty=parsed.empty)
    summary.units = len(parsed.units)
    if parsed.period.end < timezone.localdate():
        summary.period_ended = parsed.period.end
    shown = parsed.meta.versions_by_cell()
    cells = []
    for c in parsed.cells:
        cell = CellWrite(c.target, c.unit, c.value, c.note, ref=c)
        cell.expected_version = shown.get(cell.key, 0)
        cells.append(cell)
    with transaction.atomic():
        try:
            # New cells are listed in the import's own audit row below, not
            # one row each: a province's first filing is 66,000 cells.
            saved = do_save_results(
                cells, parsed.period, acting_user=acting_user, submit=submit, audit_created=False
            )
        except StaleResultError as exc:
            if not exc.conflicts:
                raise _refuse(" ".join(exc.messages)) from None
            raise ImportRejected([_conflict_error(k) for k in exc.conflicts[:MAX_ERRORS]]) from None
        except ValidationError as exc:
            raise ImportRejected([CellError("", None, None, m) for m in exc.messages]) from None
        summary.created, summary.updated = len(saved.created), len(saved.updated)
        summary.unchanged = len(saved.unchanged)
        if not saved.created and not saved.updated:
            return summary
        record(
            "import_results",
            parsed.document,
            acting_user=acting_user,
            unit=parsed.unit,
            after={
                "period": parsed.period.key(),
                "sha256": hashlib.sha256(data).hexdigest(),
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "created_results": [[pk, str(stored_figure(c.value))] for c, pk in saved.created],
            },
        )
    return summary


def _conflict_error(k: Conflict) -> CellError:
    """A cell changed since the download, by sheet, row and column, with
    the file's value and the one stored now."""
    c: _Cell = k.cell.ref  # type: ignore[assignment]
    mine = format_number(k.value) or "trống"
    now = format_number(k.current_value) or "trống"
    if k.result_id is None:
        why = "Số liệu có trong mẫu đã bị xóa khỏi hệ thống sau khi tải mẫu"
    elif k.cell.expected_version == 0:
        why = "Ô này đã được nhập số liệu sau khi tải mẫu (lúc tải mẫu còn trống)"
    else:
        why = "Số liệu ô này đã được cập nhật sau khi tải mẫu"
    same = " (giá trị trùng, ghi chú khác)" if k.value == k.current_value and k.result_id else ""
    return CellError(
        DATA_SHEET,
        c.row,
        column(c.col),
        f"{why}: trong tệp {mine}, hiện tại {now}{same}. "
        "Không ghi đè; vui lòng tải mẫu mới, đối chiếu rồi nhập lại.",
    )
