"""Guarded reads of meetings.

A meeting is visible when its organiser lies in one of the user's subtrees,
or when one of its conclusions gave a task led by a unit there (a commune
sees the provincial meeting that assigned it work, not the others).
Creating a meeting needs the reporter role (or higher) over the organiser.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import path_q, scope_paths
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
