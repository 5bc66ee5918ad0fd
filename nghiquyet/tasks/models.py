from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class TaskKind(models.TextChoices):
    KEY = "trong_tam", "Trọng tâm"
    BREAKTHROUGH = "dot_pha", "Đột phá"
    ROUTINE = "thuong_xuyen", "Thường xuyên"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "chua_thuc_hien", "Chưa thực hiện"
    IN_PROGRESS = "dang_thuc_hien", "Đang thực hiện"
    DONE = "hoan_thanh", "Hoàn thành"
    DONE_LATE = "hoan_thanh_qua_han", "Hoàn thành quá hạn"


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


class TaskQuerySet(models.QuerySet):
    def overdue(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, deadline__lt=today)


class Task(models.Model):
    """A qualitative task from a document or a meeting's conclusion."""

    title = models.CharField("nhiệm vụ", max_length=500)
    description = models.TextField("nội dung", blank=True)
    kind = models.CharField("loại", max_length=16, choices=TaskKind.choices, default=TaskKind.ROUTINE)
    source_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name="văn bản giao",
    )
    source_conclusion = models.ForeignKey(
        "meetings.Conclusion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name="kết luận hội nghị",
    )
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name="đơn vị chủ trì"
    )
    cooperating_units = models.ManyToManyField(
        "orgs.OrgUnit", blank=True, related_name="cooperating_tasks", verbose_name="đơn vị phối hợp"
    )
    deadline = models.DateField("thời hạn", null=True, blank=True, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=24, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every edit of what the task says (not by status moves): an
    # editor states the version it read.
    version = models.PositiveIntegerField(default=1, db_default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Quá hạn is derived from the date, never stored."""
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.deadline is not None and self.deadline < today

    def status_label(self, today: dt.date | None = None) -> str:
        if self.is_overdue(today):
            return f"{self.get_status_display()} (quá hạn)"
        return self.get_status_display()


class TaskStatusChange(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=24, choices=TaskStatus.choices, blank=True)
    new_status = models.CharField(max_length=24, choices=TaskStatus.choices)
    note = models.TextField("ghi chú", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "changed_at", "id"]
