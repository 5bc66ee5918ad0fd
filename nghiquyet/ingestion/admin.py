from django.contrib import admin

from .models import Source, Suggestion


class SuggestionInline(admin.TabularInline):
    model = Suggestion
    fields = ("kind", "status", "span_start", "span_end", "record_type", "record_id")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "file_kind", "published", "unit", "status", "created_at")
    list_filter = ("status", "file_kind")
    search_fields = ("title", "origin")
    raw_id_fields = ("unit", "created_by")
    exclude = ("text_hash",)
    inlines = [SuggestionInline]
