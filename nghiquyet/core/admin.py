"""The Django admin shows audited data; it does not write it.

Every write of the product goes through an action that checks its rules and
records an audit row in the same transaction (and the roll-up cache is keyed
on the last audit id). An admin form saving a model directly would do none
of that: moving a unit would leave its subtree's paths behind, a deleted
result would leave no trace. So the admin of those tables is read-only;
where the admin is the only way to do something (granting a role), its
saves call the action.
"""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Listed and viewed, never added, changed or deleted from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class ReadOnlyStackedInline(ReadOnlyAdminMixin, admin.StackedInline):
    extra = 0
