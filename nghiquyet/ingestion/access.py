"""Guarded reads of sources and suggestions."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import path_q, scope_paths
from nghiquyet.accounts.models import Role

from .models import Source, Suggestion


def visible_sources(user, min_role: str = Role.VIEWER) -> QuerySet[Source]:
    """Sources received by a unit in the user's subtrees, and those the
    user ingested themselves."""
    paths = scope_paths(user, min_role)
    if paths == [""]:
        return Source.objects.all()
    if not paths and not getattr(user, "is_authenticated", False):
        return Source.objects.none()
    return Source.objects.filter(path_q(paths, "unit__path") | Q(created_by_id=user.pk))


def access_source(user, source_id, min_role: str = Role.VIEWER) -> Source:
    """The source if the user may see it, else 404."""
    try:
        return visible_sources(user, min_role).get(pk=source_id)
    except (Source.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy nguồn tin.") from None


def access_suggestion(user, suggestion_id, min_role: str = Role.REPORTER) -> Suggestion:
    """A suggestion the user may decide on (reporter or above on the source's unit), else 404."""
    try:
        return Suggestion.objects.select_related("source").get(
            pk=suggestion_id, source__in=visible_sources(user, min_role)
        )
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy dữ kiện.") from None
