"""Reporting rounds in the JSON API: the same actions as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from nghiquyet.accounts.access import access_unit, has_role
from nghiquyet.accounts.models import Role
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id
from nghiquyet.documents.access import access_document
from nghiquyet.targets.models import ReportingRound, Result
from nghiquyet.targets.schemas import ResultOut

from .access import access_round, visible_rounds
from .actions import (
    do_attach_round_report,
    do_close_round,
    do_grant_exception,
    do_open_round,
    parse_round_period,
)
from .schemas import (
    CloseIn,
    ExceptionIn,
    ExceptionOut,
    RoundIn,
    RoundOut,
    RoundReportOut,
    WithdrawIn,
)
from .status import round_status

router = Router(tags=["Đợt báo cáo"])


def _out(r: ReportingRound, request) -> dict:
    within = None
    if not has_role(request.user, r.unit, Role.VIEWER):
        # A unit inside the round sees its own part of the round only.
        within = next(
            (u for u in _own_roots(request.user) if u.path.startswith(r.unit.path)),
            None,
        )
    units = []
    if within is not None or has_role(request.user, r.unit, Role.VIEWER):
        for level in round_status(r, within):
            for row in level.rows:
                units.append(
                    {
                        "unit_id": row.unit.pk,
                        "name": row.unit.name,
                        "kind": row.unit.kind,
                        "deadline": row.deadline,
                        "closes": row.closes,
                        "state": row.state,
                        "reported": row.reported,
                        "expected": row.expected,
                        "report_sent": row.report is not None,
                        "locked": row.locked,
                    }
                )
    return {
        "id": r.pk,
        "name": r.title,
        "unit_id": r.unit_id,
        "period": r.period_key,
        "documents": sorted(r.documents.values_list("pk", flat=True)),
        "grace_days": r.grace_days,
        "opens_on": r.opens_on,
        "closed_at": r.closed_at,
        "version": r.version,
        "deadlines": list(r.deadlines.order_by("due", "pk").values("unit_kind", "unit_id", "due")),
        "units": units,
    }


def _own_roots(user):
    from nghiquyet.accounts.access import scope_paths
    from nghiquyet.orgs.models import OrgUnit

    return list(OrgUnit.objects.filter(path__in=scope_paths(user)).order_by("depth"))


@router.get("", response=answers({200: list[RoundOut]}))
def list_rounds(request):
    """The rounds the caller sees (of their units and of the units above them)."""
    return [_out(r, request) for r in visible_rounds(request.user).select_related("unit")[:200]]


@router.post("", response=answers({201: RoundOut}, 403, body=True))
def open_round(request, payload: RoundIn):
    """Open a round: admin over ``unit``; documents the caller may read;
    ``deadlines`` per unit kind, ``unit_deadlines`` per unit of the subtree."""
    unit = access_unit(request.user, payload.unit)
    if not has_role(request.user, unit, Role.ADMIN):
        raise PermissionDenied("Đồng chí không có quyền mở đợt báo cáo cho đơn vị này.")
    documents = [access_document(request.user, d) for d in dict.fromkeys(payload.documents)]
    unit_deadlines = {}
    for key, due in payload.unit_deadlines.items():
        if not key.isdigit():
            raise ValidationError(f"Mã đơn vị “{key}” không hợp lệ.")
        unit_deadlines[access_unit(request.user, int(key))] = due
    r = do_open_round(
        documents=documents,
        unit=unit,
        period=parse_round_period(payload.period),
        deadlines=payload.deadlines,
        unit_deadlines=unit_deadlines,
        grace_days=payload.grace_days,
        name=payload.name,
        opens_on=payload.opens_on,
        acting_user=request.user,
    )
    return Status(201, _out(r, request))


@router.get("/{round_id}", response=answers({200: RoundOut}))
def get_round(request, round_id: Id):
    """A round with its deadlines and, unit by unit, who reported on time,
    late or not at all (the caller's part of it)."""
    return _out(access_round(request.user, round_id), request)


@router.post("/{round_id}/exceptions", response=answers({201: ExceptionOut}, 403, body=True))
def grant_exception(request, round_id: Id, payload: ExceptionIn):
    """Reopen entry for a unit of the round until a day: only an approver
    (or admin) of the level above the unit, inside their own subtree."""
    r = access_round(request.user, round_id)
    unit = access_unit(request.user, payload.unit)
    if unit.parent is None or not has_role(request.user, unit.parent, Role.APPROVER):
        raise PermissionDenied("Chỉ cấp trên của đơn vị mới cho phép nhập bổ sung.")
    e = do_grant_exception(unit, payload.until, round=r, reason=payload.reason, acting_user=request.user)
    return Status(201, e)


@router.post("/{round_id}/close", response=answers({200: RoundOut}, 403, 409, body=True))
def close_round(request, round_id: Id, payload: CloseIn):
    """Close the round (admin over its unit): its figures are final."""
    r = access_round(request.user, round_id)
    if not has_role(request.user, r.unit, Role.ADMIN):
        raise PermissionDenied("Đồng chí không có quyền kết thúc đợt báo cáo này.")
    r = do_close_round(r, acting_user=request.user, expected_version=payload.expected_version)
    return _out(r, request)


@router.post("/{round_id}/withdraw", response=answers({200: list[ResultOut]}, 403, 423, body=True))
def withdraw_approval(request, round_id: Id, payload: WithdrawIn):
    """Withdraw the approval of a unit's figures in the round, reopening
    them to the unit: an approver of a unit above it only."""
    from nghiquyet.targets.actions import do_withdraw_approval

    r = access_round(request.user, round_id)
    unit = access_unit(request.user, payload.unit)
    if unit.parent is None or not has_role(request.user, unit.parent, Role.APPROVER):
        raise PermissionDenied("Chỉ người duyệt cấp trên mới hủy duyệt được.")
    if not unit.path.startswith(r.unit.path):
        raise ValidationError(f"{unit.name} không thuộc phạm vi {r.title.lower()}.")
    docs = list(r.documents.all())
    keys = (
        Result.objects.filter(
            unit=unit, period_end=r.period_end, period_start__gte=r.period_start, target__document__in=docs
        )
        .values_list("period_key", flat=True)
        .distinct()
    )
    done = []
    for key in sorted(set(keys)):
        if Result.objects.filter(
            unit=unit, period_key=key, status="approved", target__document__in=docs
        ).exists():
            done += do_withdraw_approval(
                unit, parse_round_period(key), documents=docs, reason=payload.reason, acting_user=request.user
            )
    if not done:
        raise ValidationError(f"{unit.name} không có số liệu đã duyệt trong đợt này.")
    return done


@router.post("/{round_id}/reports", response=answers({201: RoundReportOut}, 403, 423, body=True))
def attach_report(
    request, round_id: Id, unit: Form[Id | None] = None, file: File[UploadedFile | None] = None
):
    """Attach the unit's signed written report (.docx or .pdf): multipart
    with ``unit`` and ``file``; the reporter role over the unit."""
    r = access_round(request.user, round_id)  # first: a stranger learns nothing from a 422
    if unit is None or file is None:
        raise ValidationError("Cần gửi mã đơn vị (unit) và tệp báo cáo (file).")
    u = access_unit(request.user, unit)
    if not has_role(request.user, u, Role.REPORTER):
        raise PermissionDenied("Đồng chí không có quyền gửi báo cáo của đơn vị này.")
    report = do_attach_round_report(r, u, file, acting_user=request.user, filename=file.name)
    return Status(201, report)
