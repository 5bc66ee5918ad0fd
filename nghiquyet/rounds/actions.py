"""Writes for reporting rounds: open one, close it, grant exceptions, attach
a unit's signed written report. Each inside ``transaction.atomic`` with its
audit row. The rules of entry (deadlines, grace, exceptions, approval) are
read by the one writer of results, ``targets.locks``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.dates import format_date
from nghiquyet.core.periods import Period, PeriodError, parse_period, parse_period_key
from nghiquyet.core.uploads import read_upload
from nghiquyet.core.zipguard import check_docx
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.locks import entry_windows, vn_today
from nghiquyet.targets.models import EntryException, ReportingRound, RoundDeadline, RoundReport

GRACE_MAX = 60
NAME_MAX = 255


def parse_round_period(text: str | Period) -> Period:
    """A period given as a key ("2026-Q3") or a label ("Quý III/2026")."""
    if isinstance(text, Period):
        return text
    try:
        return parse_period_key(text)
    except (PeriodError, ValueError):
        try:
            return parse_period(text)
        except (PeriodError, ValueError):
            raise ValidationError(f"Kỳ “{text}” không hợp lệ.") from None


def _is_admin(user, unit: OrgUnit) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and has_role(user, unit, Role.ADMIN)


def do_open_round(
    *,
    documents: Iterable,
    unit: OrgUnit,
    period: Period | str,
    deadlines: Mapping[str, dt.date],
    acting_user,
    grace_days: int = 0,
    unit_deadlines: Mapping[OrgUnit, dt.date] | None = None,
    name: str = "",
    opens_on: dt.date | None = None,
) -> ReportingRound:
    """Open a reporting round of ``documents`` for ``unit``'s subtree and
    ``period``. ``deadlines`` maps unit kinds (``commune``, ``grassroots``…)
    to their last day; ``unit_deadlines`` tightens or extends it for a unit
    of the subtree (and its own subtree). Needs admin over ``unit``; a
    deadline before the period ends, or a lower level due after a higher
    one, is refused."""
    period = parse_round_period(period)
    documents = list(documents)
    unit_deadlines = dict(unit_deadlines or {})
    if not _is_admin(acting_user, unit):
        raise ValidationError(f"Đồng chí không có quyền mở đợt báo cáo cho {unit.name}.")
    if not documents:
        raise ValidationError("Đợt báo cáo cần ít nhất một văn bản.")
    if not deadlines and not unit_deadlines:
        raise ValidationError("Đợt báo cáo cần ít nhất một hạn báo cáo.")
    if not 0 <= grace_days <= GRACE_MAX:
        raise ValidationError(f"Số ngày ân hạn phải từ 0 đến {GRACE_MAX}.")
    name = " ".join((name or "").split())[:NAME_MAX]
    kinds = dict(UnitKind.choices)
    errors = []
    for kind, due in deadlines.items():
        if kind not in kinds:
            errors.append(f"Không có loại đơn vị “{kind}”.")
        elif due < period.end:
            errors.append(
                f"Hạn của {kinds[kind].lower()} (ngày {format_date(due)}) trước khi kỳ "
                f"{period.label} kết thúc."
            )
    for u, due in unit_deadlines.items():
        if not u.path.startswith(unit.path):
            errors.append(f"{u.name} không thuộc {unit.name}.")
        elif due < period.end:
            errors.append(f"Hạn của {u.name} (ngày {format_date(due)}) trước khi kỳ {period.label} kết thúc.")
    # Grassroots before commune, commune before province: a lower level is not due after a higher one.
    order = [UnitKind.CELL, UnitKind.GRASSROOTS, UnitKind.COMMUNE, UnitKind.PROVINCE]
    listed = [(k, deadlines[k]) for k in order if k in deadlines]
    for (low, d_low), (high, d_high) in zip(listed, listed[1:], strict=False):
        if d_low > d_high:
            errors.append(
                f"Hạn của {kinds[low].lower()} (ngày {format_date(d_low)}) sau hạn của "
                f"{kinds[high].lower()} (ngày {format_date(d_high)}): cấp dưới phải báo cáo trước."
            )
    if opens_on is not None and opens_on > period.end:
        errors.append("Ngày mở đợt phải trước khi kỳ kết thúc.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        r = ReportingRound.objects.create(
            name=name,
            unit=unit,
            period_key=period.key(),
            period_start=period.start,
            period_end=period.end,
            grace_days=grace_days,
            opens_on=opens_on,
            created_by=acting_user,
        )
        r.documents.set(documents)
        RoundDeadline.objects.bulk_create(
            [RoundDeadline(round=r, unit_kind=k, due=d) for k, d in deadlines.items()]
            + [RoundDeadline(round=r, unit=u, due=d) for u, d in unit_deadlines.items()]
        )
        record(
            "open_round",
            r,
            acting_user=acting_user,
            unit=unit,
            after={
                **snapshot(r),
                "documents": [d.pk for d in documents],
                "deadlines": {k: d.isoformat() for k, d in deadlines.items()},
                "unit_deadlines": {str(u.pk): d.isoformat() for u, d in unit_deadlines.items()},
            },
        )
    return r


def do_close_round(r: ReportingRound, *, acting_user, expected_version: int | None = None) -> ReportingRound:
    """Close ``r``: from now on no figure of it is written or its approval
    changed, and its review is final. Needs admin over the round's unit."""
    with transaction.atomic():
        r = ReportingRound.objects.select_for_update().select_related("unit").get(pk=r.pk)
        if not _is_admin(acting_user, r.unit):
            raise ValidationError(f"Đồng chí không có quyền kết thúc đợt báo cáo của {r.unit.name}.")
        if expected_version is not None and expected_version != r.version:
            from nghiquyet.targets.actions import StaleResultError

            raise StaleResultError("Đợt báo cáo vừa được người khác thay đổi; vui lòng tải lại.")
        if r.is_closed:
            return r
        if vn_today() <= r.period_end:
            raise ValidationError(
                f"Kỳ {r.period.label} chưa kết thúc (hết ngày {format_date(r.period_end)}): chưa thể kết thúc đợt."
            )
        before = snapshot(r)
        r.closed_at = timezone.now()
        r.closed_by = acting_user
        r.version += 1
        r.save()
        record("close_round", r, acting_user=acting_user, before=before, unit=r.unit)
    return r


def do_grant_exception(
    unit: OrgUnit,
    until: dt.date,
    *,
    acting_user,
    round: ReportingRound | None = None,
    period: Period | str | None = None,
    reason: str = "",
) -> EntryException:
    """Reopen entry for ``unit`` (and its subtree) until ``until`` inclusive,
    in ``round`` or, with no round, for ``period``. Only the level above
    grants it: approver (or admin) over ``unit``'s parent, and, in a round,
    ``unit`` inside the round's subtree. A closed round is final."""
    if (round is None) == (period is None):
        raise ValueError("give a round or a period")
    parent = unit.parent
    if (
        acting_user is None
        or not getattr(acting_user, "is_authenticated", False)
        or parent is None
        or not has_role(acting_user, parent, Role.APPROVER)
    ):
        raise ValidationError(f"Chỉ cấp trên của {unit.name} mới cho phép đơn vị này nhập bổ sung.")
    if round is not None:
        if not unit.path.startswith(round.unit.path):
            raise ValidationError(f"{unit.name} không thuộc phạm vi {round.title.lower()}.")
        if round.is_closed:
            raise ValidationError(f"{round.title} đã kết thúc: không thể cho phép nhập bổ sung.")
        key = round.period_key
    else:
        key = parse_round_period(period).key()
    today = vn_today()
    if until < today:
        raise ValidationError(f"Ngày hết hạn cho phép ({format_date(until)}) đã qua.")
    if until > today + dt.timedelta(days=90):
        raise ValidationError("Chỉ cho phép nhập bổ sung tối đa 90 ngày.")
    reason = " ".join((reason or "").split())[:2000]
    with transaction.atomic():
        e = EntryException.objects.create(
            round=round, period_key=key, unit=unit, until=until, reason=reason, granted_by=acting_user
        )
        record("grant_entry_exception", e, acting_user=acting_user, unit=unit)
    return e


REPORT_TYPES = {".docx": "tệp Word", ".pdf": "tệp PDF"}


def check_signed_report(data: bytes, filename: str) -> str:
    """The extension of a signed report if it is a .docx or a .pdf that is
    what it says; ValidationError in Vietnamese otherwise."""
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in REPORT_TYPES:
        raise ValidationError("Báo cáo bằng văn bản phải là tệp Word (.docx) hoặc PDF (.pdf).")
    if not data:
        raise ValidationError("Tệp rỗng.")
    if ext == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise ValidationError("Tệp không phải là PDF.")
    else:
        check_docx(data)
    return ext


def do_attach_round_report(
    r: ReportingRound, unit: OrgUnit, file, *, acting_user, filename: str | None = None
) -> RoundReport:
    """Attach ``unit``'s signed written report (.docx or .pdf, through the
    upload guards) to round ``r``, replacing the one sent before. Needs the
    reporter role over ``unit``, inside the round; refused once the round is
    closed or the unit's entry is locked. Carries the on-time flag."""
    if (
        acting_user is None
        or not getattr(acting_user, "is_authenticated", False)
        or not has_role(acting_user, unit, Role.REPORTER)
    ):
        raise ValidationError(f"Đồng chí không có quyền gửi báo cáo của {unit.name}.")
    if not unit.path.startswith(r.unit.path):
        raise ValidationError(f"{unit.name} không thuộc phạm vi {r.title.lower()}.")
    name = filename or getattr(file, "name", "") or "bao-cao"
    name = name.replace("/", "_").replace("\\", "_")[-200:]
    data = read_upload(file)
    ext = check_signed_report(data, name)
    today = vn_today()
    doc_id = r.documents.values_list("pk", flat=True).first()
    window = entry_windows([(doc_id, unit)], r.period, today)[(doc_id, unit.pk)]
    reason = window.lock_reason(unit, r.period, today)
    if reason:
        from nghiquyet.targets.locks import EntryLocked

        raise EntryLocked(reason)
    with transaction.atomic():
        old = RoundReport.objects.select_for_update().filter(round=r, unit=unit).first()
        old_file = old.file.name if old else None
        report = old or RoundReport(round=r, unit=unit)
        report.name = name
        report.size = len(data)
        report.on_time = window.on_time(today)
        report.uploaded_by = acting_user
        report.file.save(f"bao-cao{ext}", ContentFile(data), save=False)
        report.save()
        record(
            "attach_round_report",
            report,
            acting_user=acting_user,
            unit=unit,
            before={"file": old_file} if old else None,
            after={
                "round": r.pk,
                "unit": unit.pk,
                "name": name,
                "size": len(data),
                "on_time": report.on_time,
            },
        )
    if old_file and old_file != report.file.name:
        report.file.storage.delete(old_file)
    return report
