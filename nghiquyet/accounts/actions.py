"""Writes to who may do what: every one atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from nghiquyet.audit.actions import record, snapshot

from .models import Membership, Role


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
