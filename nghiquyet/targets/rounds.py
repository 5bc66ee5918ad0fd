"""Reporting rounds (đợt báo cáo): when a unit may still write its figures.

Models of the targets app (imported by ``models.py``), so that the one
writer of results (``actions.do_save_results``) checks its locks in
``locks.py`` without importing a higher layer. The pages and the API of
rounds live in ``nghiquyet.rounds``, which imports this app, never the
other way round.

- A round, for one or more documents, a unit and a period, sets a deadline
  per unit kind below it (``RoundDeadline`` with ``unit_kind``), and may
  tighten or extend it for one unit and its subtree (``unit``).
- ``EntryException``: the level above reopens entry for a unit of its
  subtree until a day (within a round, or for a period with no round).
- ``RoundReport``: the unit's signed written report (.docx or .pdf).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nghiquyet.core.periods import Period, parse_period_key


class ReportingRound(models.Model):
    name = models.CharField("tên đợt", max_length=255, blank=True)
    documents = models.ManyToManyField("documents.Document", related_name="rounds", verbose_name="văn bản")
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="rounds", verbose_name="đơn vị mở đợt"
    )
    period_key = models.CharField("kỳ", max_length=32)
    period_start = models.DateField()
    period_end = models.DateField()
    grace_days = models.PositiveSmallIntegerField("số ngày ân hạn", default=0)
    # The first day figures are accepted; None: the period's first day.
    opens_on = models.DateField("ngày mở", null=True, blank=True)
    closed_at = models.DateTimeField("thời điểm kết thúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "đợt báo cáo"
        verbose_name_plural = "đợt báo cáo"
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["period_end", "period_start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> Period:
        return parse_period_key(self.period_key)

    @property
    def title(self) -> str:
        return self.name or f"Đợt báo cáo {self.period.label}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class RoundDeadline(models.Model):
    """The last day (inclusive, Vietnam's date) a level reports: for every
    unit of ``unit_kind``, or for ``unit`` and its subtree (which wins)."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="deadlines")
    unit_kind = models.CharField("loại đơn vị", max_length=16, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="đơn vị",
    )
    due = models.DateField("hạn báo cáo")

    class Meta:
        verbose_name = "hạn báo cáo"
        verbose_name_plural = "hạn báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit_kind"],
                condition=models.Q(unit__isnull=True),
                name="deadline_unique_kind",
            ),
            models.UniqueConstraint(
                fields=["round", "unit"], condition=models.Q(unit__isnull=False), name="deadline_unique_unit"
            ),
        ]


class EntryException(models.Model):
    """Entry reopened for ``unit`` (and its subtree) until ``until``
    (inclusive), granted by the level above."""

    round = models.ForeignKey(
        ReportingRound, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions"
    )
    # The period when there is no round (a round's exceptions use its period).
    period_key = models.CharField("kỳ", max_length=32)
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="entry_exceptions", verbose_name="đơn vị"
    )
    until = models.DateField("cho phép đến hết ngày")
    reason = models.TextField("lý do", blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cho phép nhập bổ sung"
        verbose_name_plural = "cho phép nhập bổ sung"
        indexes = [models.Index(fields=["period_key", "until"])]


def round_report_path(instance: RoundReport, filename: str) -> str:
    return f"dot-bao-cao/{instance.round_id}/{instance.unit_id}/{filename}"


class RoundReport(models.Model):
    """A unit's signed written report for a round (the last one sent)."""

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    file = models.FileField("tệp", upload_to=round_report_path, max_length=500)
    name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField(default=0)
    on_time = models.BooleanField("đúng hạn", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "báo cáo bằng văn bản"
        verbose_name_plural = "báo cáo bằng văn bản"
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="round_report_unique")]
