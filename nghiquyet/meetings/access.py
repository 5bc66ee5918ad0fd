"""Guarded reads of meetings.

A meeting is visible when its organiser lies in one of the user's subtrees,
or when one of its conclusions gave a task led by a unit there (a commune
sees the provincial meeting that assigned it work, not the others).
Creating a meeting on the pages needs the reporter role (or higher) over
the organiser; through the API, the approver role (or admin): a script
creating meetings and the tasks they give acts for the unit's leadership.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.tasks.models import Task

from .models import Meeting


def visible_meetings(user) -> QuerySet[Meeting]:
    """Meetings organised in, or assigning tasks to, the user's subtrees."""
    paths = scope_paths(user)
    if paths == [""]:
        return Meeting.objects.all()
    tasked = Task.objects.filter(path_q(paths, "lead_unit__path"), source_conclusion__isnull=False).values(
        "source_conclusion__meeting_id"
    )
    return Meeting.objects.filter(Q(path_q(paths, "organiser__path")) | Q(pk__in=tasked))


def access_meeting(user, meeting_id) -> Meeting:
    """The meeting if ``user`` may see it, else 404."""
    try:
        return visible_meetings(user).select_related("organiser").get(pk=meeting_id)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy hội nghị.") from None


def access_leading_unit(user, unit_id, what: str = "đơn vị") -> OrgUnit:
    """A current unit where ``user`` holds approver or admin: one they may
    organise a meeting for, or give a task to, through the API. 404 outside
    their subtrees; PermissionDenied where they hold a lesser role."""
    unit = access_unit(user, unit_id)
    if not has_role(user, unit, Role.APPROVER):
        raise PermissionDenied(f"Đồng chí cần quyền phê duyệt hoặc quản trị tại {what} “{unit.name}”.")
    if unit.valid_to is not None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit
