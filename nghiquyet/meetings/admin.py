from django.contrib import admin

from nghiquyet.core.admin import ReadOnlyAdmin, ReadOnlyStackedInline, ReadOnlyTabularInline

from .models import Conclusion, Meeting, Participant


class ParticipantInline(ReadOnlyTabularInline):
    model = Participant
    raw_id_fields = ("person",)


class ConclusionInline(ReadOnlyStackedInline):
    model = Conclusion


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "date", "organiser", "online", "bridge_points")
    list_filter = ("kind", "online")
    search_fields = ("title",)
    raw_id_fields = ("organiser",)
    filter_horizontal = ("documents",)
    inlines = [ParticipantInline, ConclusionInline]
