from __future__ import annotations

import dataclasses

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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

from .access import (
    access_assignment,
    access_goal_unit,
    access_reporting_unit,
    access_result,
    access_results,
    access_target,
)
from .actions import (
    UNCHANGED,
    GoalWrite,
    StaleAssignmentError,
    StaleResultError,
    do_apportion_goals,
    do_approve_results,
    do_assign_target,
    do_return_result,
    do_save_result,
    do_set_goals_many,
    do_update_target,
)
from .approval import flagged_ids
from .goals import assignment_goals
from .models import Assignment, GoalKind, Result, Target
from .rollup import Outcome, add_parent_share, rollup
from .schemas import (
    ApproveIn,
    AssignIn,
    AssignmentConflictOut,
    AssignmentOut,
    AssignmentPatchIn,
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
def target_rollup(request, target_id: Id, unit: Id, period: Word, units_of_time: bool = False):
    """One target rolled up over a unit's subtree and a period, with each
    reporting unit's figure; ``units_of_time=true`` reads the units as they
    were in that period (a report on 2023 shows 2023's communes), else
    today's units (merged units' figures counted toward their successors)."""
    target = access_target(request.user, target_id)
    scope = access_unit(request.user, unit)
    p = _period(period)
    target = Target.objects.prefetch_related("milestones").get(pk=target.pk)
    tr = rollup(target.document, scope, p, targets=[target], as_of_today=not units_of_time).targets[0]
    add_parent_share(tr, target.document, scope, p, user=request.user, as_of_today=not units_of_time)
    not_assessed = tr.outcome == Outcome.NOT_ASSESSED
    return {
        "target_id": target.pk,
        "unit_id": scope.pk,
        "period": p.key(),
        "period_label": p.label,
        "value": tr.value,
        "goal": tr.goal,
        "goal_source": tr.goal_source,
        "achievement": tr.achievement,
        "outcome": tr.outcome,
        "outcome_label": tr.outcome_label,
        "expected_units": tr.expected_units,
        "reporting_units": tr.reporting_units,
        "provisional": tr.provisional,
        "coverage": tr.coverage,
        "reason": (tr.reason or "Chưa đánh giá.") if not_assessed else None,
        "cap_used": tr.cap_used,
        "share_of_parent": tr.share_of_parent,
        "units_of_time": units_of_time,
        "estimated": tr.estimated,
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


@router.post("/results", response=answers({200: ResultOut, 409: ResultConflictOut}, 403, 423, body=True))
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
            estimate=payload.estimate,
        )
    except StaleResultError as exc:
        current = Result.objects.filter(target=target, unit=unit, period_key=period.key()).first()
        return Status(409, {"detail": " ".join(exc.messages), "current": current})
    return get_object_or_404(Result, pk=result.pk)


@router.post("/results/approve", response=answers({200: list[ResultOut]}, 403, 409, 423, body=True))
def approve_results(request, payload: ApproveIn):
    """Approve submitted results (all or nothing): approver role (or admin)
    over each result's unit. ``versions`` pins what the caller checked: a
    result changed since is refused (409)."""
    results = access_results(request.user, payload.results, Role.APPROVER)
    versions = {int(k): v for k, v in (payload.versions or {}).items() if k.isdigit()} or None
    if len(results) > 1:
        # A flagged figure is not approved in bulk unless it was looked at one by one.
        unseen = sorted(flagged_ids(results) - set(payload.confirmed))
        if unseen:
            raise ValidationError(
                "Các số liệu có cảnh báo cần được xem từng số liệu (ghi mã vào “confirmed”) trước khi "
                "duyệt cùng lúc: " + ", ".join(str(pk) for pk in unseen) + "."
            )
    do_approve_results(results, acting_user=request.user, expected_versions=versions)
    return list(Result.objects.filter(pk__in=[r.pk for r in results]).order_by("pk"))


@router.post("/results/{result_id}/approve", response=answers({200: ResultOut}, 403, 409, 423))
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


# -- assignments and goals -----------------------------------------------------------


def _assignment_out(a: Assignment) -> dict:
    """An assignment with its goals in force today and their history."""
    goals = assignment_goals(a)
    return {
        "id": a.pk,
        "target_id": a.target_id,
        "unit_id": a.unit_id,
        "weight": a.weight,
        "version": a.version,
        "goals": {
            k: {"value": g.value, "source": g.source, "kind": g.kind, "rule": g.rule, "label": g.label}
            for k, g in goals.items()
        },
        "history": [
            {
                "key": str(r.year) if r.kind == GoalKind.YEAR else r.kind,
                "value": r.value,
                "source": r.source,
                "rule": r.rule,
                "effective_from": r.effective_from,
                "recorded_at": r.recorded_at,
                "recorded_by_id": r.recorded_by_id,
            }
            for r in a.goals.order_by("recorded_at", "id")
        ],
    }


@router.post(
    "/targets/{target_id}/assignments", response=answers({201: list[AssignmentOut]}, 403, 409, body=True)
)
def assign_target(request, target_id: Id, payload: AssignIn):
    """Assign a target to units with each unit's own goals (all or nothing),
    through the same actions as the pages: ``goals`` typed per unit,
    ``weights`` per unit, or ``rule`` to apportion the goals of
    ``apportion_from`` (default: the units' common parent). Only an
    administrator of a unit above each unit may do it."""
    user = request.user
    target = access_target(user, target_id)
    unit_ids = list(dict.fromkeys(payload.units))
    units = [access_goal_unit(user, uid) for uid in unit_ids]
    goals = {int(k): v for k, v in (payload.goals or {}).items()}
    weights = {int(k): v for k, v in (payload.weights or {}).items()}
    strays = (set(goals) | set(weights)) - set(unit_ids)
    if strays:
        raise ValidationError(
            f"Mục tiêu hoặc trọng số cho đơn vị không có trong danh sách giao: {', '.join(map(str, sorted(strays)))}."
        )
    with transaction.atomic():
        do_assign_target(target, units, acting_user=user)
        if payload.rule:
            if payload.apportion_from is not None:
                parent = access_unit(user, payload.apportion_from)
            else:
                parents = {u.parent_id for u in units}
                if len(parents) != 1 or None in parents:
                    raise ValidationError(
                        "Các đơn vị không cùng một cấp trên: cần chỉ rõ đơn vị phân bổ (apportion_from)."
                    )
                parent = units[0].parent
            do_apportion_goals(target, parent, units, payload.rule, acting_user=user, weights=weights or None)
        by_unit = {
            a.unit_id: a
            for a in Assignment.objects.select_related("target__document", "unit").filter(
                target=target, unit_id__in=unit_ids
            )
        }
        writes = [
            GoalWrite(
                by_unit[uid],
                goals.get(uid, {}),
                weight=weights.get(uid, UNCHANGED) if not payload.rule else UNCHANGED,
            )
            for uid in unit_ids
            if uid in goals or (uid in weights and not payload.rule)
        ]
        if writes:
            do_set_goals_many(writes, acting_user=user)
    rows = Assignment.objects.select_related("target__document").filter(target=target, unit_id__in=unit_ids)
    order = {uid: i for i, uid in enumerate(unit_ids)}
    return Status(201, [_assignment_out(a) for a in sorted(rows, key=lambda a: order[a.unit_id])])


@router.get("/assignments/{assignment_id}", response=answers({200: AssignmentOut}, 403))
def get_assignment(request, assignment_id: Id):
    """One assignment with its goals in force and their history (for who
    may see the unit and the document)."""
    return _assignment_out(access_assignment(request.user, assignment_id, write=False))


@router.patch(
    "/assignments/{assignment_id}",
    response=answers({200: AssignmentOut, 409: AssignmentConflictOut}, 403, body=True),
)
def patch_assignment(request, assignment_id: Id, payload: AssignmentPatchIn):
    """Change a unit's goals or weight. ``expected_version`` is the version
    read; another one is refused (409) with the assignment as it is now.
    Each changed goal keeps its history."""
    a = access_assignment(request.user, assignment_id)
    weight = payload.weight if "weight" in payload.model_fields_set else UNCHANGED
    try:
        do_set_goals_many(
            [GoalWrite(a, payload.goals or {}, weight=weight, expected_version=payload.expected_version)],
            acting_user=request.user,
        )
    except StaleAssignmentError as exc:
        current = Assignment.objects.select_related("target__document").get(pk=a.pk)
        return Status(409, {"detail": " ".join(exc.messages), "current": _assignment_out(current)})
    return _assignment_out(Assignment.objects.select_related("target__document").get(pk=a.pk))


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
