"""A unit administrator's pages for the accounts of its subtree: list,
create, grant and revoke roles, reset a password. Thin: parse, access,
act (accounts.actions, audited), render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nghiquyet.core.viewutils import int_param
from nghiquyet.orgs.models import OrgUnit

from .access import (
    access_managed_user,
    access_unit,
    admin_roots,
    managed_users,
    path_q,
    scope_paths,
    wholly_managed,
)
from .actions import do_change_password, do_create_user, do_grant_role, do_reset_password, do_revoke_role
from .models import Membership, Role

USERS_PER_PAGE = 50
UNIT_CHOICES_MAX = 3000


def _require_admin(user) -> list[OrgUnit]:
    roots = admin_roots(user)
    if not roots:
        raise PermissionDenied("Đồng chí không có quyền quản lý người dùng.")
    return roots


def _admin_unit(user, raw_id) -> OrgUnit:
    """A unit the administrator may grant roles on: in their subtrees (else 404), current."""
    if raw_id in (None, ""):
        raise ValidationError("Cần chọn đơn vị.")
    return access_unit(user, raw_id, Role.ADMIN)


def _unit_choices(user) -> list[OrgUnit]:
    paths = scope_paths(user, Role.ADMIN)
    return list(
        OrgUnit.objects.filter(path_q(paths), valid_to__isnull=True).order_by("path")[:UNIT_CHOICES_MAX]
    )


def _scoped_memberships(admin) -> Prefetch:
    """Each listed user's roles inside the administrator's subtrees only."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.filter(path_q(scope_paths(admin, Role.ADMIN), "unit__path"))
        .select_related("unit")
        .order_by("unit__path", "role"),
        to_attr="scoped_roles",
    )


@login_required
def index(request):
    """The accounts holding a role in the administrator's subtrees."""
    roots = _require_admin(request.user)
    q = " ".join((request.GET.get("q") or "").split())[:100]
    users = managed_users(request.user)
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    users = users.order_by("first_name", "last_name", "username").prefetch_related(
        _scoped_memberships(request.user)
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "accounts/index.html", {"roots": roots, "page": page, "q": q})


@login_required
def create(request):
    """A new account with its first role; the temporary password is shown once."""
    _require_admin(request.user)
    units = _unit_choices(request.user)
    ctx = {"units": units, "roles": Role.choices, "data": request.POST, "errors": []}
    if request.method == "POST":
        try:
            unit = _admin_unit(request.user, request.POST.get("don_vi"))
            user, password = do_create_user(
                request.POST.get("ten_dang_nhap", ""),
                request.POST.get("ho_ten", ""),
                unit,
                request.POST.get("vai_tro", ""),
                acting_user=request.user,
            )
        except ValidationError as exc:
            ctx["errors"] = exc.messages
            return render(request, "accounts/create.html", ctx, status=400)
        return render(request, "accounts/password.html", {"account": user, "password": password, "new": True})
    return render(request, "accounts/create.html", ctx)


def _detail_context(request, account) -> dict:
    account = (
        managed_users(request.user).prefetch_related(_scoped_memberships(request.user)).get(pk=account.pk)
    )
    outside = Membership.objects.filter(user=account).count() - len(account.scoped_roles)
    return {
        "account": account,
        "outside": outside,
        "can_reset": wholly_managed(request.user, account),
        "units": _unit_choices(request.user),
        "roles": Role.choices,
    }


@login_required
def detail(request, pk):
    """One account: its roles in the administrator's subtrees, grant, revoke, reset."""
    _require_admin(request.user)
    account = access_managed_user(request.user, pk)
    return render(request, "accounts/detail.html", _detail_context(request, account))


def _back(account):
    return redirect(reverse("accounts:detail", args=[account.pk]))


@login_required
@require_POST
def grant(request, pk):
    _require_admin(request.user)
    account = access_managed_user(request.user, pk)
    try:
        unit = _admin_unit(request.user, request.POST.get("don_vi"))
        m = do_grant_role(account, unit, request.POST.get("vai_tro", ""), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã giao vai trò “{m.get_role_display()}” tại {unit.name}.")
    return _back(account)


@login_required
@require_POST
def revoke(request, pk):
    _require_admin(request.user)
    account = access_managed_user(request.user, pk)
    try:
        m = Membership.objects.select_related("unit").get(
            path_q(scope_paths(request.user, Role.ADMIN), "unit__path"),
            pk=int_param(request, "quyen"),
            user=account,
        )
    except Membership.DoesNotExist:
        raise Http404("Không tìm thấy vai trò.") from None
    if account.pk == request.user.pk:
        messages.error(request, "Đồng chí không thể tự thu hồi vai trò của mình; đề nghị quản trị cấp trên.")
        return _back(account)
    do_revoke_role(m, acting_user=request.user)
    messages.success(request, f"Đã thu hồi vai trò “{m.get_role_display()}” tại {m.unit.name}.")
    return _back(account)


@login_required
@require_POST
def reset_password(request, pk):
    """A new temporary password, shown once to hand over in person."""
    _require_admin(request.user)
    account = access_managed_user(request.user, pk)
    if not wholly_managed(request.user, account):
        raise PermissionDenied(
            "Chỉ đặt lại mật khẩu cho tài khoản có mọi vai trò thuộc đơn vị đồng chí quản trị."
        )
    unit = Membership.objects.filter(user=account).select_related("unit").order_by("unit__depth").first().unit
    password = do_reset_password(account, acting_user=request.user, unit=unit)
    return render(request, "accounts/password.html", {"account": account, "password": password, "new": False})


@login_required
def change_password(request):
    """Anyone signed in changes their own password (the old one first)."""
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        do_change_password(request.user, form.cleaned_data["new_password1"], acting_user=request.user)
        update_session_auth_hash(request, request.user)
        messages.success(request, "Đã đổi mật khẩu.")
        return redirect("home")
    return render(
        request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200
    )
