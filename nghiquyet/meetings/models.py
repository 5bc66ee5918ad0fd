from __future__ import annotations

from django.db import models


class MeetingKind(models.TextChoices):
    EXECUTIVE = "bch", "Hội nghị Ban Chấp hành"
    STANDING = "btv", "Hội nghị Ban Thường vụ"
    REVIEW = "so_ket_tong_ket", "Hội nghị sơ kết, tổng kết"
    PILOT_CONGRESS = "duyet_dai_hoi", "Duyệt điểm đại hội"
    CONGRESS = "dai_hoi", "Đại hội"
    WORKING = "lam_viec", "Buổi làm việc"
    OTHER = "khac", "Hội nghị khác"


class Meeting(models.Model):
    kind = models.CharField("loại", max_length=24, choices=MeetingKind.choices)
    title = models.CharField("tên hội nghị", max_length=500)
    date = models.DateField("ngày", db_index=True)
    end_date = models.DateField("đến ngày", null=True, blank=True)
    organiser = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="meetings", verbose_name="đơn vị tổ chức"
    )
    online = models.BooleanField("trực tuyến", default=False)
    bridge_points = models.PositiveIntegerField("số điểm cầu", null=True, blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="meetings", verbose_name="văn bản được xem xét"
    )
    summary = models.TextField("nội dung", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def chairs(self):
        return self.participants.filter(role=Participant.Role.CHAIR)


class Participant(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chủ trì"
        ATTENDEE = "attendee", "Dự"
        PRESENTER = "presenter", "Trình bày"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices, default=Role.ATTENDEE)
    title = models.CharField("chức vụ khi dự", max_length=500, blank=True)

    class Meta:
        verbose_name = "thành phần dự"
        verbose_name_plural = "thành phần dự"
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_unique")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class Conclusion(models.Model):
    """One point of a meeting's conclusion; it may give rise to tasks."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveIntegerField("thứ tự", default=0)
    text = models.TextField("nội dung kết luận")

    class Meta:
        verbose_name = "kết luận"
        verbose_name_plural = "kết luận"
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
