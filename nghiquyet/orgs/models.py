"""The organisation tree as it is and as it was, and the people in it."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr

from nghiquyet.core.text import fold, normalize_name, vn_collation_string

# Paths are fixed-width hex ids joined by "/": a subtree is the range
# [path, path + "~") on one index, on SQLite and PostgreSQL alike.
PATH_SEGMENT_WIDTH = 8
PATH_END = "~"  # sorts after every hex digit and "/" byte by byte (PathField)


class PathField(models.CharField):
    """A tree path, compared byte by byte. Under a database locale such as
    vi-VN (ICU) "~" sorts before the digits and the subtree range would hold
    the unit alone, so on PostgreSQL the column has the "C" collation.
    SQLite compares text as bytes already (and knows no "C" collation)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def fold_unit_name(name: str, short_name: str = "", code: str = "") -> str:
    """The search key of a unit: its names and code, folded."""
    return fold(" ".join(x for x in (name, short_name, code) if x))[:255]


def path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}x}/"


def subtree_q(unit_or_path: OrgUnit | str, field: str = "path", include_self: bool = True) -> Q:
    """Rows whose ``field`` (a unit's path, or ``lead_unit__path`` and the
    like) lies in the subtree: one indexed range."""
    path = unit_or_path if isinstance(unit_or_path, str) else unit_or_path.path
    lower = "gte" if include_self else "gt"
    return Q(**{f"{field}__{lower}": path, f"{field}__lt": path + PATH_END})


class AdminArea(models.Model):
    """An administrative unit (tỉnh, xã, phường, đặc khu; legacy huyện and
    xã before 1 July 2025), loaded offline from the vietnamadminunits data."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "Tỉnh, thành phố"
        DISTRICT = 2, "Huyện, quận, thị xã, thành phố thuộc tỉnh"
        COMMUNE = 3, "Xã, phường, thị trấn, đặc khu"

    code = models.CharField("mã", max_length=16)
    name = models.CharField("tên", max_length=128)
    short_name = models.CharField("tên ngắn", max_length=128, blank=True)
    kind = models.CharField("loại", max_length=32, blank=True)
    level = models.PositiveSmallIntegerField("cấp", choices=Level.choices)
    legacy = models.BooleanField("trước 01/7/2025", default=False)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area_km2 = models.DecimalField("diện tích (km²)", max_digits=12, decimal_places=2, null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    name_key = models.CharField(max_length=128, db_index=True, editable=False)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        constraints = [
            models.UniqueConstraint(fields=["legacy", "level", "code"], name="adminarea_unique_code")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.short_name or self.name)
        super().save(*args, **kwargs)


class AdminAreaSuccession(models.Model):
    """A legacy commune (or part of it) that became part of a current one."""

    old = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="predecessions")
    partial = models.BooleanField("chỉ một phần", default=False)

    class Meta:
        verbose_name = "sáp nhập đơn vị hành chính"
        verbose_name_plural = "sáp nhập đơn vị hành chính"
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="adminarea_succession_unique")]


class UnitKind(models.TextChoices):
    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Tỉnh ủy, Thành ủy"
    COMMUNE = "commune", "Đảng ủy xã, phường, đặc khu"
    DISTRICT = "district", "Huyện ủy, Thị ủy, Thành ủy trực thuộc tỉnh (trước 01/7/2025)"
    GRASSROOTS = "grassroots", "Đảng bộ cơ sở"
    CELL = "cell", "Chi bộ"
    BLOC = "bloc", "Đảng ủy khối"
    BOARD = "board", "Ban, cơ quan tham mưu của cấp ủy"
    COUNCIL = "council", "Hội đồng nhân dân"
    COMMITTEE = "committee", "Ủy ban nhân dân"
    AGENCY = "agency", "Sở, ban, ngành"
    FRONT = "front", "Mặt trận Tổ quốc, đoàn thể"


class OrgUnitQuerySet(models.QuerySet):
    def subtree(self, unit: OrgUnit, include_self: bool = True) -> OrgUnitQuerySet:
        """The unit and everything under it: one indexed range query."""
        qs = self.filter(subtree_q(unit))
        return qs if include_self else qs.exclude(pk=unit.pk)

    def valid_on(self, day: dt.date) -> OrgUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self) -> OrgUnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def vn_ordered(self) -> OrgUnitQuerySet:
        return self.order_by("sort_key", "pk")


class OrgUnit(models.Model):
    """A Party committee, organisation or state body, in one tree.

    A merged or abolished unit keeps its row, its place in the tree of its
    time and ``valid_to``; its results stay with it and are read toward its
    successors through ``UnitSuccessor``.
    """

    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=128, blank=True)
    kind = models.CharField("loại", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="trực thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = PathField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField("mã", max_length=32, blank=True, db_index=True)
    area = models.ForeignKey(
        AdminArea,
        verbose_name="địa bàn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    name_key = models.CharField(max_length=255, editable=False, db_index=True)
    # Accent- and case-free name for search ("duc tho" finds "Đức Thọ"); set
    # with the other keys. Rows written with bulk_create must set it too.
    fold_key = models.CharField(max_length=255, editable=False, blank=True, default="")

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        indexes = [
            models.Index(fields=["parent", "sort_key"]),
            models.Index(fields=["kind", "valid_to"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_keys()
        if self.pk is None:
            # The path needs the id: insert with a unique placeholder, then set it.
            self.path = "tmp-" + uuid.uuid4().hex
            super().save(*args, **kwargs)
            self.path = (self.parent.path if self.parent_id else "") + path_segment(self.pk)
            self.depth = self.parent.depth + 1 if self.parent_id else 0
            type(self).objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            return
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "parent" not in update_fields and "parent_id" not in update_fields:
            super().save(*args, **kwargs)
            return
        # A new parent moves the whole subtree, whoever saves (the move
        # action, a script): paths are what access and roll-ups read.
        with transaction.atomic():
            old = (
                type(self)
                .objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("parent_id", "path", "depth")
                .first()
            )
            if old is None or old[0] == self.parent_id:
                super().save(*args, **kwargs)
                return
            _, old_path, old_depth = old
            new_parent = self.parent
            if new_parent is not None and new_parent.path.startswith(old_path):
                raise ValidationError(
                    f"Không thể chuyển “{self.name}” vào “{new_parent.name}”: "
                    "đơn vị mới nằm trong chính đơn vị cần chuyển."
                )
            new_path = (new_parent.path if new_parent else "") + path_segment(self.pk)
            new_depth = new_parent.depth + 1 if new_parent else 0
            self.path, self.depth = new_path, new_depth
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "path", "depth"}
            super().save(*args, **kwargs)
            type(self).objects.filter(subtree_q(old_path)).exclude(pk=self.pk).update(
                path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
                depth=F("depth") + (new_depth - old_depth),
            )

    def refresh_keys(self) -> None:
        self.sort_key = vn_collation_string(self.name)
        self.name_key = normalize_name(self.name)
        self.fold_key = fold_unit_name(self.name, self.short_name, self.code)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def ancestors(self) -> OrgUnitQuerySet:
        """The units above this one, root first: ids read from the path."""
        ids = [int(seg, 16) for seg in self.path.strip("/").split("/")[:-1]]
        return OrgUnit.objects.filter(pk__in=ids).order_by("depth")

    def descendants(self) -> OrgUnitQuerySet:
        return OrgUnit.objects.subtree(self, include_self=False)

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def parent_on(self, day: dt.date) -> OrgUnit | None:
        """The unit this one belonged to on ``day``: moves are lineage
        events, so the first move after ``day`` tells where it was."""
        move = (
            UnitEvent.objects.filter(kind=UnitEvent.Kind.MOVE, links__predecessor=self, effective__gt=day)
            .select_related("old_parent")
            .order_by("effective", "id")
            .first()
        )
        return move.old_parent if move else self.parent

    def name_on(self, day: dt.date) -> str:
        """The name the unit bore on ``day`` (renames are lineage events)."""
        rename = (
            UnitEvent.objects.filter(kind=UnitEvent.Kind.RENAME, links__successor=self, effective__gt=day)
            .order_by("effective")
            .first()
        )
        return rename.old_name if rename and rename.old_name else self.name


class UnitEvent(models.Model):
    """A change of the tree on an effective date: merge, split, rename, move,
    establishment or dissolution. Its links say which units became which."""

    class Kind(models.TextChoices):
        ESTABLISH = "establish", "Thành lập"
        MERGE = "merge", "Sáp nhập, hợp nhất"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        MOVE = "move", "Điều chuyển"
        DISSOLVE = "dissolve", "Giải thể"

    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    effective = models.DateField("ngày hiệu lực", db_index=True)
    note = models.TextField("ghi chú", blank=True)
    decision = models.CharField("căn cứ (số văn bản)", max_length=128, blank=True)
    old_name = models.CharField("tên cũ", max_length=255, blank=True)
    old_parent = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="trực thuộc cũ",
    )
    new_parent = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="trực thuộc mới",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thay đổi tổ chức"
        verbose_name_plural = "thay đổi tổ chức"
        ordering = ["effective", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective:%d/%m/%Y})"


class UnitLink(models.Model):
    """One edge of an event: ``predecessor`` became (part of) ``successor``.
    ``share`` is the part of the predecessor that went there (1 for a whole
    unit; a split divides it)."""

    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="predecessor_links")
    share = models.DecimalField("tỷ lệ", max_digits=7, decimal_places=6, default=1)

    class Meta:
        verbose_name = "liên kết kế thừa"
        verbose_name_plural = "liên kết kế thừa"
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="unitlink_unique")
        ]


class UnitSuccessor(models.Model):
    """Closure of the lineage: which current unit(s) a retired unit's
    results count toward when reading today's tree, and with what share.
    Rebuilt by the lineage actions; read by the roll-up in one join."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="current_successors")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="retired_predecessors")
    share = models.DecimalField(max_digits=7, decimal_places=6, default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "successor"], name="unitsuccessor_unique")]


class Person(models.Model):
    full_name = models.CharField("họ và tên", max_length=128)
    name_key = models.CharField(max_length=128, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.full_name)
        # Vietnamese lists sort by given name (the last word), then the rest.
        words = self.full_name.split()
        self.sort_key = vn_collation_string(" ".join(words[-1:] + words[:-1]))
        super().save(*args, **kwargs)

    def positions_on(self, day: dt.date):
        return self.positions.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )


class Position(models.Model):
    """A title a person holds in a unit over a time; several at once."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name="cá nhân"
    )
    title = models.CharField("chức vụ", max_length=255)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
        verbose_name="đơn vị",
    )
    start = models.DateField("từ ngày", null=True, blank=True)
    end = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "chức vụ"
        ordering = ["person", "-start"]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"
