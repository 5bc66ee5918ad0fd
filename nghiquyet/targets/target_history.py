"""What a target said on a given date: its attributes and milestones as
they stood then, read from its revisions (targets.models.TargetRevision).

A report on 2026 written after the term goal was raised in 2027 states the
goal that was in force for its period, and says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from nghiquyet.audit.actions import snapshot

from .actions import TARGET_FIELDS
from .models import Target, TargetRevision


def _as_datetime(on: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(on, dt.datetime):
        return on if timezone.is_aware(on) else timezone.make_aware(on)
    # A date means the whole of that day, in the product's time zone.
    return timezone.make_aware(dt.datetime.combine(on, dt.time.max))


def target_on(target: Target, on: dt.date | dt.datetime) -> dict:
    """The target's attributes and milestones ({"2026": "200.0000"}) in
    force on ``on``, with "version": the first revision replaced after
    ``on`` held them; with none, the target as it stands."""
    when = _as_datetime(on)
    rev = (
        TargetRevision.objects.filter(target=target, replaced_at__gt=when)
        .order_by("version")
        .values_list("version", "data")
        .first()
    )
    if rev is not None:
        return {**rev[1], "version": rev[0]}
    data = snapshot(target, list(TARGET_FIELDS))
    data["milestones"] = {str(m.year): str(m.value) for m in target.milestones.order_by("year")}
    return {**data, "version": target.version}


def goal_on(target: Target, year: int | None, on: dt.date | dt.datetime) -> Decimal | None:
    """The goal to reach in ``year`` as it stood on ``on``: the year's
    milestone when one was set, else the term's (Target.goal_for, in the past)."""
    data = target_on(target, on)
    raw = data["milestones"].get(str(year)) if year is not None else None
    raw = raw if raw is not None else data["target_value"]
    return None if raw is None else Decimal(raw)


def target_history(target: Target) -> list[dict]:
    """Each version the target went through, oldest first, with when it was
    replaced (None: in force now) and by whom."""
    rows = [
        {"version": r.version, "data": r.data, "replaced_at": r.replaced_at, "replaced_by": r.replaced_by}
        for r in TargetRevision.objects.filter(target=target)
        .select_related("replaced_by")
        .order_by("version")
    ]
    rows.append(
        {
            "version": target.version,
            "data": target_on(target, timezone.now()),
            "replaced_at": None,
            "replaced_by": None,
        }
    )
    return rows
