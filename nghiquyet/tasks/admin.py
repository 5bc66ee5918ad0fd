from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin

from .models import Task


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "lead_unit", "deadline", "status")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    raw_id_fields = ("lead_unit", "source_document", "source_conclusion")
    filter_horizontal = ("cooperating_units",)
