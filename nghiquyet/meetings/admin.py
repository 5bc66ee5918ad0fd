from django.contrib import admin

from .models import Conclusion, Meeting, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    raw_id_fields = ("person",)
    extra = 0


class ConclusionInline(admin.StackedInline):
    model = Conclusion
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "date", "organiser", "online", "bridge_points")
    list_filter = ("kind", "online")
    search_fields = ("title",)
    raw_id_fields = ("organiser",)
    filter_horizontal = ("documents",)
    inlines = [ParticipantInline, ConclusionInline]
