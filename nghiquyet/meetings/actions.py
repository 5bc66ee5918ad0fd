"""Writes for meetings: the meeting, who took part, and conclusions that become tasks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.audit.actions import record
from nghiquyet.tasks.actions import do_create_task
from nghiquyet.tasks.models import TaskKind

from .models import Conclusion, Meeting, Participant


@dataclass
class ConclusionSpec:
    """A conclusion and the tasks it gives: (title, lead unit, deadline, kind)."""

    text: str
    tasks: list[tuple[str, object, dt.date | None, str]] = field(default_factory=list)


def do_create_meeting(
    *,
    kind: str,
    title: str,
    date: dt.date,
    organiser,
    acting_user,
    online: bool = False,
    bridge_points: int | None = None,
    documents=(),
    participants: list[tuple[object, str, str]] = (),
    conclusions: list[ConclusionSpec] = (),
    summary: str = "",
) -> Meeting:
    """Create a meeting with its participants ((person, role, title)),
    the documents it reviewed and its conclusions; each conclusion's tasks
    are created with it. All or nothing."""
    if not title.strip():
        raise ValidationError("Tên hội nghị không được để trống.")
    if bridge_points is not None and bridge_points < 0:
        raise ValidationError("Số điểm cầu không hợp lệ.")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            kind=kind,
            title=title.strip(),
            date=date,
            organiser=organiser,
            online=online or bool(bridge_points),
            bridge_points=bridge_points,
            summary=summary,
        )
        if documents:
            meeting.documents.set(documents)
        seen = set()
        for person, role, title_then in participants:
            if person.pk in seen:
                continue
            seen.add(person.pk)
            Participant.objects.create(meeting=meeting, person=person, role=role, title=title_then)
        for i, spec in enumerate(conclusions, start=1):
            if not spec.text.strip():
                raise ValidationError(f"Kết luận thứ {i} không có nội dung.")
            conclusion = Conclusion.objects.create(meeting=meeting, order=i, text=spec.text.strip())
            for task_title, lead, deadline, task_kind in spec.tasks:
                do_create_task(
                    title=task_title,
                    lead_unit=lead,
                    deadline=deadline,
                    kind=task_kind or TaskKind.ROUTINE,
                    source_conclusion=conclusion,
                    acting_user=acting_user,
                )
        record("create_meeting", meeting, acting_user=acting_user, unit=organiser)
    return meeting


def do_record_meeting(
    *,
    kind: str,
    title: str,
    date: dt.date,
    organiser,
    acting_user,
    people_in_scope,
    online: bool = False,
    bridge_points: int | None = None,
    documents=(),
    participants: list[tuple[str, str, str]] = (),
    conclusions: list[ConclusionSpec] = (),
    summary: str = "",
) -> Meeting:
    """Create a meeting as entered in the form: participants come by name
    ((full name, role, title)). A name is matched to an existing person
    only among ``people_in_scope`` (those holding a position in a unit the
    user may see), so a namesake elsewhere is never picked; otherwise the
    person is created. All in one transaction with the meeting."""
    from nghiquyet.core.text import normalize_name
    from nghiquyet.orgs.actions import do_create_person

    with transaction.atomic():
        resolved = []
        for name, role, title_then in participants:
            name = " ".join(name.split())
            if not name:
                continue
            person = people_in_scope.filter(name_key=normalize_name(name)).order_by("pk").first()
            if person is None:
                person = do_create_person(full_name=name, acting_user=acting_user)
            resolved.append((person, role, title_then.strip()))
        return do_create_meeting(
            kind=kind,
            title=title,
            date=date,
            organiser=organiser,
            acting_user=acting_user,
            online=online,
            bridge_points=bridge_points,
            documents=documents,
            participants=resolved,
            conclusions=conclusions,
            summary=summary,
        )
