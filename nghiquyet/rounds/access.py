"""Guarded reads of reporting rounds.

A round is visible to whoever sees its unit, and to everyone inside its
subtree (a commune's reporter sees the province's round that sets the
commune's deadline); anyone else gets 404, never 403."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.accounts.access import path_q, scope_paths
from nghiquyet.targets.models import ReportingRound


def _ancestor_ids(paths: list[str]) -> set[int]:
    return {int(seg, 16) for p in paths for seg in p.strip("/").split("/") if seg}


def visible_rounds(user) -> QuerySet[ReportingRound]:
    roots = scope_paths(user)
    if roots == [""]:
        return ReportingRound.objects.all()
    if not roots:
        return ReportingRound.objects.none()
    return ReportingRound.objects.filter(path_q(roots, "unit__path") | Q(unit_id__in=_ancestor_ids(roots)))


def access_round(user, round_id) -> ReportingRound:
    """The round if ``user`` may see it, else 404."""
    try:
        return visible_rounds(user).select_related("unit").get(pk=round_id)
    except (ReportingRound.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đợt báo cáo.") from None
