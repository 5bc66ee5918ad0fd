"""Writes for targets: assigning them, reporting results and signing them off.

A result moves draft → submitted → approved. An approver (or admin) over
the result's unit approves it, or returns it to draft with a reason. An
approved figure is locked until an approver on a unit above withdraws the
approval (``do_withdraw_approval``, issue 13), and a period accepts figures
only while its entry window is open (``locks``: the reporting window, or
the reporting round's deadlines and exceptions).

Results have one writer: ``do_save_results`` (a bulk form for the Excel
import and the reporting form) and ``do_save_result`` (one cell, for the
API and scripts) are the same code and the same state machine (``_plan``).
Every writer states the version it read; a cell changed since is refused
(StaleResultError, listing each cell), never overwritten unseen."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Final, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.audit.actions import record, record_many, snapshot, snapshot_values
from nghiquyet.core import bulksql
from nghiquyet.core.dates import format_date_official
from nghiquyet.core.numbers import (
    STORED_DECIMALS,
    NumberError,
    convert_to_measure,
    format_number,
    measure_nouns,
    parse_number,
    parse_quantity,
)
from nghiquyet.core.periods import Period, PeriodError, parse_period
from nghiquyet.core.versions import check_version
from nghiquyet.orgs.models import OrgUnit, UnitKind, subtree_q

from .goals import apportion, below_issuer, book_for, is_flow, target_goals, term_years
from .locks import EntryLocked, check_entry, covering_rounds, entry_windows, round_for, vn_today
from .models import (
    COUNTED_STATUSES,
    REPORT_KINDS,
    ApportionRule,
    Assignment,
    AssignmentGoal,
    Direction,
    GoalKind,
    GoalSource,
    Judged,
    Milestone,
    Result,
    ResultRevision,
    ResultStatus,
    Target,
    TargetGroup,
    TargetRevision,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)

REASON_MAX = 2000


def do_assign_target(
    target: Target,
    units: Iterable[OrgUnit],
    *,
    acting_user,
    goals: Mapping[int, Mapping[str, Decimal | None]] | None = None,
    weights: Mapping[int, Decimal | None] | None = None,
    source: str = GoalSource.TYPED,
) -> list[Assignment]:
    """Assign ``target`` to ``units``; units already assigned are left as
    they are, so assigning twice changes nothing. ``goals`` (unit id →
    {"term": v, "2026": v, "baseline": v}) and ``weights`` (unit id → v)
    are recorded for the new and the existing assignments alike, through
    ``do_set_goals`` (with history)."""
    units = list(units)
    for u in units:
        if u.valid_to is not None:
            raise ValidationError(f"Đơn vị “{u.name}” đã hết hiệu lực, không thể giao chỉ tiêu.")
    with transaction.atomic():
        existing = set(
            Assignment.objects.filter(target=target, unit__in=units).values_list("unit_id", flat=True)
        )
        new = [Assignment(target=target, unit=u) for u in units if u.pk not in existing]
        Assignment.objects.bulk_create(new)
        if new:
            record(
                "assign_target",
                target,
                acting_user=acting_user,
                after={"units": [a.unit_id for a in new]},
            )
        if goals or weights:
            by_unit = {
                a.unit_id: a
                for a in Assignment.objects.select_related("target__document", "unit").filter(
                    target=target, unit__in=units
                )
            }
            do_set_goals_many(
                [
                    GoalWrite(
                        by_unit[u.pk],
                        (goals or {}).get(u.pk, {}),
                        weight=(weights or {}).get(u.pk, UNCHANGED),
                    )
                    for u in units
                    if (goals and u.pk in goals) or (weights and u.pk in weights)
                ],
                acting_user=acting_user,
                source=source,
            )
    return new


def do_assign_target_to_communes(target: Target, province: OrgUnit, *, acting_user) -> list[Assignment]:
    """Assign ``target`` to every current commune committee of ``province`` in one step."""
    communes = OrgUnit.objects.subtree(province).current().filter(kind=UnitKind.COMMUNE)
    return do_assign_target(target, communes, acting_user=acting_user)


# -- goals ---------------------------------------------------------------------------


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged()


class StaleAssignmentError(ValidationError):
    """The assignment's goals changed after the writer read them."""


@dataclass
class GoalWrite:
    """New goals for one assignment: {"term": v, "baseline": v, "2026": v}
    (None withdraws a goal), a new weight, and the version the writer read."""

    assignment: Assignment
    goals: Mapping[str, Decimal | None]
    weight: Decimal | None | _Unchanged = UNCHANGED
    expected_version: int | None = None
    rule: str = ""


def goal_key(key) -> tuple[str, int | None]:
    """("term", None), ("baseline", None) or ("year", 2026) from a key as
    the API and the import write it; ValidationError otherwise."""
    text = str(key).strip().lower()
    if text in ("term", "nhiem_ky", "nhiệm kỳ"):
        return GoalKind.TERM, None
    if text in ("baseline", "goc", "gốc"):
        return GoalKind.BASELINE, None
    if text.isdigit() and 1900 <= int(text) <= 2200:
        return GoalKind.YEAR, int(text)
    raise ValidationError(
        f"Khóa mục tiêu “{key}” không hợp lệ: dùng “term”, “baseline” hoặc một năm (ví dụ 2026)."
    )


def clean_goal_value(unit: OrgUnit, label: str, raw, *, whole: bool = False) -> Decimal | None:
    """A goal as typed (a number, or Vietnamese text "2.989", "48,93"),
    checked: finite, at most four decimals, not negative, whole for a
    count (``whole``); None for an empty one. ValidationError in Vietnamese
    naming the unit and the goal otherwise."""
    if raw is None or raw == "":
        return None
    try:
        value = parse_number(raw) if isinstance(raw, str) else Decimal(str(raw))
    except (NumberError, InvalidOperation, ValueError):
        raise ValidationError(f"{unit.name}, {label}: “{raw}” không phải là số.") from None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 16:
        raise ValidationError(f"{unit.name}, {label}: “{raw}” không phải là số hợp lệ.")
    if value != value.quantize(Decimal("0.0001")):
        raise ValidationError(
            f"{unit.name}, {label}: chỉ giữ được 4 chữ số thập phân ({format_number(value)})."
        )
    if whole and value != value.to_integral_value():
        raise ValidationError(
            f"{unit.name}, {label}: chỉ tiêu đếm số nguyên, không nhận {format_number(value)}."
        )
    if value < 0:
        raise ValidationError(f"{unit.name}, {label}: mục tiêu không được âm ({format_number(value)}).")
    return value


def _key_label(kind: str, year: int | None) -> str:
    if kind == GoalKind.TERM:
        return "mục tiêu cả nhiệm kỳ"
    if kind == GoalKind.BASELINE:
        return "giá trị gốc"
    return f"mục tiêu năm {year}"


def do_set_goals_many(
    writes: list[GoalWrite], *, acting_user, source: str = GoalSource.TYPED
) -> list[Assignment]:
    """Record new goals for several assignments, all or nothing. A goal that
    changes adds a row (the old one stays, see AssignmentGoal): in force
    from the beginning while no figure it would judge exists (or when there
    was no goal before), from today once one does — so a period already
    reported keeps the goal it was judged against. A year outside the document's term is refused. Each
    changed assignment's version goes up by one; a writer that read another
    version is refused (StaleAssignmentError) and nothing is written."""
    if source not in (GoalSource.TYPED, GoalSource.IMPORTED, GoalSource.APPORTIONED):
        raise ValueError(source)
    today = timezone.localdate()
    now = timezone.now()
    changed: list[Assignment] = []
    with transaction.atomic():
        ids = [w.assignment.pk for w in writes]
        current = {
            a.pk: a for a in Assignment.objects.select_for_update().filter(pk__in=ids).select_related("unit")
        }
        book = book_for(Assignment.objects.filter(pk__in=ids))
        rows: list[AssignmentGoal] = []
        for w in writes:
            a = current.get(w.assignment.pk)
            if a is None:
                raise ValidationError("Không tìm thấy lượt giao chỉ tiêu.")
            target = w.assignment.target
            if w.expected_version is not None and w.expected_version != a.version:
                raise StaleAssignmentError(
                    f"Mục tiêu của {a.unit.name} vừa được người khác thay đổi "
                    f"(phiên bản {a.version}, đồng chí đã xem phiên bản {w.expected_version}). "
                    "Vui lòng tải lại rồi nhập lại."
                )
            years = term_years(target.document)
            # What is in force now (whatever its date): what a change is compared with.
            latest = book.goals(target.pk, a.unit_id, dt.date.max)
            reported: set[int] | None = None
            before: dict[str, str | None] = {}
            after: dict[str, str | None] = {}
            for key, raw in w.goals.items():
                kind, year = goal_key(key)
                label = _key_label(kind, year)
                if kind == GoalKind.YEAR and years and year not in years:
                    raise ValidationError(
                        f"{a.unit.name}: năm {year} nằm ngoài nhiệm kỳ "
                        f"{target.document.term_start}–{target.document.term_end} "
                        f"(mục tiêu năm từ {years[0]} đến {years[-1]})."
                    )
                # A count's goal as typed is whole; an apportioned part may not be.
                whole = target.value_type == ValueType.INTEGER and source != GoalSource.APPORTIONED
                value = clean_goal_value(a.unit, label, raw, whole=whole and kind != GoalKind.BASELINE)
                old = (
                    latest.term
                    if kind == GoalKind.TERM
                    else latest.baseline
                    if kind == GoalKind.BASELINE
                    else latest.years.get(year)
                )
                old_value = old.value if old is not None else None
                if old_value == value:
                    # The same value keeps its row and its source: a sheet
                    # sent back unchanged changes nothing.
                    continue
                if reported is None and old_value is not None:
                    reported = set(
                        Result.objects.filter(
                            subtree_q(a.unit, "unit__path"), target=target, value__isnull=False
                        )
                        .values_list("period_end__year", flat=True)
                        .distinct()
                    )
                judged = bool(reported) and (kind != GoalKind.YEAR or year in reported)
                rows.append(
                    AssignmentGoal(
                        assignment=a,
                        kind=kind,
                        year=year,
                        value=value,
                        source=source,
                        rule=w.rule if source == GoalSource.APPORTIONED else "",
                        # A first goal holds from the beginning; a change
                        # once figures exist, from today (the old one stays).
                        effective_from=today if judged and old_value is not None else None,
                        recorded_at=now,
                        recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                    )
                )
                name = kind if kind != GoalKind.YEAR else str(year)
                before[name] = None if old_value is None else str(old_value)
                after[name] = None if value is None else str(value)
            if not isinstance(w.weight, _Unchanged):
                weight = None if w.weight is None else clean_goal_value(a.unit, "trọng số", w.weight)
                if weight != a.weight:
                    before["weight"] = None if a.weight is None else str(a.weight)
                    after["weight"] = None if weight is None else str(weight)
                    a.weight = weight
            if not after:
                continue
            a.version += 1
            a.save(update_fields=["weight", "version"])
            w.assignment.version, w.assignment.weight = a.version, a.weight
            record(
                "set_goals",
                a,
                acting_user=acting_user,
                before=before,
                after={**after, "source": source, **({"rule": w.rule} if w.rule else {})},
                unit=a.unit,
            )
            changed.append(a)
        AssignmentGoal.objects.bulk_create(rows)
    return changed


def do_set_goals(
    assignment: Assignment,
    goals: Mapping[str, Decimal | None],
    *,
    acting_user,
    weight: Decimal | None | _Unchanged = UNCHANGED,
    expected_version: int | None = None,
    source: str = GoalSource.TYPED,
) -> Assignment:
    """Record one unit's goals ({"term": v, "2026": v, …}); see
    ``do_set_goals_many``."""
    do_set_goals_many(
        [GoalWrite(assignment, goals, weight, expected_version)], acting_user=acting_user, source=source
    )
    return assignment


def do_apportion_goals(
    target: Target,
    parent: OrgUnit,
    units: list[OrgUnit],
    rule: str,
    *,
    acting_user,
    weights: Mapping[int, Decimal] | None = None,
) -> list[Assignment]:
    """Give ``units`` (assigned or not yet) their goals apportioned from
    ``parent``'s by ``rule``: equal parts, parts by weight (the weights
    given, else each assignment's), or the parent's own value (rates and
    thresholds). The parent's own goals are apportioned — the term's and
    each year's it was given; the units' other years are derived from
    their term goal the same way the parent's are. Marked apportioned."""
    if rule not in ApportionRule.values:
        raise ValidationError(f"Quy tắc phân bổ “{rule}” không hợp lệ.")
    if rule != ApportionRule.PARENT and not is_flow(target):
        raise ValidationError(
            "Chỉ tiêu tỷ lệ hoặc số liệu cuối kỳ không chia ra được: "
            "chọn quy tắc “bằng mục tiêu của cấp trên”."
        )
    if not units:
        raise ValidationError("Chưa chọn đơn vị nào để phân bổ.")
    outside = [u.name for u in units if not u.path.startswith(parent.path) or u.pk == parent.pk]
    if outside:
        raise ValidationError(f"Đơn vị không thuộc {parent.name}: {', '.join(outside)}.")
    if not below_issuer(target.document, parent):
        own = target_goals(target)
    else:
        own = book_for(Assignment.objects.filter(target=target, unit=parent)).goals(
            target.pk, parent.pk, timezone.localdate()
        )
    parts: dict[str, Decimal] = {}
    if own.term.value is not None:
        parts["term"] = own.term.value
    for year, g in own.years.items():
        if g.value is not None:
            parts[str(year)] = g.value
    if rule == ApportionRule.PARENT and own.baseline.value is not None:
        parts["baseline"] = own.baseline.value
    if not parts:
        raise ValidationError(f"{parent.name} chưa có mục tiêu của chỉ tiêu này để phân bổ.")
    with transaction.atomic():
        do_assign_target(target, units, acting_user=acting_user, weights=weights)
        assignments = {
            a.unit_id: a
            for a in Assignment.objects.select_related("target__document", "unit").filter(
                target=target, unit__in=units
            )
        }
        ids = [u.pk for u in units]
        w = {uid: a.weight for uid, a in assignments.items()}
        try:
            whole = target.value_type == ValueType.INTEGER
            split = {key: apportion(rule, value, ids, w, whole=whole) for key, value in parts.items()}
        except ValueError:
            missing = [u.name for u in units if w.get(u.pk) is None or w[u.pk] <= 0]
            raise ValidationError(
                "Phân bổ theo trọng số cần trọng số dương của mọi đơn vị"
                + (f"; thiếu: {', '.join(missing)}." if missing else ".")
            ) from None
        return do_set_goals_many(
            [GoalWrite(assignments[uid], {key: split[key][uid] for key in split}, rule=rule) for uid in ids],
            acting_user=acting_user,
            source=GoalSource.APPORTIONED,
        )


# Digits a stored figure keeps: Result.value has STORED_DECIMALS places, and
# SQLite keeps 15 significant digits (a float); a value needing more is
# refused rather than stored with digits lost.
MAX_SIGNIFICANT = 15
_FLOAT_CONTEXT = Context(prec=MAX_SIGNIFICANT)


def measure_of(target: Target) -> str:
    """The unit a target's figures are written in ("%" for a rate with none stated)."""
    measure = (target.measure or "").strip()
    if not measure and target.value_type == ValueType.PERCENT:
        return "%"
    return measure


def clean_value(target: Target, raw) -> Decimal | None:
    """A value typed by a person or read from a sheet, checked against the
    target. Accepts Vietnamese separators ("2.989", "48,93") and a unit
    after the number, converted when it is a known multiple of the target's
    unit ("4,25 triệu đồng" for a target in tỷ đồng → 0,00425) and refused
    otherwise, naming the unit expected ("12 km" for hộ). Refuses "1e3",
    "1/2"; a count (value_type integer) must be whole and not negative;
    the target's bounds (a percentage: 0–100 unless set) hold. Every digit
    is kept: a value needing more than STORED_DECIMALS decimal places or
    MAX_SIGNIFICANT significant digits is refused, never rounded (a float
    from a sheet is read to a float's own precision first). Raises
    ValidationError in Vietnamese."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError("Giá trị phải là số.")
    if isinstance(raw, (int, float, Decimal)):
        try:
            value = _FLOAT_CONTEXT.create_decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation:
            raise ValidationError("Giá trị phải là số.") from None
    else:
        try:
            value, typed = parse_quantity(str(raw))
            value = convert_to_measure(value, typed, measure_of(target))
        except NumberError as exc:
            raise ValidationError(str(exc)) from None
    if not value.is_finite():
        raise ValidationError("Giá trị phải là số hữu hạn.")
    if target.value_type == ValueType.INTEGER:
        what = target.measure or "đơn vị"
        if value != value.to_integral_value():
            raise ValidationError(f"Chỉ tiêu “{target.name}” nhận số nguyên ({what}).")
        if value < 0:
            raise ValidationError(f"Chỉ tiêu “{target.name}” là số đếm ({what}): không nhận số âm.")
    low = target.min_value
    high = target.max_value
    if target.value_type == ValueType.PERCENT:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if low is not None and value < low:
        raise ValidationError(f"Giá trị {format_number(value)} nhỏ hơn mức tối thiểu {format_number(low)}.")
    if high is not None and value > high:
        raise ValidationError(f"Giá trị {format_number(value)} lớn hơn mức tối đa {format_number(high)}.")
    if abs(value) >= Decimal("1e15"):
        raise ValidationError("Giá trị quá lớn.")
    exact = value.normalize()
    _, digits, exponent = exact.as_tuple()
    assert isinstance(exponent, int)
    if -exponent > STORED_DECIMALS or len(digits) > MAX_SIGNIFICANT:
        raise ValidationError(
            f"Giá trị {format_number(value)} có quá nhiều chữ số "
            f"(tối đa {STORED_DECIMALS} chữ số sau dấu phẩy, {MAX_SIGNIFICANT} chữ số có nghĩa): "
            "không lưu đủ được, đề nghị làm tròn hoặc nhập theo đơn vị lớn hơn."
        )
    return value.quantize(Decimal(1).scaleb(-STORED_DECIMALS))


def check_period(target: Target, period: Period | str, today: dt.date | None = None) -> Period:
    """The period a result is reported for: of the target's reporting kind,
    and already begun."""
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None
    if period.kind != target.report_every:
        raise ValidationError(
            f"Chỉ tiêu “{target.name}” báo cáo {target.get_report_every_display().lower()}, "
            f"không nhận số liệu cho kỳ “{period.label}”."
        )
    today = today or timezone.localdate()
    if period.start > today:
        raise ValidationError(f"Kỳ “{period.label}” chưa bắt đầu.")
    return period


class _AnyVersion:
    """The default of ``expected_version``: the caller read nothing to
    compare with (the demo, a test fixture). Pages, the API and the import
    always pass the version they showed."""

    def __repr__(self) -> str:
        return "ANY_VERSION"


ANY_VERSION: Final = _AnyVersion()


@dataclass
class CellWrite:
    """One cell (target, unit) to write for a period, and what its writer
    read. ``expected_version``: the version shown; 0 or None when the
    writer saw no result (the cell must not exist yet); ANY_VERSION to
    skip the check. ``note`` None keeps the stored note. ``ref`` is the
    caller's handle (a form row, a sheet cell), given back in conflicts.
    ``estimate``: whether the value is an estimate (see the field)."""

    target: Target
    unit: OrgUnit
    value: object
    note: str | None = None
    expected_version: int | None | _AnyVersion = ANY_VERSION
    ref: object = None
    # An estimate ("ước thực hiện")? None: an estimate while the period is
    # still running, the actual figure once it has ended.
    estimate: bool | None = None
    key: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.key = (self.target.pk, self.unit.pk)  # read 66,000 times by a sheet's import


@dataclass(frozen=True)
class Conflict:
    """A cell refused because the stored result is not the one its writer read."""

    cell: CellWrite
    value: Decimal | None  # what the writer sent, cleaned
    result_id: int | None  # None: the result is gone
    current_value: Decimal | None
    current_version: int
    message: str


class StaleResultError(ValidationError):
    """Someone else changed the result after the form (sheet, API client)
    read it. ``conflicts`` lists every such cell; nothing was written."""

    def __init__(self, message, conflicts: Iterable[Conflict] = ()):
        super().__init__(message)
        self.conflicts = list(conflicts)


@dataclass
class SavedCells:
    """What ``do_save_results`` did, cell by cell: (cell, result id)."""

    created: list[tuple[CellWrite, int]] = field(default_factory=list)
    updated: list[tuple[CellWrite, int]] = field(default_factory=list)
    unchanged: list[tuple[CellWrite, int]] = field(default_factory=list)


# The columns a write decides from: (id, target, unit, value, note, status,
# version, reported_by). Rows, not model instances: a province's sheet is
# tens of thousands of cells.
_STATE = (
    "id", "target_id", "unit_id", "value", "note", "status", "version", "reported_by_id",
    "is_estimate", "estimate",
)  # fmt: skip
_ID, _TARGET, _UNIT, _VALUE, _NOTE, _STATUS, _VERSION, _REPORTED_BY, _IS_ESTIMATE, _ESTIMATE = range(10)


# Plain strings: compared and written 66,000 times by a sheet's import.
_DRAFT, _SUBMITTED, _APPROVED = (
    str(s.value) for s in (ResultStatus.DRAFT, ResultStatus.SUBMITTED, ResultStatus.APPROVED)
)


class _Plan(NamedTuple):  # a tuple: made once per cell of a 66,000-cell sheet
    kind: str  # "create" | "update" | "same" | "stale"
    note: str = ""
    status: str = ""
    stamp: bool = False  # (re)submitted now: submitted_at set, a return answered


# The plans most cells of a sheet get, made once.
_SAME, _STALE = _Plan("same"), _Plan("stale")
_CREATE_DRAFT, _CREATE_SUBMITTED = _Plan("create", "", _DRAFT, False), _Plan("create", "", _SUBMITTED, True)


def _plan(
    row: tuple | None,
    value: Decimal | None,
    note: str | None,
    submit: bool | None,
    expected,
    cell,
    period,
    estimate: bool = False,
) -> _Plan:
    """The state machine of one cell, for every writer. ``row`` is the stored
    state (``_STATE``) or None. ``submit``: True sends, False keeps a draft,
    None keeps the current status (a new cell is a draft).

    - A write that changes nothing (same value, note and estimate flag, and
      the status it asks for, or an approved figure sent again) is never refused as stale:
      nothing can be lost by it, and a retried request stays harmless.
    - Otherwise the stored version must be the one the writer read (0/None:
      no result yet), unless the writer read nothing (ANY_VERSION).
    - An approved figure is locked (EntryLocked): an approver above
      withdraws the approval first (``do_withdraw_approval``); a submitted
      figure needs a value. Submitting answers a return.

    Raises ValidationError for a rule broken; a stale cell is a "stale" plan."""
    if row is None:
        if expected is not ANY_VERSION and expected not in (None, 0):
            return _STALE
        if submit and value is None:
            raise ValidationError(f"Chưa nhập giá trị cho chỉ tiêu “{cell.target.name}”.")
        if not note:
            return _CREATE_SUBMITTED if submit else _CREATE_DRAFT
        return _Plan("create", note, _SUBMITTED, True) if submit else _Plan("create", note, _DRAFT, False)
    note = row[_NOTE] if note is None else note
    current = row[_STATUS]
    status = current if submit is None else _SUBMITTED if submit else _DRAFT
    if (
        row[_VALUE] == value
        and row[_NOTE] == note
        and bool(row[_IS_ESTIMATE]) == estimate
        and current in (status, _APPROVED)
    ):
        return _SAME
    if expected is not ANY_VERSION and (expected or 0) != row[_VERSION]:
        return _STALE
    if current == _APPROVED:
        # Approval locks the cell until an approver above withdraws it (issue 13).
        raise EntryLocked(
            f"Số liệu “{cell.target.name}” của {cell.unit.name} kỳ {period.label} đã được duyệt nên đã khóa; "
            "cần người duyệt cấp trên hủy duyệt thì mới sửa được."
        )
    if status == _SUBMITTED and value is None:
        raise ValidationError(f"Chưa nhập giá trị cho chỉ tiêu “{cell.target.name}”.")
    return _Plan("update", note, status, stamp=status == _SUBMITTED)


def _stale_message(cell: CellWrite, row: tuple | None, period: Period) -> str:
    what = f"Số liệu “{cell.target.name}” kỳ {period.label}"
    if row is None:
        return f"{what} đã bị xóa hoặc thay đổi; vui lòng tải lại."
    shown = format_number(row[_VALUE]) or "trống"
    if cell.expected_version is None:
        return (
            f"{what} đã có (giá trị hiện tại: {shown}, phiên bản {row[_VERSION]}); "
            "muốn sửa cần nêu phiên bản đã đọc."
        )
    return f"{what} vừa được người khác cập nhật (giá trị hiện tại: {shown}); vui lòng xem lại trước khi lưu."


def _clean_all(cells: list[CellWrite]) -> list[Decimal | None]:
    """Every cell's value through ``clean_value``; a figure repeated for many
    units (a sheet's column) is read once per target."""
    cache: dict = {}
    out: list[Decimal | None] = []
    errors: list[str] = []
    for c in cells:
        key = (c.key[0], type(c.value), c.value)
        try:
            out.append(cache[key])
            continue
        except (KeyError, TypeError):
            pass
        try:
            value = clean_value(c.target, c.value)
        except ValidationError as exc:
            errors.append(
                exc.messages[0]
                if len(cells) == 1
                else f"“{c.target.name}” của {c.unit.name}: {exc.messages[0]}"
            )
            value = None
        try:
            cache[key] = value
        except TypeError:
            pass
        out.append(value)
    if errors:
        raise ValidationError(errors[:50])
    return out


def _chunks(items: list, size: int = 5000):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _current_rows(cells: list[CellWrite], key: str, *, lock: bool) -> dict[tuple[int, int], tuple]:
    target_ids = {c.key[0] for c in cells}
    unit_ids = sorted({c.key[1] for c in cells})
    qs = Result.objects.select_for_update() if lock else Result.objects.all()
    out = {}
    for units in _chunks(unit_ids):
        for row in (
            qs.filter(target_id__in=target_ids, unit_id__in=units, period_key=key)
            .values_list(*_STATE)
            .iterator(chunk_size=10000)
        ):
            out[(row[_TARGET], row[_UNIT])] = row
    return out


def do_save_results(
    cells: Iterable[CellWrite],
    period: Period | str,
    *,
    acting_user,
    submit: bool | None,
    audit_created: bool = True,
) -> SavedCells:
    """Write many cells of one period, all or nothing, by the rules of
    ``_plan`` (the one state machine of a result; ``do_save_result`` is
    this with one cell). Each changed cell keeps its old state as a
    revision, moves its version on and gets an audit row (before, after);
    a new cell gets an audit row too unless ``audit_created`` is False (the
    import lists them in its own row). Every cell stale against the version
    its writer read is listed in one StaleResultError; any rule broken is a
    ValidationError. The writes are plain SQL in bulk (``core.bulksql``):
    a province's sheet is 66,000 cells."""
    cells = list(cells)
    saved = SavedCells()
    if not cells:
        return saved
    targets = {c.key[0]: c.target for c in cells}
    for t in targets.values():
        period = check_period(t, period)
    assert isinstance(period, Period)
    key = period.key()
    if len({c.key for c in cells}) != len(cells):
        raise ValidationError("Một ô số liệu được ghi hai lần trong cùng một lần lưu.")
    values = _clean_all(cells)
    estimates = _estimate_flags(cells, values, period)
    _check_unit_life(cells, period)
    _check_unit_counts(cells, values, period)
    if submit:
        for c, v in zip(cells, values, strict=True):
            if v is None:
                raise ValidationError(f"Chưa nhập giá trị cho chỉ tiêu “{c.target.name}”.")
    assigned: set[tuple[int, int]] = set()
    for units in _chunks(sorted({c.key[1] for c in cells})):
        assigned.update(
            Assignment.objects.filter(target_id__in=targets, unit_id__in=units).values_list(
                "target_id", "unit_id"
            )
        )
    missing = [c for c in cells if c.key not in assigned]
    if missing:
        raise ValidationError(
            [f"Chỉ tiêu “{c.target.name}” không được giao cho {c.unit.name}." for c in missing[:50]]
        )
    user = (
        acting_user if acting_user is not None and getattr(acting_user, "is_authenticated", False) else None
    )
    user_id = user.pk if user else None
    now = timezone.now()
    with transaction.atomic():
        rows = _current_rows(cells, key, lock=True)
        creates: list[tuple[CellWrite, Decimal | None, _Plan, bool]] = []
        updates: list[tuple[CellWrite, Decimal | None, tuple, _Plan, bool]] = []
        conflicts: list[Conflict] = []
        for c, v, said in zip(cells, values, estimates, strict=True):
            row = rows.get(c.key)
            est = _is_estimate(said, row, v, period)
            plan = _plan(row, v, c.note, submit, c.expected_version, c, period, est)
            if plan.kind == "stale":
                conflicts.append(_conflict(c, v, row, period))
            elif plan.kind == "create":
                creates.append((c, v, plan, est))
            elif plan.kind == "update":
                updates.append((c, v, row, plan, est))
            else:
                saved.unchanged.append((c, row[_ID]))
        if conflicts:
            raise StaleResultError([k.message for k in conflicts[:50]], conflicts)
        # Only cells that change are checked: a retried or unchanged write is
        # harmless. Entry windows govern people: a write with no acting user
        # is the system loading history (the demo, a script, a fixture).
        changing = [x[0] for x in creates] + [x[0] for x in updates]
        on_time: dict[tuple[int, int], bool] = {}
        if changing:
            today = vn_today()
            pairs = {(c.target.document_id, c.unit) for c in changing}
            windows = (
                entry_windows(pairs, period, today)
                if acting_user is None
                else check_entry(pairs, period, today)
            )
            for c in changing:
                on_time[c.key] = windows[(c.target.document_id, c.unit.pk)].on_time(today)
        audit: list[tuple] = []
        if creates:
            ids = _insert_new(creates, period, user_id, now, on_time)
            for c, v, plan, est in creates:
                pk = ids[c.key]
                saved.created.append((c, pk))
                if audit_created:
                    audit.append(
                        _audit_row(
                            c,
                            period,
                            None,
                            _new_state(pk, c, v, plan, period, user_id, now, est, on_time.get(c.key)),
                        )
                    )
        if updates:
            # The whole old row, for the audit's "before" (the plan needed only a few columns).
            old: dict[int, dict] = {}
            for ids_ in _chunks([u[2][_ID] for u in updates]):
                old.update((r["id"], r) for r in Result.objects.filter(pk__in=ids_).values(*_attnames()))
            _write_updates(updates, user_id, now, on_time)
            for c, v, row, plan, est in updates:
                saved.updated.append((c, row[_ID]))
                before = old[row[_ID]]
                after = _updated_state(before, v, plan, user_id, now, est, on_time.get(c.key))
                audit.append(_audit_row(c, period, before, after))
        record_many("save_result", Result, audit, acting_user=acting_user, at=now)
    return saved


def _estimate_flags(
    cells: list[CellWrite], values: list[Decimal | None], period: Period
) -> list[bool | None]:
    """Whether each cell's value is an estimate ("ước thực hiện") as its
    writer says (None: not said, see ``_is_estimate``). An estimate is for
    a running period only: once it has ended the figure is the actual."""
    running = period.end >= timezone.localdate()
    out: list[bool | None] = []
    for c, v in zip(cells, values, strict=True):
        if c.estimate and not running:
            raise ValidationError(
                f"Kỳ {period.label} đã kết thúc: “{c.target.name}” của {c.unit.name} "
                "nhập số thực hiện, không nhập số ước."
            )
        out.append(None if c.estimate is None else bool(c.estimate) and v is not None)
    return out


def _is_estimate(said: bool | None, row: tuple | None, value: Decimal | None, period: Period) -> bool:
    """A cell's estimate flag: as its writer said; if not said, an unchanged
    value keeps the flag it has, and a new one is an estimate while the
    period is still running."""
    if said is not None:
        return said
    if row is not None and row[_VALUE] == value:
        return bool(row[_IS_ESTIMATE])
    return value is not None and period.end >= timezone.localdate()


def _check_unit_life(cells: list[CellWrite], period: Period) -> None:
    """A unit reports only for a period that overlaps its life (its validity
    dates): a commune founded on 01/7/2025 has no figure for 2019 or Quý
    II/2025, a retired one none after it was retired."""
    errors = []
    for unit in {c.unit.pk: c.unit for c in cells}.values():
        starts, ends = unit.valid_from, unit.valid_to
        if (starts is not None and period.end < starts) or (ends is not None and period.start > ends):
            life = (f"từ {format_date_official(starts)}" if starts else "") + (
                f" đến {format_date_official(ends)}" if ends else ""
            )
            errors.append(
                f"{unit.name} chỉ có hiệu lực {life.strip()}: không nhận số liệu kỳ {period.label}."
            )
    if errors:
        raise ValidationError(errors[:50])


# Units a measure may count: "xã" for a province is at most its communes.
# Communes, wards and special zones share one kind, so "xã" is bounded by
# all three (an upper bound, as intended).
_COUNTED_KINDS: dict[str, tuple[str, ...]] = {
    "xã": (UnitKind.COMMUNE,),
    "phường": (UnitKind.COMMUNE,),
    "đặc khu": (UnitKind.COMMUNE,),
    "thị trấn": (UnitKind.COMMUNE,),
    "huyện": (UnitKind.DISTRICT,),
    "chi bộ": (UnitKind.CELL,),
    "đảng bộ cơ sở": (UnitKind.GRASSROOTS,),
    "tổ chức cơ sở đảng": (UnitKind.GRASSROOTS, UnitKind.CELL),
    "tổ chức đảng": (UnitKind.GRASSROOTS, UnitKind.CELL),
}


def counted_kinds(target: Target) -> tuple[str, ...]:
    """The kinds of unit a target's figure counts ("xã, phường" → communes),
    or () when its measure is not a count of units."""
    nouns = measure_nouns(target.measure or "")
    if not nouns or any(n not in _COUNTED_KINDS for n in nouns):
        return ()
    return tuple(sorted({k for n in nouns for k in _COUNTED_KINDS[n]}))


def _check_unit_counts(cells: list[CellWrite], values: list[Decimal | None], period: Period) -> None:
    """A count of units cannot exceed the units of that kind in the
    reporting unit's subtree during the period ("2.989" xã for a province
    of 69 communes is refused). Where units meeting a criterion are counted
    (count_meeting), a unit of the counted kind reports its own figure
    against the criterion (e.g. criteria met), not a count: not bounded.
    A unit's own kind counts it: a figure ≤ 1 there needs no query."""
    todo: list[tuple[CellWrite, Decimal, tuple[str, ...]]] = []
    kinds_of: dict[int, tuple[str, ...]] = {}  # per target: a sheet is 66,000 cells
    for c, v in zip(cells, values, strict=True):
        if v is None:
            continue
        tid = c.key[0]
        if tid not in kinds_of:
            kinds_of[tid] = counted_kinds(c.target)
        kinds = kinds_of[tid]
        if not kinds:
            continue
        if c.unit.kind in kinds and (c.target.unit_aggregation == UnitAggregation.COUNT_MEETING or v <= 1):
            continue
        todo.append((c, v, kinds))
    if not todo:
        return
    units = {c.unit.pk: c.unit for c, _, _ in todo}
    all_kinds = {k for _, _, ks in todo for k in ks}
    paths_by_kind: dict[str, list[str]] = defaultdict(list)
    in_any = Q(pk__in=[])
    for u in units.values():
        in_any |= subtree_q(u)
    for kind, path in (
        OrgUnit.objects.filter(in_any, kind__in=all_kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .values_list("kind", "path")
    ):
        paths_by_kind[kind].append(path)
    errors = []
    for c, v, kinds in todo:
        n = sum(1 for k in kinds for p in paths_by_kind[k] if p.startswith(c.unit.path))
        if v > n:
            errors.append(
                f"“{c.target.name}” của {c.unit.name}: {format_number(v)} {c.target.measure} "
                f"nhiều hơn số đơn vị hiện có ({format_number(n)})."
            )
    if errors:
        raise ValidationError(errors[:50])


def _attnames() -> list[str]:
    return [f.attname for f in Result._meta.concrete_fields]


def _conflict(cell: CellWrite, value, row: tuple | None, period: Period) -> Conflict:
    return Conflict(
        cell=cell,
        value=value,
        result_id=row[_ID] if row else None,
        current_value=row[_VALUE] if row else None,
        current_version=row[_VERSION] if row else 0,
        message=_stale_message(cell, row, period),
    )


_NEW_COLUMNS = [
    "target", "unit", "period_key", "period_kind", "period_start", "period_end", "value", "note",
    "status", "reported_by", "reported_at", "submitted_at", "returned_reason", "version",
    "is_estimate", "estimate", "on_time",
]  # fmt: skip


def _insert_new(creates, period: Period, user_id, now, on_time: dict) -> dict[tuple[int, int], int]:
    """Insert the new cells; their ids by (target, unit). A cell created by
    someone else meanwhile (the unique constraint) is a conflict like a
    stale version: the cells now present are listed, nothing is written."""
    key, kind = period.key(), period.kind.value
    new_rows = [
        (
            *c.key, key, kind, period.start, period.end, v, plan.note,
            plan.status, user_id, now, now if plan.stamp else None, "", 1,
            est, v if est else None,
            on_time.get(c.key) if plan.stamp else None,
        )
        for c, v, plan, est in creates
    ]  # fmt: skip
    cells = [c for c, _, _, _ in creates]
    try:
        with transaction.atomic():
            bulksql.insert(Result, _NEW_COLUMNS, new_rows)
    except IntegrityError:
        now_there = _current_rows(cells, key, lock=False)
        conflicts = [
            Conflict(c, v, row[_ID], row[_VALUE], row[_VERSION], _stale_message(c, row, period))
            for c, v, _, _ in creates
            if (row := now_there.get(c.key)) is not None
        ]
        raise StaleResultError(
            [k.message for k in conflicts[:50]]
            or ["Có số liệu vừa được người khác nhập cùng lúc; vui lòng thử lại."],
            conflicts,
        ) from None
    ids: dict[tuple[int, int], int] = {}
    target_ids = {c.key[0] for c in cells}
    for units in _chunks(sorted({c.key[1] for c in cells})):
        ids.update(
            ((t, u), pk)
            for pk, t, u in Result.objects.filter(
                target_id__in=target_ids, unit_id__in=units, period_key=key
            ).values_list("id", "target_id", "unit_id")
        )
    return ids


def _write_updates(updates, user_id, now, on_time: dict) -> None:
    """Each changed cell: its old state becomes a revision, then the new
    state with the next version. Any change drops the approval; a stamp
    (submitted now) sets submitted_at and the on-time flag, and answers a
    return."""
    bulksql.insert(
        ResultRevision,
        ["result", "version", "value", "note", "status", "changed_by", "changed_at", "is_estimate"],
        [
            (
                row[_ID], row[_VERSION], row[_VALUE], row[_NOTE], row[_STATUS], row[_REPORTED_BY], now,
                bool(row[_IS_ESTIMATE]),
            )
            for _, _, row, _, _ in updates
        ],
    )  # fmt: skip
    names = [
        "value", "note", "status", "version", "reported_by", "reported_at", "approved_by", "approved_at",
        "is_estimate", "estimate",
    ]  # fmt: skip
    for stamp in (False, True):
        extra = ["submitted_at", "returned_reason", "returned_by", "returned_at", "on_time"] if stamp else []
        bulksql.update(
            Result,
            names + extra,
            [
                (
                    v, plan.note, plan.status, row[_VERSION] + 1, user_id, now, None, None,
                    est, _kept_estimate(row, v, est),
                    *([now, "", None, None, on_time.get(c.key)] if stamp else []),
                    row[_ID],
                )
                for c, v, row, plan, est in updates
                if plan.stamp == stamp
            ],
        )  # fmt: skip


def _kept_estimate(row: tuple, value: Decimal | None, estimate: bool) -> Decimal | None:
    """The estimate a result keeps beside its value (``row``: its stored
    state, ``_STATE``): the new one when an estimate is written; the one it
    held when the actual figure replaces it (both kept); else unchanged."""
    if estimate:
        return value
    return row[_VALUE] if row[_IS_ESTIMATE] else row[_ESTIMATE]


def _state_of(before: dict) -> tuple:
    """A full row (by attname) as the ``_STATE`` tuple."""
    return tuple(before[name] for name in _STATE)


def _new_state(pk, c: CellWrite, v, plan: _Plan, period: Period, user_id, now, est: bool, on_time) -> dict:
    """A created result's row, as ``_insert_new`` wrote it (by attname)."""
    return {
        "id": pk,
        "target_id": c.target.pk,
        "unit_id": c.unit.pk,
        "period_key": period.key(),
        "period_kind": period.kind.value,
        "period_start": period.start,
        "period_end": period.end,
        "value": v,
        "is_estimate": est,
        "estimate": v if est else None,
        "note": plan.note,
        "status": plan.status,
        "reported_by_id": user_id,
        "reported_at": now,
        "submitted_at": now if plan.stamp else None,
        "approved_by_id": None,
        "approved_at": None,
        "returned_reason": "",
        "returned_by_id": None,
        "returned_at": None,
        "version": 1,
        "on_time": on_time if plan.stamp else None,
    }


def _updated_state(before: dict, v, plan: _Plan, user_id, now, est: bool, on_time) -> dict:
    """An updated result's row, as ``_write_updates`` left it (by attname)."""
    after = dict(before)
    after.update(
        value=v,
        is_estimate=est,
        estimate=_kept_estimate(_state_of(before), v, est),
        note=plan.note,
        status=plan.status,
        version=before["version"] + 1,
        reported_by_id=user_id,
        reported_at=now,
        approved_by_id=None,
        approved_at=None,
    )
    if plan.stamp:
        after.update(
            submitted_at=now, returned_reason="", returned_by_id=None, returned_at=None, on_time=on_time
        )
    return after


def _audit_row(c: CellWrite, period: Period, before: dict | None, after: dict) -> tuple:
    """(pk, repr, unit, before, after) for ``audit.record_many``; the repr is
    ``Result.__str__``'s."""
    text = f"{c.target.code} – {c.unit} – {period.label}: {after['value']}"
    return (
        after["id"],
        text,
        c.unit.pk,
        None if before is None else snapshot_values(Result, before),
        snapshot_values(Result, after),
    )


def do_save_result(
    target: Target,
    unit: OrgUnit,
    period: Period | str,
    value,
    *,
    acting_user,
    note: str | None = "",
    submit: bool | None = False,
    expected_version: int | None | _AnyVersion = ANY_VERSION,
    estimate: bool | None = None,
) -> Result:
    """Write one cell (target, unit, period): create it or update it with a
    revision; ``do_save_results`` with one cell, so the same rules.
    ``expected_version`` is the version the writer read (0 or None: no
    result yet); if the cell has moved on since, nothing is written and
    StaleResultError says so (no lost update). ``estimate``: see
    ``CellWrite``. ``submit`` None keeps the current status; ``note`` None
    keeps the stored note. A unit reports only targets assigned to it."""
    # The row is read back in the writing transaction: after it, another
    # writer's newer version could be returned as this one's.
    with transaction.atomic():
        saved = do_save_results(
            [CellWrite(target, unit, value, note, expected_version, estimate=estimate)],
            period,
            acting_user=acting_user,
            submit=submit,
        )
        ((_, pk),) = saved.created or saved.updated or saved.unchanged
        result = Result.objects.get(pk=pk)
    result.target, result.unit = target, unit  # the caller's objects: no query to reach them
    return result


def _check_approver(user, result: Result) -> None:
    """Refuse unless ``user`` holds approver (or admin) over the result's unit.
    The views and the API check this first; the actions check again so that
    no path (a script, a future page) can sign off without the role."""
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not has_role(user, result.unit, Role.APPROVER)
    ):
        raise ValidationError(f"Đồng chí không có quyền duyệt số liệu của {result.unit.name}.")


def _check_not_own(user, results: list[Result]) -> None:
    """Separation of duties: nobody approves a figure they entered (wrote
    its first version) or last changed (its current ``reported_by``)."""
    ids = [r.pk for r in results]
    first: dict[int, int | None] = {}
    for result_id, by in (
        ResultRevision.objects.filter(result_id__in=ids)
        .order_by("result_id", "version")
        .values_list("result_id", "changed_by_id")
    ):
        first.setdefault(result_id, by)
    for r in results:
        if r.status != ResultStatus.SUBMITTED:
            continue
        writers = {r.reported_by_id, first.get(r.pk, r.reported_by_id)}
        if user.pk in writers:
            raise ValidationError(
                f"Đồng chí không thể duyệt số liệu {_label(r)} do chính mình nhập hoặc sửa lần cuối; "
                "số liệu này cần người khác có quyền duyệt xác nhận."
            )


def _revise(result: Result) -> None:
    """Keep the state ``result`` holds before a change, and move its version on."""
    ResultRevision.objects.create(
        result=result,
        version=result.version,
        value=result.value,
        note=result.note,
        status=result.status,
        changed_by=result.reported_by,
        is_estimate=result.is_estimate,
    )
    result.version += 1


def _label(result: Result) -> str:
    return f"“{result.target.name}” của {result.unit.name} kỳ {result.period.label}"


def do_approve_results(
    results: Iterable[Result],
    *,
    acting_user,
    expected_versions: dict[int, int] | None = None,
) -> list[Result]:
    """Approve submitted results (one, a unit's period, any set): each moves
    to approved with who and when, a revision and an audit row. Results
    already approved are left as they are. All or nothing: a draft, a result
    outside the user's approver scope, a result the user entered or last
    changed (separation of duties), or (with ``expected_versions``, the
    versions the page showed) a result changed since, refuses the whole set.
    Returns the results approved now."""
    ids = [r.pk for r in results]
    now = timezone.now()
    done: list[Result] = []
    with transaction.atomic():
        locked = list(
            Result.objects.select_for_update()
            .filter(pk__in=ids)
            .select_related("target", "unit")
            .order_by("pk")
        )
        if len(locked) != len(set(ids)):
            raise ValidationError("Có số liệu không còn tồn tại; vui lòng tải lại trang.")
        for result in locked:
            _check_approver(acting_user, result)
        _check_not_own(acting_user, locked)
        _check_round_open(locked)
        for result in locked:
            shown = (expected_versions or {}).get(result.pk)
            if shown is not None and shown != result.version:
                raise StaleResultError(
                    f"Số liệu {_label(result)} vừa được cập nhật (giá trị hiện tại: "
                    f"{format_number(result.value) or 'trống'}); vui lòng xem lại trước khi duyệt."
                )
            if result.status == ResultStatus.APPROVED:
                continue
            if result.status != ResultStatus.SUBMITTED:
                raise ValidationError(f"Số liệu {_label(result)} chưa được gửi, không thể duyệt.")
            before = snapshot(result)
            _revise(result)
            result.status = ResultStatus.APPROVED
            result.approved_by = acting_user
            result.approved_at = now
            result.save()
            record("approve_result", result, acting_user=acting_user, before=before, unit=result.unit)
            done.append(result)
    return done


def _check_round_open(results: list[Result]) -> None:
    """Refuse (EntryLocked) a sign-off change on figures of a closed
    reporting round: its review is final."""
    by_period: dict[str, list[Result]] = {}
    for r in results:
        by_period.setdefault(r.period_key, []).append(r)
    for rows in by_period.values():
        period = rows[0].period
        rounds = covering_rounds({r.target.document_id for r in rows}, period)
        if not rounds:
            continue
        for r in rows:
            rnd = round_for(rounds, r.target.document_id, r.unit)
            if rnd is not None and rnd.is_closed:
                raise EntryLocked(
                    f"{rnd.title} đã kết thúc: số liệu {_label(r)} đã khóa, không thể thay đổi việc duyệt."
                )


def do_withdraw_approval(
    unit: OrgUnit,
    period: Period | str,
    *,
    acting_user,
    reason: str,
    documents: Iterable | None = None,
) -> list[Result]:
    """Withdraw the approval of ``unit``'s figures for ``period`` (of
    ``documents``, or all): they go back to submitted (still counted) and
    the unit may correct them again. Only an approver on a unit above
    ``unit`` may (approval by the unit's own level is lifted from above,
    never by the one who signed at that level); the reason is required.
    A revision and an audit row per figure. Returns the figures reopened."""
    if isinstance(period, str):
        try:
            period = parse_period(period)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Cần ghi lý do hủy duyệt.")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Lý do hủy duyệt dài quá {format_number(REASON_MAX)} ký tự.")
    parent = unit.parent
    if (
        acting_user is None
        or not getattr(acting_user, "is_authenticated", False)
        or parent is None
        or not has_role(acting_user, parent, Role.APPROVER)
    ):
        raise ValidationError(
            f"Chỉ người duyệt của cấp trên {unit.name} mới hủy duyệt được số liệu của đơn vị này."
        )
    done: list[Result] = []
    with transaction.atomic():
        qs = Result.objects.select_for_update().filter(
            unit=unit, period_key=period.key(), status=ResultStatus.APPROVED
        )
        if documents is not None:
            qs = qs.filter(target__document__in=list(documents))
        rows = list(qs.select_related("target", "unit").order_by("pk"))
        if not rows:
            raise ValidationError(f"{unit.name} không có số liệu đã duyệt kỳ {period.label}.")
        _check_round_open(rows)
        for result in rows:
            before = snapshot(result)
            _revise(result)
            result.status = ResultStatus.SUBMITTED
            result.approved_by = None
            result.approved_at = None
            result.save()
            record(
                "withdraw_approval",
                result,
                acting_user=acting_user,
                before=before,
                after={**snapshot(result), "reason": reason},
                unit=result.unit,
            )
            done.append(result)
    return done


def do_return_result(
    result: Result,
    *,
    reason: str,
    acting_user,
    expected_version: int | None = None,
) -> Result:
    """Send a submitted (or approved) result back to its unit as a draft,
    with the reason the reporter will read; it leaves the roll-up until it
    is submitted again. Needs approver (or admin) over the unit; the reason
    is required. A revision and an audit row, in one transaction."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Cần ghi lý do trả lại số liệu.")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Lý do trả lại dài quá {format_number(REASON_MAX)} ký tự.")
    with transaction.atomic():
        try:
            result = Result.objects.select_for_update().select_related("target", "unit").get(pk=result.pk)
        except Result.DoesNotExist:
            raise ValidationError("Số liệu không còn tồn tại; vui lòng tải lại trang.") from None
        _check_approver(acting_user, result)
        if expected_version is not None and expected_version != result.version:
            raise StaleResultError(
                f"Số liệu {_label(result)} vừa được cập nhật (giá trị hiện tại: "
                f"{format_number(result.value) or 'trống'}); vui lòng xem lại trước khi trả lại."
            )
        if result.status not in COUNTED_STATUSES:
            raise ValidationError(f"Số liệu {_label(result)} chưa được gửi, không có gì để trả lại.")
        before = snapshot(result)
        _revise(result)
        result.status = ResultStatus.DRAFT
        result.approved_by = None
        result.approved_at = None
        result.returned_reason = reason
        result.returned_by = acting_user
        result.returned_at = timezone.now()
        result.save()
        record("return_result", result, acting_user=acting_user, before=before, unit=result.unit)
    return result


def do_confirm_warnings(results: Iterable[Result], warnings: dict[int, list[str]], *, acting_user) -> int:
    """Keep the warnings a reporter confirmed on submitting ``results`` (by
    result id), each tied to the result's current version, for the approver
    to read; an audit row per result. Runs in the caller's transaction with
    the write it confirms (the reporting form's). Returns how many were kept."""
    from .models import ConfirmedWarning

    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    rows = []
    with transaction.atomic():
        for r in results:
            texts = [t for t in warnings.get(r.pk, []) if t]
            if not texts:
                continue
            rows.extend(
                ConfirmedWarning(result=r, version=r.version, text=t, confirmed_by=user) for t in texts
            )
            record(
                "confirm_warnings",
                r,
                acting_user=acting_user,
                before={},
                after={"version": r.version, "warnings": texts},
                unit=r.unit,
            )
        ConfirmedWarning.objects.bulk_create(rows)
    return len(rows)


# --- Authoring targets (issue 13 item 1) -------------------------------------

# What a target says, in the order a revision stores it.
TARGET_FIELDS: Final = (
    "code", "name", "group", "measure", "value_type", "direction", "baseline_value", "baseline_period",
    "target_value", "time_aggregation", "unit_aggregation", "numerator", "denominator", "report_every",
    "judged", "min_value", "max_value", "order",
)  # fmt: skip
_DECIMALS: Final = ("baseline_value", "target_value", "min_value", "max_value")
_CHOICES: Final = {
    "group": TargetGroup,
    "value_type": ValueType,
    "direction": Direction,
    "time_aggregation": TimeAggregation,
    "unit_aggregation": UnitAggregation,
    "judged": Judged,
}
_LIMIT: Final = Decimal("1e16")  # DecimalField(max_digits=20, decimal_places=4)


def _number(raw, label: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = raw if isinstance(raw, Decimal) else parse_number(raw)
    except (NumberError, InvalidOperation, TypeError):
        raise ValidationError(f"{label}: “{raw}” không phải là số.") from None
    if not value.is_finite() or abs(value) >= _LIMIT:
        raise ValidationError(f"{label}: số quá lớn.")
    if value != value.quantize(Decimal("0.0001")):
        raise ValidationError(f"{label}: tối đa 4 chữ số thập phân.")
    return value


def _target_state(target: Target) -> dict:
    """A target's attributes and milestones as JSON-ready data: what a
    revision keeps."""
    data = snapshot(target, list(TARGET_FIELDS))
    data["milestones"] = {str(m.year): str(m.value) for m in target.milestones.order_by("year")}
    return data


def _check_target(document, fields: dict, milestones: dict[int, Decimal], pk: int | None) -> None:
    """The rules a target follows, with a Vietnamese message for each."""
    if not str(fields["code"]).strip():
        raise ValidationError("Chưa nhập mã chỉ tiêu.")
    if not str(fields["name"]).strip():
        raise ValidationError("Chưa nhập tên chỉ tiêu.")
    for name, choices in _CHOICES.items():
        if fields[name] not in choices.values:
            raise ValidationError(
                f"Giá trị “{fields[name]}” không hợp lệ cho {Target._meta.get_field(name).verbose_name}."
            )
    if fields["report_every"] not in dict(REPORT_KINDS):
        raise ValidationError("Kỳ báo cáo không hợp lệ.")
    clash = Target.objects.filter(document=document, code=str(fields["code"]).strip()).exclude(pk=pk)
    if clash.exists():
        raise ValidationError(f"Văn bản đã có chỉ tiêu mã “{fields['code']}”.")
    lo, hi = fields["min_value"], fields["max_value"]
    if lo is not None and hi is not None and lo > hi:
        raise ValidationError("Giá trị nhỏ nhất phải không lớn hơn giá trị lớn nhất.")
    for label, v in (
        ("Giá trị gốc", fields["baseline_value"]),
        ("Mục tiêu cả nhiệm kỳ", fields["target_value"]),
    ):
        if v is not None and ((lo is not None and v < lo) or (hi is not None and v > hi)):
            raise ValidationError(f"{label} {format_number(v)} nằm ngoài giới hạn cho phép của chỉ tiêu.")
    ratio = fields["time_aggregation"] == TimeAggregation.RATIO
    num, den = fields["numerator"], fields["denominator"]
    if ratio:
        if num is None or den is None:
            raise ValidationError("Chỉ tiêu tỷ lệ cần chọn chỉ tiêu tử số và chỉ tiêu mẫu số.")
        for part in (num, den):
            if part.document_id != document.pk:
                raise ValidationError("Tử số và mẫu số phải là chỉ tiêu của cùng văn bản.")
            if pk is not None and part.pk == pk:
                raise ValidationError("Chỉ tiêu tỷ lệ không thể lấy chính nó làm tử số hoặc mẫu số.")
            if part.time_aggregation == TimeAggregation.RATIO:
                raise ValidationError("Tử số và mẫu số không thể là chỉ tiêu tỷ lệ.")
        if num.pk == den.pk:
            raise ValidationError("Tử số và mẫu số phải là hai chỉ tiêu khác nhau.")
    elif num is not None or den is not None:
        raise ValidationError("Chỉ chỉ tiêu tỷ lệ (tổng hợp theo thời gian là tỷ lệ) mới có tử số, mẫu số.")
    start, end = document.term_start, document.term_end
    for year, value in milestones.items():
        if start and end and not start <= year <= end:
            raise ValidationError(f"Năm {year} nằm ngoài nhiệm kỳ {start}–{end} của văn bản.")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ValidationError(f"Mục tiêu năm {year} nằm ngoài giới hạn cho phép của chỉ tiêu.")


def _clean_milestones(raw: dict | None) -> dict[int, Decimal] | None:
    if raw is None:
        return None
    out: dict[int, Decimal] = {}
    for key, value in raw.items():
        text = str(key).strip()
        if not (text.isdigit() and len(text) == 4):
            raise ValidationError(f"Năm “{key}” của mục tiêu năm không hợp lệ.")
        v = _number(value, f"Mục tiêu năm {text}")
        if v is not None:
            out[int(text)] = v
    return out


def _clean_fields(fields: dict) -> dict:
    out = dict(fields)
    for name in _DECIMALS:
        if name in out:
            out[name] = _number(out[name], str(Target._meta.get_field(name).verbose_name).capitalize())
    for name in ("code", "name", "measure", "baseline_period"):
        if name in out:
            out[name] = (out[name] or "").strip()
    return out


def do_create_target(document, *, acting_user, milestones: dict | None = None, **fields) -> Target:
    """Add a target to ``document`` with every attribute the roll-up reads
    (``fields``: of TARGET_FIELDS) and its yearly milestones ({year: value})."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    defaults = {f: Target._meta.get_field(f).get_default() for f in TARGET_FIELDS}
    defaults.update(numerator=None, denominator=None)
    data = {**defaults, **_clean_fields(fields)}
    years = _clean_milestones(milestones) or {}
    _check_target(document, data, years, None)
    with transaction.atomic():
        if not fields.get("order"):
            last = Target.objects.filter(document=document).order_by("-order").values_list("order", flat=True)
            data["order"] = (last.first() or 0) + 1
        target = Target.objects.create(document=document, **data)
        Milestone.objects.bulk_create(
            [Milestone(target=target, year=y, value=v) for y, v in sorted(years.items())]
        )
        target.refresh_from_db()  # the values as stored, for the audit row
        record(
            "create_target",
            target,
            acting_user=acting_user,
            after=_target_state(target),
            unit=document.issuing_unit,
        )
    return target


def do_update_target(
    target: Target,
    *,
    acting_user,
    expected_version: int | None,
    changes: dict,
    milestones: dict | None = None,
) -> Target:
    """Change a target's attributes (``changes``: of TARGET_FIELDS) and, when
    given, its milestones (the whole set: a year left out is removed). What
    it said before is kept as a TargetRevision, so the value in force on any
    date stays readable (targets.target_history). The version read must be the
    current one (StaleVersionError)."""
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    changes = _clean_fields(changes)
    years = _clean_milestones(milestones)
    with transaction.atomic():
        target = (
            Target.objects.select_for_update(of=("self",))
            .select_related("document__issuing_unit")
            .get(pk=target.pk)
        )
        check_version(target, expected_version, "chỉ tiêu")
        before = _target_state(target)
        data = {f: getattr(target, f) for f in TARGET_FIELDS}
        data.update(changes)
        if years is None:
            years = {m.year: m.value for m in target.milestones.all()}
        _check_target(target.document, data, years, target.pk)
        for f, v in data.items():
            setattr(target, f, v)
        TargetRevision.objects.create(
            target=target,
            version=target.version,
            data=before,
            replaced_at=timezone.now(),
            replaced_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        target.version += 1
        target.save()
        if milestones is not None:
            target.milestones.exclude(year__in=list(years)).delete()
            for y, v in years.items():
                Milestone.objects.update_or_create(target=target, year=y, defaults={"value": v})
        target.refresh_from_db()  # the values as stored (1200 → 1200.0000) for the audit row
        record(
            "update_target",
            target,
            acting_user=acting_user,
            before=before,
            after=_target_state(target),
            unit=target.document.issuing_unit,
        )
    return target
