"""Excel templates for units to fill in their results, and what identifies them.

Two layouts, one sheet each:

- ``targets``: one unit; one row per target assigned to it (code, name,
  unit of measure, last period's value, this period's value, note).
- ``units``: a parent unit and the units under it; one row per unit and
  one column per target. This is the "biểu tổng hợp" provincial offices
  already keep, a commune per line read across, and it is what they fill
  most easily: copying a commune's figures from its own report is one row,
  and a column sums to the province's total at a glance. (A long format,
  unit × target per line, is easier for programs but 20 times longer and
  hard to check by eye.)

Cells to type in are unlocked and yellow; everything else is locked under
sheet protection (no password: it prevents slips, not determined edits,
which the checksum catches). A very hidden sheet holds the template
version, document, unit, period, layout, the target and unit ids in order,
the version of every result the sheet was pre-filled from, and an HMAC of
all of it, so that an older template, a sheet of another unit or an edited
identity is refused with a reason, and a figure changed since the download
is not overwritten unseen (``importing``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter

from nghiquyet.core.periods import Period, PeriodError
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.targets.models import Assignment, Result, Target, ValueType

from . import xlsxkit as x

TEMPLATE_VERSION = 3  # bump when the layout changes: older files are refused
META_SHEET = "_nq"
DATA_SHEET = "Nhập số liệu"
HEAD_ROW = 5
TARGETS_FIRST_ROW = HEAD_ROW + 1
UNITS_FIRST_ROW = HEAD_ROW + 2  # a second header row gives the units of measure
TARGETS_HEAD = ["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Kỳ trước", "Kỳ này", "Ghi chú"]
UNITS_FIXED_HEAD = ["STT", "Mã đơn vị", "Đơn vị"]
UNLOCKED = Protection(locked=False)
META_CHUNK = 30000  # an Excel cell holds at most 32,767 characters


@dataclass(frozen=True)
class TemplateMeta:
    """What a template is for; written to and read from the hidden sheet."""

    version: int
    document_id: int
    unit_id: int
    period_key: str
    layout: str  # "targets" | "units"
    target_ids: tuple[int, ...]
    unit_ids: tuple[int, ...]
    # (target id, unit id, version) of every result the sheet was made
    # with: a cell not listed had no result then.
    result_versions: tuple[tuple[int, int, int], ...] = ()

    def versions_text(self) -> str:
        return ",".join(f"{t}.{u}:{v}" for t, u, v in self.result_versions)

    @staticmethod
    def parse_versions(text: str) -> tuple[tuple[int, int, int], ...]:
        """``versions_text`` read back; ValueError if malformed."""
        out = []
        for item in filter(None, text.split(",")):
            cell, version = item.split(":")
            t, u = cell.split(".")
            out.append((int(t), int(u), int(version)))
        return tuple(out)

    def versions_by_cell(self) -> dict[tuple[int, int], int]:
        return {(t, u): v for t, u, v in self.result_versions}

    def payload(self) -> str:
        return "|".join(
            [
                str(self.version),
                str(self.document_id),
                str(self.unit_id),
                self.period_key,
                self.layout,
                ",".join(map(str, self.target_ids)),
                ",".join(map(str, self.unit_ids)),
                self.versions_text(),
            ]
        )

    def checksum(self) -> str:
        key = hashlib.sha256(("nghiquyet.reports.entry:" + settings.SECRET_KEY).encode()).digest()
        return hmac.new(key, self.payload().encode(), hashlib.sha256).hexdigest()[:32]

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("template_version", str(self.version)),
            ("document", str(self.document_id)),
            ("unit", str(self.unit_id)),
            ("period", self.period_key),
            ("layout", self.layout),
            ("targets", ",".join(map(str, self.target_ids))),
            ("units", ",".join(map(str, self.unit_ids))),
            ("result_versions", self.versions_text()),
            ("checksum", self.checksum()),
        ]


def due_targets(document, period: Period) -> list[Target]:
    """The document's targets reported in periods of ``period``'s kind."""
    return list(document.targets.filter(report_every=period.kind.value).order_by("order", "id"))


def _write_meta(wb, meta: TemplateMeta) -> None:
    ws = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(meta.rows(), start=1):
        ws.cell(row=i, column=1, value=k)
        # A long value (a province's result versions) runs on over the next
        # columns; the import joins them.
        for j in range(0, max(len(v), 1), META_CHUNK):
            ws.cell(row=i, column=2 + j // META_CHUNK, value=v[j : j + META_CHUNK])
    ws.sheet_state = "veryHidden"  # not listed under Unhide in Excel
    ws.protection.sheet = True


def _protect(ws) -> None:
    ws.protection.sheet = True
    # Formatting columns and rows stays allowed: people widen columns.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _title(ws, document, unit: OrgUnit, period: Period, last_col: int) -> None:
    x.title_row(ws, 1, f"BIỂU NHẬP SỐ LIỆU {period.label.upper()}", last_col)
    x.title_row(ws, 2, f"{document} – {unit.name}", last_col, size=12, bold=False)
    x.title_row(
        ws,
        3,
        "Nhập số vào các ô màu vàng (số, có thể kèm đơn vị tính: “2.989 đảng viên”, “48,93%”). "
        "Không sửa các ô khác; tải lên nguyên tệp này.",
        last_col,
        size=11,
        bold=False,
        italic=True,
        height=30,
    )


def _head_cell(ws, row: int, col: int, text: str) -> None:
    c = ws.cell(row=row, column=col, value=text)
    c.font = x.font(11, bold=True)
    c.alignment = x.WRAP_CENTER
    c.border = x.BORDER
    c.fill = x.HEAD_FILL


def _number_cell(ws, row: int, col: int, value, target: Target, *, editable: bool) -> None:
    c = ws.cell(row=row, column=col, value=x.as_number(value))
    c.font = x.font(12)
    c.border = x.BORDER
    c.alignment = x.RIGHT
    c.number_format = x.INTEGER if target.value_type == ValueType.INTEGER else x.DECIMAL
    if editable:
        c.protection = UNLOCKED
        c.fill = x.INPUT_FILL


def build_unit_template(document, unit: OrgUnit, period: Period) -> bytes:
    """One unit's template: the targets assigned to it that report in
    ``period``'s kind, last period's values, this period's cells to fill
    (pre-filled with what is already entered)."""
    assigned = set(Assignment.objects.filter(unit=unit).values_list("target_id", flat=True))
    targets = [t for t in due_targets(document, period) if t.pk in assigned]
    if not targets:
        raise ValidationError(
            f"{unit.name} không được giao chỉ tiêu nào của văn bản này báo cáo theo kỳ “{period.label}”."
        )
    ids = [t.pk for t in targets]
    try:
        prev_key = period.previous().key()
    except PeriodError:
        prev_key = ""
    values = {}
    versions = []
    for tid, key, value, note, version in Result.objects.filter(
        unit=unit, target_id__in=ids, period_key__in=[period.key(), prev_key]
    ).values_list("target_id", "period_key", "value", "note", "version"):
        values[(tid, key)] = (value, note)
        if key == period.key():
            versions.append((tid, unit.pk, version))
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    x.set_widths(ws, [6, 12, 50, 14, 14, 16, 30])
    _title(ws, document, unit, period, len(TARGETS_HEAD))
    heads = list(TARGETS_HEAD)
    if prev_key:
        heads[4] = f"Kết quả {period.previous().label}"
    heads[5] = f"Kết quả {period.label}"
    for col, text in enumerate(heads, start=1):
        _head_cell(ws, HEAD_ROW, col, text)
    ws.row_dimensions[HEAD_ROW].height = 32
    for i, t in enumerate(targets):
        row = TARGETS_FIRST_ROW + i
        for col, value in enumerate([i + 1, t.code, t.name, t.measure], start=1):
            c = ws.cell(row=row, column=col, value=value)
            c.font = x.font(12)
            c.border = x.BORDER
            c.alignment = x.WRAP_LEFT if col == 3 else x.WRAP_CENTER
        prev = values.get((t.pk, prev_key), (None, ""))[0]
        current, note = values.get((t.pk, period.key()), (None, ""))
        _number_cell(ws, row, 5, prev, t, editable=False)
        _number_cell(ws, row, 6, current, t, editable=True)
        c = ws.cell(row=row, column=7, value=note or None)
        c.font = x.font(12)
        c.border = x.BORDER
        c.alignment = x.WRAP_LEFT
        c.protection = UNLOCKED
        c.fill = x.INPUT_FILL
    ws.freeze_panes = f"A{TARGETS_FIRST_ROW}"
    _protect(ws)
    x.print_a4_landscape(ws, f"{HEAD_ROW}:{HEAD_ROW}")
    meta = TemplateMeta(
        TEMPLATE_VERSION,
        document.pk,
        unit.pk,
        period.key(),
        "targets",
        tuple(ids),
        (unit.pk,),
        tuple(sorted(versions)),
    )
    _write_meta(wb, meta)
    return x.to_bytes(wb)


def reporting_units(document, unit: OrgUnit, targets: list[Target]) -> tuple[list[OrgUnit], set[tuple]]:
    """The current units under ``unit`` assigned any of ``targets``, in
    Vietnamese order, and the (target id, unit id) pairs assigned."""
    pairs = set(
        Assignment.objects.filter(
            subtree_q(unit, "unit__path", include_self=False),
            target__in=targets,
            unit__valid_to__isnull=True,
        ).values_list("target_id", "unit_id")
    )
    units = list(OrgUnit.objects.filter(pk__in={u for _, u in pairs}).order_by("sort_key", "pk"))
    return units, pairs


def build_children_template(document, unit: OrgUnit, period: Period) -> bytes:
    """A parent unit's template: one row per unit under it that is
    assigned targets, one column per target; cells of targets not assigned
    to a unit are grey and locked."""
    targets = due_targets(document, period)
    units, pairs = reporting_units(document, unit, targets)
    if not units:
        raise ValidationError(
            f"Không có đơn vị nào thuộc {unit.name} được giao chỉ tiêu báo cáo theo kỳ “{period.label}”."
        )
    targets = [t for t in targets if any(tid == t.pk for tid, _ in pairs)]
    # Values and versions in one read: the sheet shows what its versions say.
    current = {}
    versions = []
    for tid, uid, value, version in Result.objects.filter(
        subtree_q(unit, "unit__path", include_self=False),
        target__in=targets,
        period_key=period.key(),
    ).values_list("target_id", "unit_id", "value", "version"):
        current[(tid, uid)] = value
        if (tid, uid) in pairs:
            versions.append((tid, uid, version))
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    fixed = len(UNITS_FIXED_HEAD)
    last_col = fixed + len(targets)
    x.set_widths(ws, [6, 10, 32] + [16] * len(targets))
    ws.column_dimensions["B"].hidden = True  # ids for the import, not for people
    _title(ws, document, unit, period, last_col)
    for col, text in enumerate(UNITS_FIXED_HEAD, start=1):
        ws.merge_cells(start_row=HEAD_ROW, start_column=col, end_row=HEAD_ROW + 1, end_column=col)
        _head_cell(ws, HEAD_ROW, col, text)
        ws.cell(row=HEAD_ROW + 1, column=col).border = x.BORDER
    for j, t in enumerate(targets):
        _head_cell(ws, HEAD_ROW, fixed + 1 + j, f"{t.code}. {t.name}")
        _head_cell(ws, HEAD_ROW + 1, fixed + 1 + j, f"({t.measure})" if t.measure else "")
    ws.row_dimensions[HEAD_ROW].height = 60
    for i, u in enumerate(units):
        row = UNITS_FIRST_ROW + i
        for col, value in enumerate([i + 1, u.pk, u.name], start=1):
            c = ws.cell(row=row, column=col, value=value)
            c.font = x.font(12)
            c.border = x.BORDER
            c.alignment = x.WRAP_LEFT if col == 3 else x.WRAP_CENTER
        for j, t in enumerate(targets):
            col = fixed + 1 + j
            if (t.pk, u.pk) in pairs:
                _number_cell(ws, row, col, current.get((t.pk, u.pk)), t, editable=True)
            else:
                c = ws.cell(row=row, column=col)
                c.fill = x.OFF_FILL
                c.border = x.BORDER
    ws.freeze_panes = f"D{UNITS_FIRST_ROW}"
    _protect(ws)
    x.print_a4_landscape(ws, f"{HEAD_ROW}:{HEAD_ROW + 1}")
    ws.print_title_cols = "A:C"
    meta = TemplateMeta(
        TEMPLATE_VERSION,
        document.pk,
        unit.pk,
        period.key(),
        "units",
        tuple(t.pk for t in targets),
        tuple(u.pk for u in units),
        tuple(sorted(versions)),
    )
    _write_meta(wb, meta)
    return x.to_bytes(wb)


def column(col: int) -> str:
    return get_column_letter(col)
