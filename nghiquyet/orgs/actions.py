"""Writes to the organisation tree: every one atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from nghiquyet.audit.actions import record, snapshot

from .models import OrgUnit, Person, Position, UnitEvent, UnitLink, UnitSuccessor


def do_create_unit(
    *,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    acting_user,
    code: str = "",
    short_name: str = "",
    valid_from: dt.date | None = None,
    area=None,
) -> OrgUnit:
    """Create a unit under ``parent`` (or a root)."""
    if not name.strip():
        raise ValidationError("Tên đơn vị không được để trống.")
    if parent is not None and parent.valid_to is not None:
        raise ValidationError(f"Đơn vị cấp trên “{parent.name}” đã hết hiệu lực.")
    with transaction.atomic():
        unit = OrgUnit(
            name=name.strip(),
            kind=kind,
            parent=parent,
            code=code,
            short_name=short_name,
            valid_from=valid_from,
            area=area,
        )
        unit.save()
        record("create_unit", unit, acting_user=acting_user, unit=unit)
    return unit


def do_move_unit(unit: OrgUnit, new_parent: OrgUnit, *, effective: dt.date, acting_user) -> UnitEvent:
    """Move ``unit`` (and its subtree) under ``new_parent``: saving the new
    parent rewrites every path in the subtree in one UPDATE (OrgUnit.save).
    A move under its own subtree would make a cycle and is refused."""
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            f"Không thể chuyển “{unit.name}” vào “{new_parent.name}”: đơn vị mới nằm trong chính đơn vị cần chuyển."
        )
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        before = snapshot(unit)
        old_parent = unit.parent
        unit.parent = new_parent
        unit.save()
        event = UnitEvent.objects.create(
            kind=UnitEvent.Kind.MOVE, effective=effective, old_parent=old_parent, new_parent=new_parent
        )
        UnitLink.objects.create(event=event, predecessor=unit, successor=unit)
        record("move_unit", unit, acting_user=acting_user, before=before, unit=unit)
    return event


def do_rename_unit(unit: OrgUnit, new_name: str, *, effective: dt.date, acting_user) -> UnitEvent:
    """Rename ``unit``; the old name stays readable for dates before ``effective``."""
    if not new_name.strip():
        raise ValidationError("Tên đơn vị không được để trống.")
    with transaction.atomic():
        before = snapshot(unit)
        event = UnitEvent.objects.create(kind=UnitEvent.Kind.RENAME, effective=effective, old_name=unit.name)
        UnitLink.objects.create(event=event, predecessor=unit, successor=unit)
        unit.name = new_name.strip()
        unit.save()
        record("rename_unit", unit, acting_user=acting_user, before=before, unit=unit)
    return event


def _check_restructure(units: list[OrgUnit], effective: dt.date) -> None:
    for u in units:
        if u.valid_to is not None and u.valid_to < effective:
            raise ValidationError(f"Đơn vị “{u.name}” đã hết hiệu lực từ {u.valid_to:%d/%m/%Y}.")
    if len({u.pk for u in units}) != len(units):
        raise ValidationError("Một đơn vị được nêu hai lần.")


def _retire(unit: OrgUnit, effective: dt.date) -> None:
    OrgUnit.objects.filter(pk=unit.pk).update(valid_to=effective - dt.timedelta(days=1))


def do_merge_units(
    predecessors: list[OrgUnit],
    *,
    into: OrgUnit | None = None,
    name: str = "",
    kind: str | None = None,
    parent: OrgUnit | None = None,
    effective: dt.date,
    acting_user,
    decision: str = "",
) -> OrgUnit:
    """Merge ``predecessors`` into ``into`` (an existing unit that goes on)
    or into a new unit named ``name`` under ``parent``. The predecessors
    that do not go on are closed the day before ``effective``; their
    results count toward the successor when reading today's tree."""
    if len(predecessors) < 1 or (into is None and len(predecessors) < 2):
        raise ValidationError("Sáp nhập cần ít nhất hai đơn vị.")
    _check_restructure(predecessors, effective)
    with transaction.atomic():
        if into is None:
            if parent is None:
                parent = predecessors[0].parent
            successor = do_create_unit(
                name=name,
                kind=kind or predecessors[0].kind,
                parent=parent,
                valid_from=effective,
                acting_user=acting_user,
            )
        else:
            successor = into
        event = UnitEvent.objects.create(kind=UnitEvent.Kind.MERGE, effective=effective, decision=decision)
        for p in predecessors:
            if p.pk == successor.pk:
                continue
            if p.descendants().current().exists():
                raise ValidationError(
                    f"Đơn vị “{p.name}” còn đơn vị trực thuộc đang hoạt động; cần chuyển các đơn vị đó trước."
                )
            UnitLink.objects.create(event=event, predecessor=p, successor=successor, share=Decimal(1))
            _retire(p, effective)
        rebuild_successors([p for p in predecessors if p.pk != successor.pk])
        record(
            "merge_units",
            event,
            acting_user=acting_user,
            after={
                "predecessors": [p.pk for p in predecessors],
                "successor": successor.pk,
                "effective": effective.isoformat(),
            },
            unit=successor,
        )
    return successor


def do_split_unit(
    unit: OrgUnit,
    parts: list[tuple[OrgUnit, Decimal]],
    *,
    effective: dt.date,
    acting_user,
    decision: str = "",
) -> UnitEvent:
    """Divide ``unit`` among existing successor units, each taking a share
    (shares add up to 1). The unit is closed the day before ``effective``."""
    if len(parts) < 2:
        raise ValidationError("Chia tách cần ít nhất hai đơn vị kế thừa.")
    total = sum((share for _, share in parts), Decimal(0))
    if abs(total - 1) > Decimal("0.0001"):
        raise ValidationError(f"Tổng tỷ lệ chia tách phải bằng 1 (hiện là {total}).")
    _check_restructure([unit] + [p for p, _ in parts], effective)
    with transaction.atomic():
        event = UnitEvent.objects.create(kind=UnitEvent.Kind.SPLIT, effective=effective, decision=decision)
        for successor, share in parts:
            if successor.pk == unit.pk:
                raise ValidationError("Đơn vị kế thừa phải khác đơn vị bị chia tách.")
            UnitLink.objects.create(event=event, predecessor=unit, successor=successor, share=share)
        _retire(unit, effective)
        rebuild_successors([unit])
        record(
            "split_unit",
            event,
            acting_user=acting_user,
            after={
                "unit": unit.pk,
                "parts": [[s.pk, str(share)] for s, share in parts],
            },
            unit=unit,
        )
    return event


def rebuild_successors(units: list[OrgUnit]) -> None:
    """Recompute ``UnitSuccessor`` for ``units`` and everything that led to
    them: the current units each one's results now count toward, with the
    product of shares along the way. Lineage graphs are tiny (a handful of
    edges per unit), so this walks them level by level, one query each."""
    # Everything upstream of the changed units must be recomputed too.
    todo = {u.pk for u in units}
    frontier = set(todo)
    while frontier:
        ups = set(
            UnitLink.objects.filter(successor_id__in=frontier)
            .exclude(predecessor_id__in=todo)
            .exclude(predecessor=F("successor"))
            .values_list("predecessor_id", flat=True)
        )
        todo |= ups
        frontier = ups
    edges: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    frontier = set(todo)
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        rows = list(
            UnitLink.objects.filter(predecessor_id__in=frontier)
            .exclude(predecessor=F("successor"))
            .values_list("predecessor_id", "successor_id", "share")
        )
        for pred, succ, share in rows:
            edges[pred].append((succ, share))
        frontier = {succ for _, succ, _ in rows} - seen
    current = set(OrgUnit.objects.filter(pk__in=seen, valid_to__isnull=True).values_list("pk", flat=True))

    def resolve(pk: int, share: Decimal, acc: dict[int, Decimal], depth: int = 0) -> None:
        if depth > 50:
            raise ValidationError("Chuỗi kế thừa đơn vị có vòng lặp.")
        if pk in current:
            acc[pk] = acc.get(pk, Decimal(0)) + share
            return
        for succ, s in edges.get(pk, []):
            resolve(succ, share * s, acc, depth + 1)

    UnitSuccessor.objects.filter(unit_id__in=todo).delete()
    rows_out = []
    for pk in todo:
        if pk in current:
            continue
        acc: dict[int, Decimal] = {}
        resolve(pk, Decimal(1), acc)
        rows_out += [UnitSuccessor(unit_id=pk, successor_id=s, share=round(v, 6)) for s, v in acc.items()]
    UnitSuccessor.objects.bulk_create(rows_out)


def do_add_position(
    person: Person,
    *,
    title: str,
    unit: OrgUnit | None,
    start: dt.date | None,
    end: dt.date | None = None,
    acting_user,
) -> Position:
    """Give ``person`` a position; several may run at once."""
    if not title.strip():
        raise ValidationError("Chức vụ không được để trống.")
    if start and end and end < start:
        raise ValidationError("Ngày kết thúc chức vụ phải sau ngày bắt đầu.")
    with transaction.atomic():
        position = Position.objects.create(
            person=person, title=title.strip(), unit=unit, start=start, end=end
        )
        record("add_position", position, acting_user=acting_user, unit=unit)
    return position


def do_create_person(*, full_name: str, acting_user, birth_year: int | None = None) -> Person:
    if not full_name.strip():
        raise ValidationError("Họ và tên không được để trống.")
    with transaction.atomic():
        person = Person.objects.create(full_name=" ".join(full_name.split()), birth_year=birth_year)
        record("create_person", person, acting_user=acting_user)
    return person
