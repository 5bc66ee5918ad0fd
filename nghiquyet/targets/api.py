from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from nghiquyet.accounts.access import access_unit
from nghiquyet.accounts.models import Role
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Version, Word
from nghiquyet.core.periods import PeriodError, parse_period, parse_period_key
from nghiquyet.core.versions import StaleVersionError
from nghiquyet.documents.access import access_document, can_edit_document

from .access import access_reporting_unit, access_result, access_results, access_target
from .actions import StaleResultError, do_approve_results, do_return_result, do_save_result, do_update_target
from .models import Result, Target
from .rollup import Outcome, add_parent_share, rollup
from .schemas import (
    ApproveIn,
    ResultConflictOut,
    ResultIn,
    ResultOut,
    ReturnIn,
    RollupOut,
    TargetConflictOut,
    TargetOut,
    TargetPatch,
)

router = Router(tags=["Chỉ tiêu và kết quả"])


def _period(text: str):
    try:
        return parse_period_key(text)
    except (PeriodError, ValueError):
        try:
            return parse_period(text)
        except (PeriodError, ValueError):
            raise ValidationError(f"Kỳ “{text}” không hợp lệ.") from None


@router.get("/targets", response=answers({200: list[TargetOut]}))
def list_targets(request, document: Id):
    """The targets of a document the caller may read."""
    doc = access_document(request.user, document)
    return list(doc.targets.prefetch_related("milestones").order_by("order", "id"))


@router.get("/targets/{target_id}", response=answers({200: TargetOut}))
def get_target(request, target_id: Id):
    return access_target(request.user, target_id)


@router.get("/targets/{target_id}/rollup", response=answers({200: RollupOut}))
def target_rollup(request, target_id: Id, unit: Id, period: Word):
    """One target rolled up over a unit's subtree and a period, with each reporting unit's figure."""
    target = access_target(request.user, target_id)
    scope = access_unit(request.user, unit)
    p = _period(period)
    target = Target.objects.prefetch_related("milestones").get(pk=target.pk)
    tr = rollup(target.document, scope, p, targets=[target]).targets[0]
    add_parent_share(tr, target.document, scope, p, user=request.user)
    not_assessed = tr.outcome == Outcome.NOT_ASSESSED
    return {
        "target_id": target.pk,
        "unit_id": scope.pk,
        "period": p.key(),
        "period_label": p.label,
        "value": tr.value,
        "goal": tr.goal,
        "achievement": tr.achievement,
        "outcome": tr.outcome,
        "outcome_label": Outcome.LABELS[tr.outcome],
        "expected_units": tr.expected_units,
        "reporting_units": tr.reporting_units,
        "provisional": tr.provisional,
        "coverage": tr.coverage,
        "reason": (tr.reason or "Chưa đánh giá.") if not_assessed else None,
        "cap_used": tr.cap_used,
        "share_of_parent": tr.share_of_parent,
        "units": [
            {
                **dataclasses.asdict(u),
                "reason": (u.reason or None) if u.outcome == Outcome.NOT_ASSESSED else None,
            }
            for u in tr.units.values()
        ],
    }


@router.get("/results", response=answers({200: list[ResultOut]}))
def list_results(request, unit: Id, period: Word):
    """A unit's results for a period (drafts included: the unit's own view)."""
    scope = access_unit(request.user, unit)
    p = _period(period)
    return list(Result.objects.filter(unit=scope, period_key=p.key()).order_by("target_id"))


@router.post("/results", response=answers({200: ResultOut, 409: ResultConflictOut}, 403, body=True))
def save_result(request, payload: ResultIn):
    """Write one cell through the same action as the reporting form: reporter
    role over the unit, the target assigned to it, no lost update. Changing
    an existing result needs the ``expected_version`` read; without it, or
    with another one, the answer is 409 with the current result. An omitted
    ``submit`` keeps the current status."""
    unit = access_reporting_unit(request.user, payload.unit)
    target = access_target(request.user, payload.target)
    if not target.assignments.filter(unit=unit).exists():
        raise Http404("Không tìm thấy chỉ tiêu.")
    period = _period(payload.period)
    try:
        result = do_save_result(
            target,
            unit,
            period,
            payload.value,
            acting_user=request.user,
            note=payload.note,
            submit=payload.submit,
            expected_version=payload.expected_version,
        )
    except StaleResultError as exc:
        current = Result.objects.filter(target=target, unit=unit, period_key=period.key()).first()
        return Status(409, {"detail": " ".join(exc.messages), "current": current})
    return get_object_or_404(Result, pk=result.pk)


@router.post("/results/approve", response=answers({200: list[ResultOut]}, 403, 409, body=True))
def approve_results(request, payload: ApproveIn):
    """Approve submitted results (all or nothing): approver role (or admin)
    over each result's unit. ``versions`` pins what the caller checked: a
    result changed since is refused (409)."""
    results = access_results(request.user, payload.results, Role.APPROVER)
    versions = {int(k): v for k, v in (payload.versions or {}).items() if k.isdigit()} or None
    do_approve_results(results, acting_user=request.user, expected_versions=versions)
    return list(Result.objects.filter(pk__in=[r.pk for r in results]).order_by("pk"))


@router.post("/results/{result_id}/approve", response=answers({200: ResultOut}, 403, 409))
def approve_result(request, result_id: Id, expected_version: Version | None = None):
    """Approve one submitted result (approver role or admin over its unit)."""
    result = access_result(request.user, result_id, Role.APPROVER)
    versions = {result.pk: expected_version} if expected_version is not None else None
    do_approve_results([result], acting_user=request.user, expected_versions=versions)
    return Result.objects.get(pk=result.pk)


@router.post("/results/{result_id}/return", response=answers({200: ResultOut}, 403, 409, body=True))
def return_result(request, result_id: Id, payload: ReturnIn):
    """Send a result back to its unit as a draft, with a reason (required)."""
    result = access_result(request.user, result_id, Role.APPROVER)
    do_return_result(
        result, reason=payload.reason, acting_user=request.user, expected_version=payload.expected_version
    )
    return Result.objects.get(pk=result.pk)


@router.patch(
    "/targets/{target_id}", response=answers({200: TargetOut, 409: TargetConflictOut}, 403, body=True)
)
def update_target(request, target_id: Id, payload: TargetPatch):
    """Change a target (administrator of its document's issuing unit). Needs
    the ``expected_version`` read; without it or with another, 409 with the
    current target. What it said before is kept: ``milestones`` replaces the
    whole set of yearly goals."""
    target = access_target(request.user, target_id)
    if not can_edit_document(request.user, target.document):
        raise PermissionDenied("Đồng chí không có quyền sửa chỉ tiêu này.")
    sent = payload.model_fields_set - {"expected_version", "milestones"}
    changes = {name: getattr(payload, name) for name in sent}
    for name in ("numerator", "denominator"):
        if changes.get(name) is not None:
            part = Target.objects.filter(document_id=target.document_id, pk=changes[name]).first()
            if part is None:
                raise ValidationError("Tử số và mẫu số phải là chỉ tiêu của cùng văn bản.")
            changes[name] = part
    for name in ("code", "name", "group", "measure", "value_type", "direction", "baseline_period", "report_every",
                 "time_aggregation", "unit_aggregation", "judged", "order"):  # fmt: skip
        if name in changes and changes[name] is None:
            raise ValidationError(f"Trường {name} không được để trống.")
    try:
        do_update_target(
            target,
            acting_user=request.user,
            expected_version=payload.expected_version,
            changes=changes,
            milestones=payload.milestones if "milestones" in payload.model_fields_set else None,
        )
    except StaleVersionError as exc:
        current = Target.objects.prefetch_related("milestones").get(pk=target.pk)
        return Status(409, {"detail": " ".join(exc.messages), "current": current})
    return Target.objects.prefetch_related("milestones").get(pk=target.pk)
