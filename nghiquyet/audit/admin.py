from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "unit")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor__username")
    date_hierarchy = "at"
