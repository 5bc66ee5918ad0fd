from __future__ import annotations

from django.db import models

from nghiquyet.core.text import normalize_name, vn_collation_string
from nghiquyet.orgs.models import UnitKind

from .signs import DOCUMENT_KINDS


class Document(models.Model):
    """A resolution, directive, conclusion, program, plan… and its place in
    the chain: the documents it implements and those implementing it."""

    kind = models.CharField("loại văn bản", max_length=16, choices=DOCUMENT_KINDS)
    number = models.CharField("số", max_length=32, blank=True)
    sign = models.CharField("số, ký hiệu", max_length=64, blank=True, db_index=True)
    issuing_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="cơ quan ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer_name = models.CharField("cơ quan ban hành (theo văn bản)", max_length=255, blank=True)
    issued = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    summary = models.TextField("tóm tắt", blank=True)
    term_start = models.PositiveSmallIntegerField("nhiệm kỳ từ năm", null=True, blank=True)
    term_end = models.PositiveSmallIntegerField("nhiệm kỳ đến năm", null=True, blank=True)
    valid_to = models.DateField("hết hiệu lực từ", null=True, blank=True)
    implements = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="implemented_by", verbose_name="thực hiện văn bản"
    )
    title_key = models.CharField(max_length=500, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every edit: a writer states the version it read (API PATCH, edit form).
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued", "-id"]
        indexes = [models.Index(fields=["kind", "number"])]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.sign:
            return f"{label} số {self.sign}"
        if self.number:
            return f"{label} số {self.number}"
        return f"{label} {self.title}"[:120]

    def save(self, *args, **kwargs):
        self.title_key = normalize_name(self.title)[:500]
        self.sort_key = vn_collation_string(self.title)
        super().save(*args, **kwargs)

    @property
    def is_reference(self) -> bool:
        """Issued above a province (the centre's resolutions, or an issuer
        outside the tree): a shared record any administrator may record
        and link to, matched by its sign, never duplicated."""
        return self.issuing_unit_id is None or self.issuing_unit.kind == UnitKind.CENTRAL

    @property
    def term_label(self) -> str:
        if self.term_start and self.term_end:
            return f"{self.term_start}–{self.term_end}"
        return ""
