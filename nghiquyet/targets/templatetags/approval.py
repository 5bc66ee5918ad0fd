from django import template

from nghiquyet.accounts.access import scope_paths
from nghiquyet.accounts.models import Role

register = template.Library()


@register.filter
def can_approve(user) -> bool:
    """Whether ``user`` signs off figures anywhere (approver or admin): the
    menu shows "Duyệt số liệu" only to them. Memberships are read once per
    request (accounts.access caches them on the user)."""
    return bool(scope_paths(user, Role.APPROVER))
