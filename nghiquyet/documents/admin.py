from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "issued", "issuing_unit", "term_start", "term_end")
    list_filter = ("kind",)
    search_fields = ("sign", "title", "title_key")
    raw_id_fields = ("issuing_unit",)
    filter_horizontal = ("implements",)
