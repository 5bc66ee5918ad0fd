"""The reporting form: one row per target assigned to a unit for a period.

Not a Django formset: each row is (value, note, version) read from
``gia_tri_<id>``, ``ghi_chu_<id>``, ``phien_ban_<id>``; values are read the
Vietnamese way by ``clean_value``; the version is the one the form showed,
so a row changed meanwhile by someone else is refused (no lost update):
the page answers 409 with the current value beside the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit

from .actions import CellWrite, StaleResultError, clean_value, do_confirm_warnings, do_save_results
from .models import COUNTED_STATUSES, Result, Target

# A value that moved more than this share away from last period's is flagged.
FAR_FROM_LAST = Decimal("0.5")
NOTE_MAX = 2000


def far_from_last(value: Decimal | None, previous: Decimal | None) -> str:
    """A Vietnamese warning when ``value`` is far from last period's, else ""."""
    if value is None or previous is None or previous == 0:
        return ""
    change = (value - previous) / abs(previous)
    if abs(change) <= FAR_FROM_LAST:
        return ""
    word = "tăng" if change > 0 else "giảm"
    return (
        f"Giá trị {word} {format_number(abs(change) * 100, 0)}% so với kỳ trước "
        f"({format_number(previous)}). Đề nghị kiểm tra lại."
    )


@dataclass
class Row:
    target: Target
    result: Result | None
    previous: Decimal | None
    raw: str = ""
    note: str = ""
    version: int = 0
    cleaned: Decimal | None = None
    error: str = ""
    warning: str = ""
    conflict: str = ""

    @property
    def document(self) -> Document:
        return self.target.document

    @property
    def status(self) -> str:
        if self.result is None:
            return ""
        return "returned" if self.result.is_returned else self.result.status

    @property
    def status_label(self) -> str:
        return self.result.status_label if self.result else "Chưa nhập"

    def changed(self) -> bool:
        if self.result is None:
            return self.cleaned is not None or bool(self.note)
        return self.cleaned != self.result.value or self.note != self.result.note


class ReportForm:
    """The rows of a unit's report for one period, bound to POST data or not."""

    def __init__(self, unit: OrgUnit, period: Period, targets: list[Target], data=None):
        self.unit = unit
        self.period = period
        self.data = data
        ids = [t.pk for t in targets]
        current = {
            r.target_id: r
            for r in Result.objects.filter(unit=unit, period_key=period.key(), target_id__in=ids)
        }
        previous = dict(
            Result.objects.filter(
                unit=unit, period_key=period.previous().key(), target_id__in=ids, value__isnull=False
            ).values_list("target_id", "value")
        )
        self.rows = []
        for t in targets:
            r = current.get(t.pk)
            row = Row(target=t, result=r, previous=previous.get(t.pk))
            if data is None:
                row.raw = format_number(r.value) if r and r.value is not None else ""
                row.note = r.note if r else ""
                row.version = r.version if r else 0
                row.cleaned = r.value if r else None
                row.warning = far_from_last(row.cleaned, row.previous)
            else:
                row.raw = (data.get(f"gia_tri_{t.pk}") or "").strip()
                row.note = (data.get(f"ghi_chu_{t.pk}") or "").strip()
                try:
                    row.version = int(data.get(f"phien_ban_{t.pk}") or 0)
                except ValueError:
                    row.version = -1  # tampered: will read as stale
            self.rows.append(row)
        self.errors: list[str] = []
        self.needs_confirmation = False
        self.stale = False

    # -- validation -------------------------------------------------------

    def validate(self, submit: bool, confirmed: bool) -> bool:
        """Read every value; flag warnings; on submit, warnings must be confirmed."""
        ok = True
        for row in self.rows:
            try:
                row.cleaned = clean_value(row.target, row.raw)
            except ValidationError as exc:
                row.error = " ".join(exc.messages)
                ok = False
                continue
            if len(row.note) > NOTE_MAX:
                row.error = f"Ghi chú dài quá {format_number(NOTE_MAX)} ký tự."
                ok = False
            row.warning = far_from_last(row.cleaned, row.previous)
        if not ok:
            bad = sum(1 for r in self.rows if r.error)
            self.errors.append(f"Chưa lưu: {bad} ô số liệu cần sửa.")
            return False
        if submit and not confirmed and any(r.warning for r in self.rows if r.cleaned is not None):
            self.needs_confirmation = True
            self.errors.append(
                "Chưa gửi: có giá trị chênh lệch lớn so với kỳ trước. Đề nghị kiểm tra, "
                "đánh dấu “Tôi đã kiểm tra số liệu” rồi gửi lại."
            )
            return False
        return True

    def _writes(self, submit: bool) -> list[Row]:
        out = []
        for row in self.rows:
            if submit:
                if row.cleaned is None:
                    continue
                if row.result and row.result.status in COUNTED_STATUSES and not row.changed():
                    continue
                out.append(row)
            elif row.changed():
                out.append(row)
        return out

    def _show_conflicts(self, exc: StaleResultError) -> None:
        """Rows someone else changed since the form was opened: each shows the
        current value beside the user's (kept in its box), and from now on
        carries the current version, so the next save is a decision made
        knowingly, after the user has seen it."""
        self.stale = True
        rows = {id(k.cell.ref): k for k in exc.conflicts}
        fresh = {
            r.target_id: r
            for r in Result.objects.filter(
                unit=self.unit,
                period_key=self.period.key(),
                target_id__in=[k.cell.target.pk for k in exc.conflicts],
            )
        }
        for row in self.rows:
            k = rows.get(id(row))
            if k is None:
                continue
            now = fresh.get(row.target.pk)
            shown = format_number(now.value) if now and now.value is not None else "trống"
            mine = format_number(row.cleaned) if row.cleaned is not None else "trống"
            row.conflict = (
                f"Số liệu này vừa được người khác cập nhật (giá trị hiện tại: {shown}). "
                f"Giá trị đồng chí nhập ({mine}) chưa được lưu; đề nghị xem lại rồi lưu lại."
            )
            row.result = now
            row.version = now.version if now else 0
        n = sum(1 for r in self.rows if r.conflict)
        if n:
            self.errors.append(
                f"Chưa lưu: {n} ô số liệu vừa được người khác thay đổi. Không có số liệu nào bị ghi đè."
            )
        else:
            self.errors.append(" ".join(exc.messages) + " Không có số liệu nào bị ghi đè.")

    def _keep_warnings(self, saved, acting_user) -> None:
        warnings = {
            pk: [c.ref.warning]
            for c, pk in saved.created + saved.updated
            if c.ref is not None and c.ref.warning
        }
        if warnings:
            results = Result.objects.filter(pk__in=list(warnings)).select_related("target", "unit")
            do_confirm_warnings(results, warnings, acting_user=acting_user)

    def save(self, *, acting_user, submit: bool, confirmed: bool = False) -> tuple[int, int] | None:
        """Validate and write all rows in one transaction (all or nothing),
        each stating the version the form showed. Returns (rows written,
        rows left empty on submit), or None when the form must be shown
        again with its messages (``stale`` when someone else wrote first)."""
        if not self.validate(submit, confirmed):
            return None
        rows = self._writes(submit)
        cells = [CellWrite(r.target, self.unit, r.cleaned, r.note, r.version, ref=r) for r in rows]
        try:
            # The warnings the reporter confirmed are kept with the figures they
            # confirm, in the same transaction, for the approver to read.
            with transaction.atomic():
                saved = do_save_results(cells, self.period, acting_user=acting_user, submit=submit)
                if submit and confirmed:
                    self._keep_warnings(saved, acting_user)
        except StaleResultError as exc:
            self._show_conflicts(exc)
            return None
        except ValidationError as exc:
            self.errors.append(" ".join(exc.messages))
            return None
        empty = sum(1 for r in self.rows if r.cleaned is None) if submit else 0
        return len(rows), empty
