"""Guarded reads of tasks.

A task is visible when its lead unit or one of its co-operating units lies
in one of the user's subtrees. Changing its status needs the reporter role
(or higher) over the lead unit: a visible task the user may not change
raises PermissionDenied (they already know it exists); an invisible one
raises 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.orgs.models import OrgUnit

from .models import Task


def visible_tasks(user) -> QuerySet[Task]:
    """Tasks led by, or shared with, a unit of the user's subtrees."""
    paths = scope_paths(user)
    if paths == [""]:
        return Task.objects.all()
    through = Task.cooperating_units.through
    shared = through.objects.filter(path_q(paths, "orgunit__path")).values("task_id")
    return Task.objects.filter(Q(path_q(paths, "lead_unit__path")) | Q(pk__in=shared))


def access_task(user, task_id, *, for_update: bool = False) -> Task:
    """The task if ``user`` may see it (404 otherwise); with ``for_update``,
    also the right to change it (PermissionDenied otherwise)."""
    try:
        task = visible_tasks(user).select_related("lead_unit").get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy nhiệm vụ.") from None
    if for_update and not has_role(user, task.lead_unit, Role.REPORTER):
        raise PermissionDenied("Đồng chí không có quyền cập nhật nhiệm vụ này.")
    return task


def task_writer_unit(user, unit_id) -> OrgUnit:
    """A current unit ``user`` administers, to lead a task: 404 outside
    their subtrees, PermissionDenied where they hold less than admin."""
    unit = access_unit(user, unit_id)
    if not has_role(user, unit, Role.ADMIN):
        raise PermissionDenied("Đồng chí không có quyền giao nhiệm vụ cho đơn vị này.")
    if unit.valid_to is not None:
        raise ValidationError(f"Đơn vị “{unit.name}” đã hết hiệu lực.")
    return unit


def task_units(user, cooperating_ids, document_id) -> tuple[list[OrgUnit], object]:
    """The co-operating units (each one the user may see, else 404) and the
    source document (one they may read, else 404) a task is written with."""
    from nghiquyet.documents.access import access_document

    ids = list(dict.fromkeys(cooperating_ids or []))
    units = list(OrgUnit.objects.filter(path_q(scope_paths(user), "path"), pk__in=ids))
    if len(units) != len(ids):
        raise Http404("Không tìm thấy đơn vị.")
    source = access_document(user, document_id) if document_id is not None else None
    return units, source


def access_task_for_edit(user, task_id) -> Task:
    """The task if ``user`` may change what it says (administrator of its
    lead unit): 404 if they cannot see it, PermissionDenied otherwise."""
    task = access_task(user, task_id)
    if not has_role(user, task.lead_unit, Role.ADMIN):
        raise PermissionDenied("Đồng chí không có quyền sửa nhiệm vụ này.")
    return task
