"""Writes for tasks: creating them and moving their status."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.versions import check_version

from .models import Task, TaskKind, TaskStatus, TaskStatusChange


def do_create_task(
    *,
    title: str,
    lead_unit,
    acting_user,
    kind: str = TaskKind.ROUTINE,
    description: str = "",
    deadline: dt.date | None = None,
    source_document=None,
    source_conclusion=None,
    cooperating_units=(),
) -> Task:
    """Create a task from a document or a meeting's conclusion."""
    if not title.strip():
        raise ValidationError("Tên nhiệm vụ không được để trống.")
    if lead_unit is None:
        raise ValidationError("Nhiệm vụ phải có đơn vị chủ trì.")
    if lead_unit.valid_to is not None:
        raise ValidationError(f"Đơn vị “{lead_unit.name}” đã hết hiệu lực.")
    with transaction.atomic():
        task = Task.objects.create(
            title=title.strip(),
            description=description,
            kind=kind,
            deadline=deadline,
            lead_unit=lead_unit,
            source_document=source_document,
            source_conclusion=source_conclusion,
        )
        coop = [u for u in cooperating_units if u.pk != lead_unit.pk]
        if coop:
            task.cooperating_units.set(coop)
        TaskStatusChange.objects.create(task=task, new_status=task.status, changed_by=_user(acting_user))
        record("create_task", task, acting_user=acting_user, unit=lead_unit)
    return task


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def do_set_task_status(
    task: Task, status: str, *, acting_user, note: str = "", on: dt.date | None = None
) -> Task:
    """Move a task to ``status``, keeping the history. Finishing after the
    deadline is recorded as "hoàn thành quá hạn" whatever was asked."""
    if status not in TaskStatus.values:
        raise ValidationError("Trạng thái nhiệm vụ không hợp lệ.")
    on = on or timezone.localdate()
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        before = snapshot(task)
        if status in (TaskStatus.DONE, TaskStatus.DONE_LATE):
            status = TaskStatus.DONE_LATE if task.deadline and on > task.deadline else TaskStatus.DONE
            task.completed_on = on
        else:
            task.completed_on = None
        if status == task.status:
            return task
        TaskStatusChange.objects.create(
            task=task, old_status=task.status, new_status=status, note=note, changed_by=_user(acting_user)
        )
        task.status = status
        task.save()
        record("set_task_status", task, acting_user=acting_user, before=before, unit=task.lead_unit)
    return task


def do_create_task_for_units(*, title: str, units, acting_user, **fields) -> list[Task]:
    """Give the same task to several units at once (every commune of a
    province, say): one task per unit, each with its own status."""
    units = list(units)
    if not units:
        raise ValidationError("Chưa chọn đơn vị nhận nhiệm vụ.")
    with transaction.atomic():
        return [do_create_task(title=title, lead_unit=u, acting_user=acting_user, **fields) for u in units]


# What an edit may change; the status moves through do_set_task_status.
TASK_FIELDS = ("title", "description", "kind", "deadline", "lead_unit", "source_document")


def do_update_task(
    task: Task, *, acting_user, expected_version: int | None, changes: dict, cooperating_units=None
) -> Task:
    """Change what a task says (``changes``: of TASK_FIELDS) and, when given,
    its co-operating units. The version read must be the current one
    (StaleVersionError); the audit row keeps before and after."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    if "title" in changes and not (changes["title"] or "").strip():
        raise ValidationError("Tên nhiệm vụ không được để trống.")
    if "kind" in changes and changes["kind"] not in TaskKind.values:
        raise ValidationError("Loại nhiệm vụ không hợp lệ.")
    lead = changes.get("lead_unit")
    if "lead_unit" in changes and lead is None:
        raise ValidationError("Nhiệm vụ phải có đơn vị chủ trì.")
    with transaction.atomic():
        task = Task.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=task.pk)
        check_version(task, expected_version, "nhiệm vụ")
        if lead is not None and lead.pk != task.lead_unit_id and lead.valid_to is not None:
            raise ValidationError(f"Đơn vị “{lead.name}” đã hết hiệu lực.")
        before = snapshot(task)
        before["cooperating_units"] = sorted(task.cooperating_units.values_list("pk", flat=True))
        for f, v in changes.items():
            setattr(task, f, v.strip() if f == "title" else v)
        task.version += 1
        task.save()
        if cooperating_units is not None:
            task.cooperating_units.set([u for u in cooperating_units if u.pk != task.lead_unit_id])
        after = snapshot(task)
        after["cooperating_units"] = sorted(task.cooperating_units.values_list("pk", flat=True))
        record("update_task", task, acting_user=acting_user, before=before, after=after, unit=task.lead_unit)
    return task
