from django.contrib import admin

from .models import Assignment, Milestone, Result, Target


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "document", "group", "measure", "direction", "target_value")
    list_filter = ("group", "direction", "time_aggregation", "unit_aggregation", "judged")
    search_fields = ("name", "code")
    raw_id_fields = ("document", "numerator", "denominator")
    inlines = [MilestoneInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("target", "unit", "target_value", "weight")
    raw_id_fields = ("target", "unit")
    search_fields = ("unit__name", "target__name")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Results are written through the reporting pages (with history and
    audit); the admin shows them read-only."""

    list_display = ("target", "unit", "period_key", "value", "status", "reported_at")
    list_filter = ("status", "period_kind")
    search_fields = ("unit__name", "target__name")
    raw_id_fields = ("target", "unit", "reported_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
