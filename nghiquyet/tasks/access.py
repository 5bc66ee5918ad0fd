"""Guarded reads of tasks.

A task is visible when its lead unit or one of its co-operating units lies
in one of the user's subtrees. Changing its status needs the reporter role
(or higher) over the lead unit: a visible task the user may not change
raises PermissionDenied (they already know it exists); an invisible one
raises 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role

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
