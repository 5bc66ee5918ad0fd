"""Writes to who may do what: every one atomic and audited."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.audit.actions import record, snapshot

from .models import Membership, Role
from .names import person_name, split_full_name

# Letters and digits that cannot be misread when a password is read out or
# copied by hand (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
USERNAME_RE = re.compile(r"^[a-z0-9_.-]{3,64}$")
NAME_MAX = 150


def check_role_grant(unit, role: str) -> None:
    """The rules of a grant, for forms to show before the action runs."""
    if role not in Role.values:
        raise ValidationError("Vai trò không hợp lệ.")
    if unit.valid_to is not None:
        raise ValidationError(f"Đơn vị “{unit.name}” đã hết hiệu lực.")


def do_grant_role(user, unit, role: str, *, acting_user) -> Membership:
    """Give ``user`` ``role`` over ``unit`` and its subtree."""
    check_role_grant(unit, role)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
        if not created:
            raise ValidationError(f"{user} đã có vai trò “{membership.get_role_display()}” tại {unit.name}.")
        record("grant_role", membership, acting_user=acting_user, unit=unit)
    return membership


def do_revoke_role(membership: Membership, *, acting_user) -> None:
    """Take a role away; the audit row keeps what it was."""
    with transaction.atomic():
        before = snapshot(membership)
        record(
            "revoke_role", membership, acting_user=acting_user, before=before, after={}, unit=membership.unit
        )
        membership.delete()


def temporary_password() -> str:
    """A password to give a person by hand (intranets often have no email):
    three groups of four unambiguous characters, e.g. "k7Pm-2xQa-Hn4r"."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def _user_after(user) -> dict:
    """What the audit keeps of an account: never the password hash."""
    return {
        "username": user.username,
        "ho_ten": person_name(user),
        "is_active": user.is_active,
    }


def check_new_user(username: str, full_name: str) -> tuple[str, str, str]:
    """The login and the name of a new account, checked; (login, family and
    middle names, given name). Raises ValidationError in Vietnamese."""
    username = (username or "").strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
        )
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise ValidationError(f"Tên đăng nhập “{username}” đã có người dùng.")
    family, given = split_full_name(full_name)
    if not given:
        raise ValidationError("Cần ghi họ và tên.")
    if len(family) > NAME_MAX or len(given) > NAME_MAX:
        raise ValidationError("Họ và tên quá dài.")
    return username, family, given


def do_create_user(username: str, full_name: str, unit, role: str, *, acting_user):
    """Create an account with a first role over ``unit`` and its subtree, and
    a temporary password to hand over. Returns (user, password). The name
    is written as the person writes it ("Đặng Thị Mai": family name first).
    A unit administrator can only reach a unit of their subtree (the views
    check with accounts.access); the account exists with its role or not at all."""
    username, family, given = check_new_user(username, full_name)
    check_role_grant(unit, role)
    password = temporary_password()
    User = get_user_model()
    with transaction.atomic():
        user = User(username=username, last_name=family, first_name=given, is_active=True)
        user.set_password(password)
        user.save()
        record("create_user", user, acting_user=acting_user, after=_user_after(user), unit=unit)
        membership = Membership.objects.create(user=user, unit=unit, role=role)
        record("grant_role", membership, acting_user=acting_user, unit=unit)
    return user, password


def do_reset_password(user, *, acting_user, unit=None) -> str:
    """Give ``user`` a new temporary password and return it, to hand over in
    person. ``unit`` is where the audit row is filed (the administrator's
    unit the account lies under), so the unit's audit page shows it."""
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record("reset_password", user, acting_user=acting_user, after=_user_after(user), unit=unit)
    return password


def do_change_password(user, new_password: str, *, acting_user) -> None:
    """A person sets their own password (after a reset, say); the form has
    checked the old one and the validators. Filed under their highest unit."""
    unit = (
        Membership.objects.filter(user=user).select_related("unit").order_by("unit__depth", "unit_id").first()
    )
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(
            "change_password",
            user,
            acting_user=acting_user,
            after=_user_after(user),
            unit=unit.unit if unit else None,
        )
