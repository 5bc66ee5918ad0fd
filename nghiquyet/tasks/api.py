from __future__ import annotations

from django.utils import timezone
from ninja import Router

from nghiquyet.accounts.access import access_unit
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word
from nghiquyet.orgs.models import subtree_q

from .access import access_task, visible_tasks
from .actions import do_set_task_status
from .schemas import TaskOut, TaskStatusIn

router = Router(tags=["Nhiệm vụ"])


@router.get("", response=answers({200: list[TaskOut]}))
def list_tasks(
    request,
    unit: Id | None = None,
    status: Word = "",
    kind: Word = "",
    limit: Limit = 100,
    offset: Offset = 0,
):
    """Tasks the caller may see; ``status=qua_han`` for overdue ones."""
    qs = visible_tasks(request.user)
    if unit is not None:
        u = access_unit(request.user, unit)
        qs = qs.filter(subtree_q(u, "lead_unit__path"))
    if status == "qua_han":
        qs = qs.overdue(timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("deadline", "id")[offset : offset + limit])


@router.get("/{task_id}", response=answers({200: TaskOut}))
def get_task(request, task_id: Id):
    return access_task(request.user, task_id)


@router.post("/{task_id}/status", response=answers({200: TaskOut}, 403, body=True))
def set_status(request, task_id: Id, payload: TaskStatusIn):
    """Move a task's status (reporter role over its lead unit)."""
    task = access_task(request.user, task_id, for_update=True)
    return do_set_task_status(task, payload.status, acting_user=request.user, note=payload.note)
