"""Units' goals for one target, to and from Excel: a template with one row
per unit (code, name, term goal, one column per year of the term), and its
import, all or nothing.

The template lists the current units directly under the unit whose goals
are apportioned (a province: its communes and wards), pre-filled with each
unit's own goals (typed, imported or apportioned; never derived ones). The
identity sheet records the target, the unit and the version of each
assignment read: a unit whose goals changed since the download is refused,
never overwritten unseen. An empty cell is "no goal" (a goal the sheet
showed and the user cleared is withdrawn, its history kept).

The file goes through the same guards as the results import (size, zip,
every sheet's area, calamine in a child process). Every bad row gets its
message (sheet, row, column); any error and nothing is written. Then one
transaction assigns the target to the units that had no assignment and
records the goals through ``targets.actions.do_set_goals_many`` (source
"imported").
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.core.numbers import NumberError, format_number, parse_number
from nghiquyet.core.text import fold
from nghiquyet.core.uploads import UploadTooLarge, read_upload
from nghiquyet.core.zipguard import ZipRefused
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.targets.actions import GoalWrite, clean_goal_value, do_assign_target, do_set_goals_many
from nghiquyet.targets.goals import book_for, term_years
from nghiquyet.targets.models import Assignment, GoalSource, Target, ValueType

from .importing import CellError, ImportRejected
from .sheetreader import ReaderFailed, ReaderUnreadable, read_sheet
from .xlsxguard import Area, XlsxRefused, check_area, check_xlsx
from .xlsxkit import BORDER, HEAD_FILL, INPUT_FILL, WRAP_CENTER, WRAP_LEFT, as_number, font, number_format_for

SHEET = "Mục tiêu"
META_SHEET = "_nhan_dang"
TEMPLATE_KIND = "goals-1"
HEAD_ROW = 4
FIRST_ROW = HEAD_ROW + 1
FIXED_HEAD = ("Mã đơn vị", "Tên đơn vị", "Mục tiêu cả nhiệm kỳ")
META_AREA = Area(rows=20, cols=4)
MAX_UNITS = 20_000
MAX_ERRORS = 200


def unit_code(unit: OrgUnit) -> str:
    """The code a row is matched by: the unit's own, or its system id."""
    return unit.code or f"#{unit.pk}"


def template_units(parent: OrgUnit) -> list[OrgUnit]:
    """The current units directly under ``parent``, in the tree's order."""
    return list(OrgUnit.objects.filter(parent=parent, valid_to__isnull=True).vn_ordered())


def build_goals_template(target: Target, parent: OrgUnit) -> bytes:
    """The .xlsx to fill: one row per unit under ``parent``, its own goals
    pre-filled (yellow cells are for typing)."""
    doc = target.document
    years = term_years(doc)
    units = template_units(parent)
    assignments = {a.unit_id: a for a in Assignment.objects.filter(target=target, unit__in=units)}
    book = book_for(Assignment.objects.filter(pk__in=[a.pk for a in assignments.values()]))
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"MỤC TIÊU CỦA CÁC ĐƠN VỊ – CHỈ TIÊU {target.code}. {target.name}".upper()
    ws["A1"].font = font(13, bold=True)
    measure = f" (đơn vị tính: {target.measure})" if target.measure else ""
    ws["A2"] = f"{doc} – giao cho các đơn vị trực thuộc {parent.name}{measure}"
    ws["A2"].font = font(12, italic=True)
    head = [*FIXED_HEAD, *(f"Năm {y}" for y in years)]
    for col, text in enumerate(head, start=1):
        c = ws.cell(HEAD_ROW, col, text)
        c.font, c.fill, c.border, c.alignment = font(12, bold=True), HEAD_FILL, BORDER, WRAP_CENTER
    integer = target.value_type == ValueType.INTEGER
    for i, u in enumerate(units):
        row = FIRST_ROW + i
        goals = book.goals(target.pk, u.pk, dt.date.max) if u.pk in assignments else None
        values = [goals.term.value if goals else None] + [
            (goals.years[y].value if goals and y in goals.years else None) for y in years
        ]
        ws.cell(row, 1, unit_code(u)).border = BORDER
        name = ws.cell(row, 2, u.name)
        name.border, name.alignment = BORDER, WRAP_LEFT
        for j, v in enumerate(values):
            c = ws.cell(row, 3 + j, as_number(v))
            c.border, c.fill, c.number_format = BORDER, INPUT_FILL, number_format_for(v, integer)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 42
    for col in range(3, len(head) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    versions = ",".join(f"{u.pk}:{assignments[u.pk].version if u.pk in assignments else 0}" for u in units)
    for k, v in (
        ("kind", TEMPLATE_KIND),
        ("target", str(target.pk)),
        ("unit", str(parent.pk)),
        ("years", ",".join(map(str, years))),
        ("versions", versions),
    ):
        # A cell holds at most 32.767 characters: long values run on over the next columns.
        parts = [v[i : i + 30000] for i in range(0, len(v), 30000)] or [""]
        meta.append([k, *parts])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class GoalsImportSummary:
    target: Target
    unit: OrgUnit
    assigned: int  # units newly assigned
    changed: int  # units whose goals changed
    rows: int

    @property
    def message(self) -> str:
        if not self.changed and not self.assigned:
            return (
                f"Không có thay đổi: mục tiêu của {format_number(self.rows)} đơn vị trùng với mục tiêu đã có."
            )
        return (
            f"Đã nhận mục tiêu chỉ tiêu {self.target.code} của {format_number(self.rows)} đơn vị: "
            f"{format_number(self.changed)} đơn vị thay đổi mục tiêu, "
            f"{format_number(self.assigned)} đơn vị mới được giao."
        )


def _refuse(message: str, sheet: str = "", row=None, col=None) -> ImportRejected:
    return ImportRejected([CellError(sheet, row, col, message)])


def _read_meta(data: bytes) -> dict[str, str]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise _refuse("Tệp không phải là tệp Excel (.xlsx) đọc được.") from None
    try:
        if META_SHEET not in wb.sheetnames:
            raise _refuse(
                "Tệp không phải mẫu nhập mục tiêu của hệ thống (thiếu thông tin nhận dạng mẫu). "
                "Vui lòng tải mẫu tại trang chỉ tiêu và nhập lại."
            )
        return {
            str(k): "".join("" if v is None else str(v) for v in rest)
            for k, *rest in wb[META_SHEET].iter_rows(values_only=True)
            if k
        }
    finally:
        wb.close()


def _number(raw) -> Decimal | None | str:
    """A cell's number, None for an empty cell, or the error text."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        return f"“{raw}” không phải là số."
    if isinstance(raw, int | float):
        try:
            return Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            return f"“{raw}” không phải là số."
    try:
        return parse_number(str(raw))
    except (NumberError, ValueError):
        return f"“{raw}” không phải là số."


def do_import_goals(file, *, acting_user) -> GoalsImportSummary:
    """Take in a filled goals template, all or nothing (see the module's
    docstring). ``acting_user`` must be an administrator of the template's
    unit (the level above the rows' units)."""
    try:
        data = read_upload(file)
    except UploadTooLarge as exc:
        raise _refuse(exc.messages[0]) from None
    if not data:
        raise _refuse("Tệp rỗng, không có dữ liệu.")
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse("Tệp không phải là tệp Excel (.xlsx) đọc được.")
    try:
        extents = check_xlsx(data, {META_SHEET: META_AREA, SHEET: Area(FIRST_ROW + MAX_UNITS, 60)})
    except XlsxRefused as exc:
        raise ImportRejected([CellError(exc.sheet, exc.row, exc.column, exc.messages[0])]) from None
    except ZipRefused as exc:
        raise _refuse(
            "Tệp không phải là tệp Excel (.xlsx) đọc được." if exc.broken else exc.messages[0]
        ) from None
    meta = _read_meta(data)
    try:
        if meta.get("kind") != TEMPLATE_KIND:
            raise ValueError
        target = Target.objects.select_related("document").get(pk=int(meta["target"]))
        parent = OrgUnit.objects.get(pk=int(meta["unit"]))
        years = [int(y) for y in meta["years"].split(",") if y]
        versions = {int(k): int(v) for k, v in (p.split(":") for p in meta["versions"].split(",") if p)}
    except (KeyError, ValueError, Target.DoesNotExist, OrgUnit.DoesNotExist):
        raise _refuse("Thông tin nhận dạng mẫu bị hỏng hoặc không còn khớp; vui lòng tải mẫu mới.") from None
    if not has_role(acting_user, parent, Role.ADMIN):
        raise _refuse(
            f"Đồng chí không phải quản trị viên của {parent.name}: không được giao mục tiêu cho cấp dưới."
        )
    if years != term_years(target.document):
        raise _refuse("Nhiệm kỳ của văn bản đã thay đổi sau khi tải mẫu; vui lòng tải mẫu mới.")
    head = [*FIXED_HEAD, *(f"Năm {y}" for y in years)]
    try:
        check_area(SHEET, extents.get(SHEET), Area(FIRST_ROW - 1 + len(versions) + 10, len(head) + 3))
    except XlsxRefused as exc:
        raise ImportRejected([CellError(exc.sheet, exc.row, exc.column, exc.messages[0])]) from None
    try:
        rows = read_sheet(data, SHEET)
    except ReaderUnreadable:
        rows = _rows_with_openpyxl(data)
    except (ReaderFailed, OSError):
        raise _refuse("Không đọc được tệp trong giới hạn bộ nhớ và thời gian cho phép.", SHEET) from None

    errors: list[CellError] = []

    def err(row, col, message):
        errors.append(CellError(SHEET, row, get_column_letter(col) if col else None, message))

    got = [
        ("" if v is None else str(v)).strip() for v in (rows[HEAD_ROW - 1] if len(rows) >= HEAD_ROW else ())
    ]
    for j, want in enumerate(head):
        if j >= len(got) or got[j] != want:
            err(HEAD_ROW, j + 1, f"Tiêu đề cột phải là “{want}”; vui lòng dùng mẫu tải từ hệ thống.")
    if errors:
        raise ImportRejected(errors)

    units = {u.pk: u for u in template_units(parent)}
    by_code = {unit_code(u).lower(): u for u in units.values()}
    by_name = {fold(u.name): u for u in units.values()}
    assignments = {
        a.unit_id: a
        for a in Assignment.objects.select_related("target__document", "unit").filter(
            target=target, unit__in=list(units)
        )
    }
    whole = target.value_type == ValueType.INTEGER
    plan: list[tuple[OrgUnit, dict[str, Decimal | None]]] = []
    seen: dict[int, int] = {}
    for n, values in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        values = tuple(values) + (None,) * (len(head) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        code, name = ("" if values[0] is None else str(values[0]).strip()), values[1]
        unit = by_code.get(code.lower()) if code else by_name.get(fold(str(name or "")))
        if unit is None:
            err(n, 1, f"Không có đơn vị mã “{code or name}” trực thuộc {parent.name}.")
            continue
        if name and fold(str(name)) != fold(unit.name):
            err(n, 2, f"Mã “{code}” là {unit.name}, không phải “{name}”.")
            continue
        if unit.pk in seen:
            err(n, 1, f"{unit.name} đã có ở dòng {seen[unit.pk]}: mỗi đơn vị một dòng.")
            continue
        seen[unit.pk] = n
        a = assignments.get(unit.pk)
        current = a.version if a else 0
        if unit.pk not in versions or versions[unit.pk] != current:
            err(n, 1, f"Mục tiêu của {unit.name} đã thay đổi sau khi tải mẫu; vui lòng tải mẫu mới.")
            continue
        goals: dict[str, Decimal | None] = {}
        for j, key in enumerate(["term", *map(str, years)]):
            col = 3 + j
            v = _number(values[col - 1])
            if isinstance(v, str):
                err(n, col, v)
                continue
            label = head[col - 1].lower()
            try:
                goals[key] = clean_goal_value(unit, label, v, whole=whole)
            except ValidationError as exc:
                err(n, col, exc.messages[0])
        if a is None and all(v is None for v in goals.values()):
            continue  # not assigned and no goal: nothing to do
        plan.append((unit, goals))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ImportRejected(errors[:MAX_ERRORS])
    if not plan:
        raise _refuse("Tệp không có mục tiêu nào của đơn vị.", SHEET)
    with transaction.atomic():
        new = do_assign_target(target, [u for u, _ in plan], acting_user=acting_user)
        fresh = {
            a.unit_id: a
            for a in Assignment.objects.select_related("target__document", "unit").filter(
                target=target, unit__in=[u for u, _ in plan]
            )
        }
        changed = do_set_goals_many(
            [GoalWrite(fresh[u.pk], g, expected_version=fresh[u.pk].version) for u, g in plan],
            acting_user=acting_user,
            source=GoalSource.IMPORTED,
        )
    return GoalsImportSummary(target, parent, len(new), len(changed), len(plan))


def _rows_with_openpyxl(data: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(wb[SHEET].iter_rows(min_row=1, values_only=True))
    finally:
        wb.close()
