"""Guarded reads of targets and the units a user may report for.

A target is visible when its document is (see documents.access). Reporting
for a unit needs the reporter role (or higher) over it: a unit outside the
user's subtrees raises 404; a unit they only view raises PermissionDenied.
Signing results off (approve, return) needs the approver role (or admin)
over the result's unit, on the same terms.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.documents.access import can_see_document
from nghiquyet.orgs.models import OrgUnit

from .models import Assignment, Result, Target


def access_target(user, target_id) -> Target:
    """The target if ``user`` may read its document, else 404."""
    try:
        target = Target.objects.select_related("document").get(pk=target_id)
    except (Target.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy chỉ tiêu.") from None
    if not can_see_document(user, target.document_id):
        raise Http404("Không tìm thấy chỉ tiêu.")
    return target


def reporting_units(user) -> QuerySet[OrgUnit]:
    """Current units the user may report for that have targets assigned."""
    paths = scope_paths(user, Role.REPORTER)
    return (
        OrgUnit.objects.filter(path_q(paths), valid_to__isnull=True)
        .filter(pk__in=Assignment.objects.values("unit_id"))
        .vn_ordered()
    )


def access_reporting_unit(user, unit_id) -> OrgUnit:
    """The unit if ``user`` may report for it: 404 outside their subtrees,
    PermissionDenied where they may only read."""
    unit = access_unit(user, unit_id)
    if not has_role(user, unit, Role.REPORTER):
        raise PermissionDenied("Đồng chí không có quyền nhập số liệu cho đơn vị này.")
    if unit.valid_to is not None:
        raise PermissionDenied("Đơn vị đã hết hiệu lực, không nhận số liệu mới.")
    return unit


def approval_roots(user) -> list[OrgUnit]:
    """The current units at the top of the subtrees where ``user`` holds
    approver or admin: where their sign-off page can start."""
    paths = scope_paths(user, Role.APPROVER)
    if not paths:
        return []
    if paths == [""]:
        qs = OrgUnit.objects.filter(parent__isnull=True)
    else:
        qs = OrgUnit.objects.filter(path__in=paths)
    return list(qs.current().vn_ordered())


def access_approval_unit(user, unit_id) -> OrgUnit:
    """The unit if ``user`` may sign off its figures: 404 outside their
    subtrees, PermissionDenied where they hold less than approver."""
    unit = access_unit(user, unit_id)
    if not has_role(user, unit, Role.APPROVER):
        raise PermissionDenied("Đồng chí không có quyền duyệt số liệu của đơn vị này.")
    return unit


def _refuse(min_role: str):
    if min_role in (Role.APPROVER, Role.ADMIN):
        return PermissionDenied("Đồng chí không có quyền duyệt số liệu của đơn vị này.")
    return PermissionDenied("Đồng chí không có quyền với số liệu của đơn vị này.")


def access_results(user, result_ids, min_role: str = Role.VIEWER) -> list[Result]:
    """Several results at once (one query), on the terms of ``access_result``:
    404 if any lies outside the user's subtrees, PermissionDenied if the
    user holds less than ``min_role`` over any."""
    ids = list(dict.fromkeys(result_ids))
    results = list(
        Result.objects.select_related("target__document", "unit")
        .filter(path_q(scope_paths(user), "unit__path"), pk__in=ids)
        .order_by("pk")
    )
    if len(results) != len(ids):
        raise Http404("Không tìm thấy số liệu.")
    for result in results:
        if not has_role(user, result.unit, min_role):
            raise _refuse(min_role)
    return results


def access_result(user, result_id, min_role: str = Role.VIEWER) -> Result:
    """The result if its unit lies in ``user``'s subtrees (else 404) and they
    hold ``min_role`` over it (else PermissionDenied)."""
    try:
        result = Result.objects.select_related("target__document", "unit").get(
            path_q(scope_paths(user), "unit__path"), pk=result_id
        )
    except (Result.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy số liệu.") from None
    if not has_role(user, result.unit, min_role):
        raise _refuse(min_role)
    return result


def access_goal_unit(user, unit_id) -> OrgUnit:
    """A unit whose goals ``user`` may set: administrators of a unit above
    it (a unit does not set its own goals). 404 outside their subtrees,
    PermissionDenied where they may only read."""
    unit = access_unit(user, unit_id)
    parent = unit.parent if unit.parent_id else None
    if parent is None or not has_role(user, parent, Role.ADMIN):
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied(
                "Chỉ quản trị viên của cấp trên mới được giao chỉ tiêu và mục tiêu cho đơn vị này."
            )
    return unit


def access_assignment(user, assignment_id, *, write: bool = True) -> Assignment:
    """An assignment ``user`` may read (its document and unit visible), and
    with ``write`` whose goals they may change (see ``access_goal_unit``)."""
    try:
        a = Assignment.objects.select_related("target__document", "unit").get(pk=assignment_id)
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy lượt giao chỉ tiêu.") from None
    if not can_see_document(user, a.target.document_id) or not has_role(user, a.unit, Role.VIEWER):
        raise Http404("Không tìm thấy lượt giao chỉ tiêu.")
    if write:
        access_goal_unit(user, a.unit_id)
    return a
