from django import template

from nghiquyet.accounts.access import scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.accounts.names import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A user's name family name first, as written ("Đặng Thị Mai")."""
    return _person_name(user)


@register.filter
def can_administer(user) -> bool:
    """Whether ``user`` administers a unit (the menu shows "Người dùng" and
    "Nhật ký" only to them)."""
    return bool(scope_paths(user, Role.ADMIN))
