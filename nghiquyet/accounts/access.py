"""Guarded reads: what a user may see is the subtrees of their memberships.

Outside them a record does not exist: helpers raise Http404, never 403, so
a stranger cannot tell "forbidden" from "absent".
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from nghiquyet.orgs.models import OrgUnit, subtree_q

from .models import ROLE_RANK, Membership, Role


def _memberships(user, min_role: str) -> list[tuple[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_nq_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).values_list("unit__path", "role"))
        user._nq_memberships = cache
    need = ROLE_RANK[Role(min_role)]
    return [(path, role) for path, role in cache if ROLE_RANK[Role(role)] >= need]


def scope_paths(user, min_role: str = Role.VIEWER) -> list[str]:
    """The subtree roots where ``user`` holds at least ``min_role``, with
    nested roots removed. Superusers see everything (one root: "")."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return [""]
    paths = sorted({p for p, _ in _memberships(user, min_role)})
    roots: list[str] = []
    for p in paths:
        if not roots or not p.startswith(roots[-1]):
            roots.append(p)
    return roots


def path_q(paths: list[str], field: str = "path") -> Q:
    """A Q matching rows whose ``field`` lies in one of the subtrees."""
    q = Q(pk__in=[])
    for p in paths:
        q |= subtree_q(p, field)
    return q


def visible_units(user, min_role: str = Role.VIEWER) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path_q(scope_paths(user, min_role)))


def has_role(user, unit: OrgUnit, min_role: str) -> bool:
    return any(unit.path.startswith(p) for p in scope_paths(user, min_role))


def access_unit(user, unit_id, min_role: str = Role.VIEWER) -> OrgUnit:
    """The unit if ``user`` holds ``min_role`` over it, else 404."""
    try:
        unit = OrgUnit.objects.get(pk=unit_id)
    except (OrgUnit.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đơn vị.") from None
    if not has_role(user, unit, min_role):
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def home_unit(user) -> OrgUnit | None:
    """The highest unit the user sees: where their dashboard starts."""
    roots = scope_paths(user)
    if roots == [""]:
        return (
            OrgUnit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("depth", "pk").first()
        )
    if not roots:
        return None
    return OrgUnit.objects.filter(path__in=roots).order_by("depth", "sort_key").first()
