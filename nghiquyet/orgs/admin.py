from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import AdminArea, OrgUnit, Person, Position, UnitEvent, UnitLink


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "code", "parent", "valid_from", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("name", "name_key", "code")
    raw_id_fields = ("parent", "area")
    ordering = ("sort_key",)


class UnitLinkInline(ReadOnlyTabularInline):
    model = UnitLink
    raw_id_fields = ("predecessor", "successor")


@admin.register(UnitEvent)
class UnitEventAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "effective", "decision")
    list_filter = ("kind",)
    inlines = [UnitLinkInline]
    raw_id_fields = ("old_parent", "new_parent")


@admin.register(AdminArea)
class AdminAreaAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "level", "legacy", "parent")
    list_filter = ("level", "legacy")
    search_fields = ("name", "name_key", "code")
    raw_id_fields = ("parent",)


class PositionInline(ReadOnlyTabularInline):
    model = Position
    raw_id_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("full_name", "birth_year")
    search_fields = ("full_name", "name_key")
    inlines = [PositionInline]
    ordering = ("sort_key",)
