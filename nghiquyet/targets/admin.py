from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Assignment, AssignmentGoal, Milestone, Result, Target


class MilestoneInline(ReadOnlyTabularInline):
    model = Milestone


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "document", "group", "measure", "direction", "target_value")
    list_filter = ("group", "direction", "time_aggregation", "unit_aggregation", "judged")
    search_fields = ("name", "code")
    raw_id_fields = ("document", "numerator", "denominator")
    inlines = [MilestoneInline]


class AssignmentGoalInline(ReadOnlyTabularInline):
    model = AssignmentGoal


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("target", "unit", "weight", "version")
    inlines = [AssignmentGoalInline]
    raw_id_fields = ("target", "unit")
    search_fields = ("unit__name", "target__name")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    """Results are written through the reporting pages (with history and
    audit); the admin shows them read-only."""

    list_display = ("target", "unit", "period_key", "value", "status", "reported_at")
    list_filter = ("status", "period_kind")
    search_fields = ("unit__name", "target__name")
    raw_id_fields = ("target", "unit", "reported_by")
