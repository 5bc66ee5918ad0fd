from django import forms
from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin

from .actions import check_role_grant, do_grant_role, do_revoke_role
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
