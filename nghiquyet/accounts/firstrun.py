"""The first run of a real installation (no demo): the province it serves and
its first administrator. The command is `nghiquyet first-run`."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.audit.actions import record
from nghiquyet.core.text import fold
from nghiquyet.orgs.models import OrgUnit, UnitKind

from .actions import do_grant_role
from .models import Membership, Role


def provinces():
    """The provinces and cities in force, in Vietnamese order of their names."""
    return OrgUnit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).order_by("sort_key")


def find_province(text: str) -> OrgUnit:
    """A province in force by its code ("42") or its name ("Hà Tĩnh", "ha tinh", "Tỉnh ủy Hà Tĩnh")."""
    text = text.strip()
    if not text:
        raise ValidationError("Chưa chọn tỉnh, thành phố.")
    by_code = provinces().filter(code=text.zfill(2) if text.isdigit() else text).first()
    if by_code is not None:
        return by_code
    wanted = fold(text)
    found = [
        p
        for p in provinces()
        if wanted in (fold(p.name), fold(p.short_name)) or fold(p.name).endswith(" " + wanted)
    ]
    if len(found) == 1:
        return found[0]
    if not provinces().exists():
        raise ValidationError("Chưa nạp đơn vị hành chính: chạy `nghiquyet load-units` trước.")
    raise ValidationError(
        f"Không có tỉnh, thành phố “{text}”: nhập mã (ví dụ 42) hoặc tên (ví dụ Hà Tĩnh); "
        "xem danh sách bằng `nghiquyet first-run --list-provinces`."
    )


def has_administrator() -> bool:
    """Whether someone can already run the installation (a unit administrator or a superuser)."""
    User = get_user_model()
    return (
        User.objects.filter(is_superuser=True).exists() or Membership.objects.filter(role=Role.ADMIN).exists()
    )


def do_create_first_admin(*, username: str, password: str, full_name: str, province: OrgUnit):
    """The first administrator: a user with the administrator role over ``province``'s subtree.

    Refused once an administrator exists (later ones are added by an administrator).
    The user is created and the role granted in one transaction, both audited,
    the new administrator standing as the actor (nobody else exists yet)."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError("Chưa nhập tên đăng nhập.")
    if has_administrator():
        raise ValidationError(
            "Cài đặt này đã có quản trị viên: người dùng mới do quản trị viên thêm trong phần mềm."
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"Tên đăng nhập “{username}” đã có.")
    # Family name first, as written: "Đặng Thị Mai" → last_name "Đặng Thị", first_name "Mai".
    family, _, given = full_name.strip().rpartition(" ")
    user = User(username=username, first_name=given, last_name=family)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record("create_user", user, acting_user=user, after={"username": username}, unit=province)
        membership = do_grant_role(user, province, Role.ADMIN, acting_user=user)
    return user, membership
