from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction

from nghiquyet.audit.actions import record, snapshot
from nghiquyet.core.admin import ReadOnlyAdmin

from .actions import check_role_grant, do_grant_role, do_revoke_role
from .lockout import do_unlock_attempts
from .models import ApiToken, Membership


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "unit", "role")

    def clean(self):
        data = super().clean()
        if data.get("unit") is not None and data.get("role"):
            check_role_grant(data["unit"], data["role"])
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """The admin is where roles are granted: adding and deleting go through
    the actions (audited); a role is never edited in place, it is revoked
    and another granted."""

    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__name")
    raw_id_fields = ("user", "unit")
    form = MembershipForm

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = do_grant_role(obj.user, obj.unit, obj.role, acting_user=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        do_revoke_role(obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("unit", "user"):
            do_revoke_role(membership, acting_user=request.user)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued and revoked by `nghiquyet api-token` (audited)."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked")
    exclude = ("key_hash",)


# Users: the admin is where accounts are made today (until the unit
# administrators' pages come), so its writes stay, but each one leaves an
# audit row in the same transaction: making someone a superuser,
# deactivating, deleting (which takes their roles with it), a new password.
User = get_user_model()
_USER_FIELDS = [f.name for f in User._meta.concrete_fields if f.name != "password"]

admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk), fields=_USER_FIELDS) if change else None
        super().save_model(request, obj, form, change)
        record(
            "admin_change_user" if change else "admin_add_user",
            obj,
            acting_user=request.user,
            before=before,
            after=snapshot(obj, fields=_USER_FIELDS),
        )

    def delete_model(self, request, obj):
        _record_user_deleted(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action runs outside the admin's transaction.
        with transaction.atomic():
            for user in queryset:
                _record_user_deleted(request, user)
            super().delete_queryset(request, queryset)

    def user_change_password(self, request, id, form_url=""):
        # Django's password view is not wrapped in a transaction; the audit
        # row and the new password are written together or not at all.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                record(
                    "admin_set_password", user, acting_user=request.user, after={"username": user.username}
                )
        return response


def _record_user_deleted(request, user) -> None:
    """Deleting a user takes their roles with it: the row keeps both."""
    before = snapshot(user, fields=_USER_FIELDS)
    before["roles"] = list(Membership.objects.filter(user=user).values("unit_id", "role"))
    record("admin_delete_user", user, acting_user=request.user, before=before, after={})


# Login lockouts: deleting an attempt in the admin unlocks that account from
# that address; the unlock is audited like the lock was. Importing axes.admin
# here registers its admin first (this app comes before axes).
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    def delete_model(self, request, obj):
        do_unlock_attempts([obj], acting_user=request.user)

    def delete_queryset(self, request, queryset):
        do_unlock_attempts(list(queryset), acting_user=request.user)
