"""Writes for targets: assigning them and reporting results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.numbers import NumberError, format_number, parse_number
from nghiquyet.core.periods import Period, PeriodError, parse_period
from nghiquyet.orgs.models import OrgUnit, UnitKind

from .models import Assignment, Result, ResultRevision, ResultStatus, Target, ValueType


class StaleResultError(ValidationError):
    """Someone else changed the result after the form was opened."""


def do_assign_target(
    target: Target,
    units: Iterable[OrgUnit],
    *,
    acting_user,
    target_value: Decimal | None = None,
) -> list[Assignment]:
    """Assign ``target`` to ``units``; units already assigned are left as
    they are, so assigning twice changes nothing."""
    units = list(units)
    for u in units:
        if u.valid_to is not None:
            raise ValidationError(f"Đơn vị “{u.name}” đã hết hiệu lực, không thể giao chỉ tiêu.")
    with transaction.atomic():
        existing = set(
            Assignment.objects.filter(target=target, unit__in=units).values_list("unit_id", flat=True)
        )
        new = [
            Assignment(target=target, unit=u, target_value=target_value)
            for u in units
            if u.pk not in existing
        ]
        Assignment.objects.bulk_create(new)
        if new:
            record(
                "assign_target",
                target,
                acting_user=acting_user,
                after={
                    "units": [a.unit_id for a in new],
                    "target_value": str(target_value) if target_value else None,
                },
            )
    return new


def do_assign_target_to_communes(target: Target, province: OrgUnit, *, acting_user) -> list[Assignment]:
    """Assign ``target`` to every current commune committee of ``province`` in one step."""
    communes = OrgUnit.objects.subtree(province).current().filter(kind=UnitKind.COMMUNE)
    return do_assign_target(target, communes, acting_user=acting_user)


def clean_value(target: Target, raw) -> Decimal | None:
    """A value typed by a person or read from a sheet, checked against the
    target's unit. Accepts Vietnamese separators ("2.989", "48,93") and a
    unit after the number. Raises ValidationError in Vietnamese."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise ValidationError("Giá trị phải là số.")
    if isinstance(raw, (int, float, Decimal)):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError("Giá trị phải là số.") from None
    else:
        try:
            value = parse_number(str(raw))
        except NumberError as exc:
            raise ValidationError(str(exc)) from None
    if not value.is_finite():
        raise ValidationError("Giá trị phải là số hữu hạn.")
    if target.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise ValidationError(f"Chỉ tiêu “{target.name}” nhận số nguyên ({target.measure or 'đơn vị'}).")
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
    return value.quantize(Decimal("0.0001"))


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


def do_save_result(
    target: Target,
    unit: OrgUnit,
    period: Period | str,
    value,
    *,
    acting_user,
    note: str = "",
    submit: bool = False,
    expected_version: int | None = None,
) -> Result:
    """Write one cell (target, unit, period): create it or update it with a
    revision. ``expected_version`` is the version the form showed; if the
    cell has moved on since, nothing is written and StaleResultError says
    so (no lost update). A unit reports only targets assigned to it."""
    period = check_period(target, period)
    cleaned = clean_value(target, value)
    if submit and cleaned is None:
        raise ValidationError(f"Chưa nhập giá trị cho chỉ tiêu “{target.name}”.")
    if not Assignment.objects.filter(target=target, unit=unit).exists():
        raise ValidationError(f"Chỉ tiêu “{target.name}” không được giao cho {unit.name}.")
    status = ResultStatus.SUBMITTED if submit else ResultStatus.DRAFT
    now = timezone.now()
    with transaction.atomic():
        result = (
            Result.objects.select_for_update()
            .filter(target=target, unit=unit, period_key=period.key())
            .first()
        )
        if result is None:
            if expected_version not in (None, 0):
                raise StaleResultError(
                    f"Số liệu “{target.name}” kỳ {period.label} đã bị xóa hoặc thay đổi; vui lòng tải lại."
                )
            try:
                with transaction.atomic():
                    result = Result.objects.create(
                        target=target,
                        unit=unit,
                        period_key=period.key(),
                        period_kind=period.kind,
                        period_start=period.start,
                        period_end=period.end,
                        value=cleaned,
                        note=note,
                        status=status,
                        reported_by=acting_user if acting_user and acting_user.is_authenticated else None,
                        submitted_at=now if submit else None,
                    )
            except IntegrityError:
                # Another request created the same cell between our read and
                # write: that is the same conflict as a stale version.
                raise StaleResultError(
                    f"Số liệu “{target.name}” kỳ {period.label} vừa được người khác nhập; vui lòng tải lại."
                ) from None
            record("save_result", result, acting_user=acting_user, unit=unit)
            return result
        if expected_version is not None and expected_version != result.version:
            raise StaleResultError(
                f"Số liệu “{target.name}” kỳ {period.label} vừa được người khác cập nhật "
                f"(giá trị hiện tại: {format_number(result.value) or 'trống'}); vui lòng xem lại trước khi lưu."
            )
        if result.value == cleaned and result.note == note and result.status == status:
            return result  # the same cell written again: nothing changes
        before = snapshot(result)
        ResultRevision.objects.create(
            result=result,
            version=result.version,
            value=result.value,
            note=result.note,
            status=result.status,
            changed_by=result.reported_by,
        )
        result.value = cleaned
        result.note = note
        result.status = status
        result.version += 1
        result.reported_by = acting_user if acting_user and acting_user.is_authenticated else None
        if submit:
            result.submitted_at = now
        result.save()
        record("save_result", result, acting_user=acting_user, before=before, unit=unit)
    return result
