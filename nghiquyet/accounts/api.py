"""The accounts of a unit administrator's subtree, through the same
actions and access rules as the pages (accounts.views)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset

from .access import (
    access_managed_user,
    access_unit,
    admin_roots,
    managed_users,
    path_q,
    scope_paths,
    wholly_managed,
)
from .actions import do_create_user, do_grant_role, do_reset_password, do_revoke_role
from .models import Membership, Role
from .names import person_name
from .schemas import NewUserOut, PasswordOut, RoleIn, RoleOut, UserIn, UserOut

router = Router(tags=["Người dùng"])


def _require_admin(user) -> None:
    if not admin_roots(user):
        raise PermissionDenied("Đồng chí không có quyền quản lý người dùng.")


def _out(admin, account) -> dict:
    roles = (
        Membership.objects.filter(path_q(scope_paths(admin, Role.ADMIN), "unit__path"), user=account)
        .select_related("unit")
        .order_by("unit__path", "role")
    )
    return {
        "id": account.pk,
        "username": account.username,
        "full_name": person_name(account),
        "is_active": account.is_active,
        "roles": [
            {"id": m.pk, "unit_id": m.unit_id, "unit_name": m.unit.name, "role": m.role} for m in roles
        ],
    }


@router.get("", response=answers({200: list[UserOut]}, 403))
def list_users(request, limit: Limit = 100, offset: Offset = 0):
    """Accounts holding a role in the caller's subtrees (administrators only)."""
    _require_admin(request.user)
    users = managed_users(request.user).order_by("first_name", "last_name", "username")[
        offset : offset + limit
    ]
    return [_out(request.user, u) for u in users]


@router.post("", response=answers({201: NewUserOut}, 403, body=True))
def create_user(request, payload: UserIn):
    """A new account with its first role; the temporary password is returned once."""
    _require_admin(request.user)
    unit = access_unit(request.user, payload.unit, Role.ADMIN)
    user, password = do_create_user(
        payload.username, payload.full_name, unit, payload.role, acting_user=request.user
    )
    return Status(201, {**_out(request.user, user), "password": password})


@router.get("/{user_id}", response=answers({200: UserOut}, 403))
def get_user(request, user_id: Id):
    _require_admin(request.user)
    return _out(request.user, access_managed_user(request.user, user_id))


@router.post("/{user_id}/roles", response=answers({201: RoleOut}, 403, body=True))
def grant_role(request, user_id: Id, payload: RoleIn):
    """Grant a role over a unit of the caller's subtrees."""
    _require_admin(request.user)
    account = access_managed_user(request.user, user_id)
    unit = access_unit(request.user, payload.unit, Role.ADMIN)
    m = do_grant_role(account, unit, payload.role, acting_user=request.user)
    return Status(201, {"id": m.pk, "unit_id": unit.pk, "unit_name": unit.name, "role": m.role})


@router.post("/{user_id}/roles/{role_id}/revoke", response=answers({200: UserOut}, 403))
def revoke_role(request, user_id: Id, role_id: Id):
    """Revoke a role held over a unit of the caller's subtrees (not one's own)."""
    _require_admin(request.user)
    account = access_managed_user(request.user, user_id)
    m = (
        Membership.objects.filter(path_q(scope_paths(request.user, Role.ADMIN), "unit__path"), user=account)
        .select_related("unit")
        .filter(pk=role_id)
        .first()
    )
    if m is None:
        raise Http404("Không tìm thấy vai trò.")
    if account.pk == request.user.pk:
        raise PermissionDenied("Đồng chí không thể tự thu hồi vai trò của mình; đề nghị quản trị cấp trên.")
    do_revoke_role(m, acting_user=request.user)
    return _out(request.user, account)


@router.post("/{user_id}/password", response=answers({200: PasswordOut}, 403))
def reset_password(request, user_id: Id):
    """A new temporary password, for an account whose every role lies in the caller's subtrees."""
    _require_admin(request.user)
    account = access_managed_user(request.user, user_id)
    if not wholly_managed(request.user, account):
        raise PermissionDenied(
            "Chỉ đặt lại mật khẩu cho tài khoản có mọi vai trò thuộc đơn vị đồng chí quản trị."
        )
    unit = Membership.objects.filter(user=account).select_related("unit").order_by("unit__depth").first().unit
    return {"password": do_reset_password(account, acting_user=request.user, unit=unit)}
