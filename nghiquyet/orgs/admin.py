from django.contrib import admin

from .models import AdminArea, OrgUnit, Person, Position, UnitEvent, UnitLink


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent", "valid_from", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "name_key", "code")
    raw_id_fields = ("parent", "area")
    ordering = ("sort_key",)


class UnitLinkInline(admin.TabularInline):
    model = UnitLink
    raw_id_fields = ("predecessor", "successor")
    extra = 0


@admin.register(UnitEvent)
class UnitEventAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "effective", "decision")
    list_filter = ("kind",)
    inlines = [UnitLinkInline]
    raw_id_fields = ("old_parent", "new_parent")


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "legacy", "parent")
    list_filter = ("level", "legacy")
    search_fields = ("name", "name_key", "code")
    raw_id_fields = ("parent",)


class PositionInline(admin.TabularInline):
    model = Position
    raw_id_fields = ("unit",)
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "birth_year")
    search_fields = ("full_name", "name_key")
    inlines = [PositionInline]
    ordering = ("sort_key",)
