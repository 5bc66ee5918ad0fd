from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Status

from nghiquyet.accounts.access import access_unit
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word
from nghiquyet.core.versions import StaleVersionError
from nghiquyet.orgs.models import subtree_q

from .access import access_task, access_task_for_edit, task_units, task_writer_unit, visible_tasks
from .actions import do_create_task, do_set_task_status, do_update_task
from .models import TaskKind
from .schemas import TaskConflictOut, TaskIn, TaskOut, TaskPatch, TaskStatusIn

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


@router.post("", response=answers({201: TaskOut}, 403, body=True), url_name="create_task")
def create_task(request, payload: TaskIn):
    """Create a task led by a unit the caller administers, with its
    co-operating units (units the caller may see) and, optionally, the
    document that gave it (one the caller may read)."""
    user = request.user
    lead = task_writer_unit(user, payload.lead_unit)
    coop, source = task_units(user, payload.cooperating_units, payload.source_document)
    task = do_create_task(
        title=payload.title,
        lead_unit=lead,
        acting_user=user,
        kind=payload.kind if payload.kind in TaskKind.values else _bad_kind(),
        description=payload.description,
        deadline=payload.deadline,
        source_document=source,
        cooperating_units=coop,
    )
    return Status(201, task)


def _bad_kind():
    raise ValidationError("Loại nhiệm vụ không hợp lệ.")


@router.patch("/{task_id}", response=answers({200: TaskOut, 409: TaskConflictOut}, 403, body=True))
def update_task(request, task_id: Id, payload: TaskPatch):
    """Change what a task says (administrator of its lead unit; a new lead
    unit must be theirs too). Needs the ``expected_version`` read; without
    it or with another, 409 with the current task."""
    user = request.user
    task = access_task_for_edit(user, task_id)
    sent = payload.model_fields_set
    changes = {n: getattr(payload, n) for n in ("title", "kind", "deadline", "description") if n in sent}
    if changes.get("description", "") is None:
        changes["description"] = ""
    if "lead_unit" in sent:
        if payload.lead_unit is None:
            raise ValidationError("Nhiệm vụ phải có đơn vị chủ trì.")
        changes["lead_unit"] = task_writer_unit(user, payload.lead_unit)
    coop, source = task_units(user, payload.cooperating_units or [], payload.source_document)
    if "source_document" in sent:
        changes["source_document"] = source
    try:
        return do_update_task(
            task,
            acting_user=user,
            expected_version=payload.expected_version,
            changes=changes,
            cooperating_units=coop if payload.cooperating_units is not None else None,
        )
    except StaleVersionError as exc:
        return Status(409, {"detail": " ".join(exc.messages), "current": exc.current})
