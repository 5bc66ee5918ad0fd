"""Ingested texts and the facts proposed from them, waiting for a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Source(models.Model):
    """A text read into the system: an article, a report, a page, owned by
    the unit that received it. The same text twice in one unit is one
    source; another unit receiving it gets its own (each sees only its own,
    and nobody learns that another unit has the text)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xem xét"
        REVIEWED = "reviewed", "Đã xem xét xong"

    title = models.CharField("tiêu đề", max_length=500, blank=True)
    origin = models.CharField("nguồn", max_length=1000, blank=True, help_text="Địa chỉ trang hoặc tên tệp")
    file_kind = models.CharField("loại tệp", max_length=16, blank=True)
    encoding = models.CharField("bảng mã", max_length=32, blank=True)
    text = models.TextField("nội dung")
    text_hash = models.CharField(max_length=64, editable=False)
    published = models.CharField("ngày đăng", max_length=10, blank=True)
    authors = models.JSONField("tác giả", default=list, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="đơn vị tiếp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "nguồn tin"
        verbose_name_plural = "nguồn tin"
        ordering = ["-created_at", "-id"]
        constraints = [
            # Sources without a unit (the command without --unit) share NULL:
            # do_ingest dedupes those itself.
            models.UniqueConstraint(fields=["text_hash", "unit"], name="source_unique_text_per_unit"),
        ]

    def __str__(self) -> str:
        return self.title or self.origin or f"Nguồn #{self.pk}"


class Suggestion(models.Model):
    """One fact read from a source, tied to the text it came from. Nothing
    enters the records until a person accepts it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Hội nghị"
        DOCUMENT = "document", "Văn bản"
        PERSON = "person", "Cá nhân, chức vụ"
        FIGURE = "figure", "Số liệu"
        MERGE = "merge", "Sắp xếp đơn vị"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        ACCEPTED = "accepted", "Đã chấp nhận"
        REJECTED = "rejected", "Đã loại"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="suggestions")
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    data = models.JSONField("dữ kiện")
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    order = models.PositiveIntegerField(default=0)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField("lý do loại", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The record the suggestion became or was linked to: the source is
    # thereby recorded on it (a record's sources are its accepted suggestions).
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    created_record = models.BooleanField(default=False)

    class Meta:
        verbose_name = "dữ kiện đề xuất"
        verbose_name_plural = "dữ kiện đề xuất"
        ordering = ["source", "order", "id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"]),
            models.Index(fields=["source", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        d = self.data
        if self.kind == self.Kind.PERSON:
            titles = ", ".join(d.get("titles") or [])
            return f"{d.get('name', '')}" + (f" – {titles}" if titles else "")
        if self.kind == self.Kind.DOCUMENT:
            return d.get("symbol") or d.get("number") or d.get("name") or ""
        if self.kind == self.Kind.MEETING:
            return d.get("title") or ""
        if self.kind == self.Kind.FIGURE:
            total = f"/{d['total']}" if d.get("total") is not None else ""
            return f"{d.get('value')}{total} {d.get('unit') or ''}".strip()
        if self.kind == self.Kind.MERGE:
            return d.get("new") or d.get("name") or ""
        return ""

    @property
    def quote(self) -> str:
        return self.source.text[self.span_start : self.span_end]
