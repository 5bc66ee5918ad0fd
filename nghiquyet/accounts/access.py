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


# -- accounts a unit administrator manages ------------------------------------


def admin_roots(user) -> list[OrgUnit]:
    """The units at the top of the subtrees ``user`` administers (the roots
    of the whole tree for a superuser)."""
    paths = scope_paths(user, Role.ADMIN)
    if not paths:
        return []
    qs = (
        OrgUnit.objects.filter(parent__isnull=True)
        if paths == [""]
        else OrgUnit.objects.filter(path__in=paths)
    )
    return list(qs.vn_ordered())


def managed_users(admin, root: OrgUnit | None = None):
    """Accounts holding a role somewhere in ``admin``'s subtrees (or under
    ``root``, one of them): who a unit administrator sees and manages.
    Superusers are never managed from a unit's pages."""
    from django.contrib.auth import get_user_model

    paths = [root.path] if root is not None else scope_paths(admin, Role.ADMIN)
    inside = Membership.objects.filter(path_q(paths, "unit__path")).values("user_id")
    return get_user_model().objects.filter(pk__in=inside, is_superuser=False)


def access_managed_user(admin, user_id):
    """The account if it holds a role in ``admin``'s subtrees, else 404 (as
    for a record outside them: a stranger cannot tell absent from hidden)."""
    qs = managed_users(admin)
    try:
        return qs.get(pk=user_id)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy người dùng.") from None


def wholly_managed(admin, user) -> bool:
    """Whether every role of ``user`` lies in ``admin``'s subtrees: only then
    may ``admin`` reset their password (else a commune's administrator could
    take over an account that also holds a role at the province)."""
    if user.pk == admin.pk or user.is_superuser or user.is_staff:
        return False
    paths = scope_paths(admin, Role.ADMIN)
    if not paths:
        return False
    units = list(Membership.objects.filter(user=user).values_list("unit__path", flat=True))
    return bool(units) and all(any(p.startswith(root) for root in paths) for p in units)
