"""In-app notifications and the log of reminders already sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    DEADLINE_SOON = "han_sap_toi", "Sắp đến hạn báo cáo"
    LATE = "qua_han", "Quá hạn báo cáo"
    RETURNED = "tra_lai", "Số liệu bị trả lại"
    TO_APPROVE = "cho_duyet", "Số liệu chờ duyệt"
    TASK_DUE = "nhiem_vu", "Nhiệm vụ đến hạn"


class Notification(models.Model):
    """One message to one person, shown in the app (and sent by email when
    the person has an address)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="người nhận",
    )
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed = models.BooleanField("đã gửi thư", default=False)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class SentReminder(models.Model):
    """A reminder sent once: its key names what it is about and the stage
    (e.g. "round:7:unit:12:before5"); the unique key makes a second run,
    or two runs at once, send nothing again."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nhắc việc đã gửi"
        verbose_name_plural = "nhắc việc đã gửi"

    def __str__(self) -> str:
        return self.key
