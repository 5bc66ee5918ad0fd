"""Audit rows are written only from inside actions, in their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from typing import Any

from django.db import models, transaction

from nghiquyet.core.numbers import stored_figure

from .models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(stored_figure(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict[str, Any] | None:
    """The concrete field values of ``obj`` as JSON-ready data (FKs as ids)."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = _jsonable(getattr(obj, field.attname))
    return data


_PLAIN = {
    "AutoField", "BigAutoField", "ForeignKey", "CharField", "TextField", "BooleanField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "IntegerField", "BigIntegerField",
}  # fmt: skip


def _iso(value):
    return None if value is None else value.isoformat()


def _dec(value):
    # Every digit, at least four decimal places: a figure reads the same
    # whatever the column's precision.
    return None if value is None else str(stored_figure(value))


@functools.cache
def _converters(model: type[models.Model]) -> list[tuple[str, str, Any]]:
    """(name, attname, converter or None) per concrete field: a bulk write
    snapshots tens of thousands of rows, so the type is looked at once."""
    out = []
    for f in model._meta.concrete_fields:
        kind = f.get_internal_type()
        conv = (
            None
            if kind in _PLAIN
            else _dec
            if kind == "DecimalField"
            else _iso
            if kind in ("DateField", "DateTimeField")
            else _jsonable
        )
        out.append((f.name, f.attname, conv))
    return out


def snapshot_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """``snapshot`` of a row given as {attname: value}, as a bulk write holds
    it (no model instance): the same keys and the same JSON-ready values."""
    return {
        name: values[att] if conv is None else conv(values[att]) for name, att, conv in _converters(model)
    }


def record(
    action: str,
    obj: models.Model,
    *,
    acting_user,
    before: dict | None = None,
    after: dict | None = None,
    unit=None,
) -> AuditEntry:
    """Write one audit row. Must run inside the caller's transaction, so the
    change and its record are written together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic")
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit=unit,
        before=before,
        after=after if after is not None else snapshot(obj),
    )


def record_many(action: str, model: type[models.Model], rows, *, acting_user, at) -> int:
    """Write one audit row per changed object of a bulk write, in plain SQL
    (``core.bulksql``): ``rows`` are (pk, repr, unit id, before, after).
    Same rows as ``record`` writes, and the same rule: inside the caller's
    transaction. Returns how many were written."""
    from nghiquyet.core import bulksql

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside transaction.atomic")
    user_id = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    label = model._meta.label_lower
    out = [
        (at, user_id, action, label, str(pk), str(text)[:255], unit_id, before, after)
        for pk, text, unit_id, before, after in rows
    ]
    bulksql.insert(
        AuditEntry,
        ["at", "actor", "action", "object_type", "object_id", "object_repr", "unit", "before", "after"],
        out,
    )
    return len(out)
