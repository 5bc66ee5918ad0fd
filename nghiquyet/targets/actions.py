"""Writes for targets: assigning them, reporting results and signing them off.

A result moves draft → submitted → approved. An approver (or admin) over
the result's unit approves it, or returns it to draft with a reason; a
reporter who changes an approved figure sends it back to submitted, so the
approver sees it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.numbers import NumberError, format_number, parse_number
from nghiquyet.core.periods import Period, PeriodError, parse_period
from nghiquyet.orgs.models import OrgUnit, UnitKind

from .models import COUNTED_STATUSES, Assignment, Result, ResultRevision, ResultStatus, Target, ValueType

REASON_MAX = 2000


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
    so (no lost update). A unit reports only targets assigned to it.
    An approved cell written again unchanged stays approved; changed (even
    as a draft) it goes back to submitted, still counted, for the approver
    to see again, and cannot be emptied. Submitting answers a return (the
    reason is cleared)."""
    period = check_period(target, period)
    cleaned = clean_value(target, value)
    if submit and cleaned is None:
        raise ValidationError(f"Chưa nhập giá trị cho chỉ tiêu “{target.name}”.")
    if not Assignment.objects.filter(target=target, unit=unit).exists():
        raise ValidationError(f"Chỉ tiêu “{target.name}” không được giao cho {unit.name}.")
    status: str = ResultStatus.SUBMITTED if submit else ResultStatus.DRAFT
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
        if result.value == cleaned and result.note == note:
            if result.status == status:
                return result  # the same cell written again: nothing changes
            if result.status == ResultStatus.APPROVED:
                return result  # an approved figure sent again unchanged stays approved
        if result.status == ResultStatus.APPROVED:
            # A changed approved figure goes back to the approver, still counted.
            if cleaned is None:
                raise ValidationError(
                    f"Số liệu “{target.name}” kỳ {period.label} đã được duyệt, không thể để trống."
                )
            status = ResultStatus.SUBMITTED
            submit = True
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
        result.approved_by = None
        result.approved_at = None
        if submit:
            result.submitted_at = now
            result.returned_reason = ""  # answered by submitting again
            result.returned_by = None
            result.returned_at = None
        result.save()
        record("save_result", result, acting_user=acting_user, before=before, unit=unit)
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


def _revise(result: Result) -> None:
    """Keep the state ``result`` holds before a change, and move its version on."""
    ResultRevision.objects.create(
        result=result,
        version=result.version,
        value=result.value,
        note=result.note,
        status=result.status,
        changed_by=result.reported_by,
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
    outside the user's approver scope, or (with ``expected_versions``, the
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
