from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Source, Suggestion


class SuggestionInline(ReadOnlyTabularInline):
    model = Suggestion
    fields = ("kind", "status", "span_start", "span_end", "record_type", "record_id")
    readonly_fields = fields


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "file_kind", "published", "unit", "status", "created_at")
    list_filter = ("status", "file_kind")
    search_fields = ("title", "origin")
    raw_id_fields = ("unit", "created_by")
    exclude = ("text_hash",)
    inlines = [SuggestionInline]
