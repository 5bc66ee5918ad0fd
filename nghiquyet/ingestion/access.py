"""Guarded reads of sources and suggestions, and the scope in which
accepting a suggestion may look for the records it matches."""

from __future__ import annotations

from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from nghiquyet.accounts.access import path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.documents.access import visible_documents
from nghiquyet.documents.models import Document
from nghiquyet.meetings.models import Participant
from nghiquyet.orgs.models import OrgUnit, Person, Position, UnitKind, subtree_q

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


# -- where accepting a suggestion may look for existing records -------------------------
#
# Accepting links a suggestion to a record that already exists (a document
# by its sign, a person by name, a meeting, a unit). That lookup must stay
# inside what the deciding user may see, or the link itself tells them that
# another province has such a record. It is also narrowed to the province of
# the source's unit: a superuser's "06-CTr/TU" from a Nghệ An article is
# Nghệ An's programme, never Hà Tĩnh's.


def province_of(unit: OrgUnit | None) -> OrgUnit | None:
    """The province committee at or above ``unit`` (None above provinces)."""
    if unit is None:
        return None
    if unit.kind == UnitKind.PROVINCE:
        return unit
    return unit.ancestors().filter(kind=UnitKind.PROVINCE).last()


def _within(paths: list[str], root: str) -> list[str]:
    """The subtrees ``paths`` narrowed to the subtree at ``root``."""
    out = []
    for p in paths:
        if root.startswith(p):
            out.append(root)
        elif p.startswith(root):
            out.append(p)
    return sorted(set(out))


def matching_paths(user, source: Source, min_role: str = Role.VIEWER) -> list[str]:
    """The subtrees where accepting a suggestion of ``source`` may find
    records: the user's (``None`` is a script acting for the system: all),
    narrowed to the province of the source's unit when it has one."""
    paths = [""] if user is None else scope_paths(user, min_role)
    province = province_of(source.unit)
    if province is not None:
        paths = _within(paths, province.path)
    return paths


def central_documents_q() -> Q:
    """Documents issued above every province (by a central unit, or with no
    unit and a central "/TW" sign): shared by all, so linking to one or
    naming it tells nothing about any province."""
    return Q(issuing_unit__kind=UnitKind.CENTRAL) | Q(issuing_unit__isnull=True, sign__iendswith="/TW")


def matchable_documents(user, source: Source) -> QuerySet[Document]:
    """Documents an accepted suggestion may be linked to: those the user
    may read (documents.access) issued within the source's province, and
    the shared central ones. Never a document of another province."""
    local = Document.objects.all() if user is None else visible_documents(user)
    province = province_of(source.unit)
    if province is not None:
        local = local.filter(subtree_q(province, "issuing_unit__path"))
    return Document.objects.filter(Q(pk__in=local.values("pk")) | central_documents_q())


def people_in_scope(candidates: QuerySet[Person], paths: list[str]) -> QuerySet[Person]:
    """Those of ``candidates`` known inside the subtrees ``paths``: holding a
    position in a unit there, taking part in a meeting organised there, or
    recorded from a source received there."""
    if paths == [""]:
        return candidates
    if not paths:
        return candidates.none()
    recorded = (
        Suggestion.objects.filter(
            path_q(paths, "source__unit__path"),
            record_type="orgs.person",
            status=Suggestion.Status.ACCEPTED,
        )
        .annotate(person_id=Cast("record_id", BigIntegerField()))
        .values("person_id")
    )
    return candidates.filter(
        Q(pk__in=Position.objects.filter(path_q(paths, "unit__path")).values("person_id"))
        | Q(pk__in=Participant.objects.filter(path_q(paths, "meeting__organiser__path")).values("person_id"))
        | Q(pk__in=recorded)
    ).distinct()
