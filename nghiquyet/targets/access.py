"""Guarded reads of targets and the units a user may report for.

A target is visible when its document is (see documents.access). Reporting
for a unit needs the reporter role (or higher) over it: a unit outside the
user's subtrees raises 404; a unit they only view raises PermissionDenied.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.documents.access import can_see_document
from nghiquyet.orgs.models import OrgUnit

from .models import Assignment, Target


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
