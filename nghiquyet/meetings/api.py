from __future__ import annotations

from django.db.models import Prefetch
from ninja import Router

from nghiquyet.documents.access import visible_documents
from nghiquyet.tasks.access import visible_tasks

from .access import access_meeting, visible_meetings
from .models import Conclusion
from .schemas import MeetingDetailOut, MeetingOut

router = Router(tags=["Hội nghị"])


@router.get("", response=list[MeetingOut])
def list_meetings(request, year: int | None = None, kind: str = "", limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    qs = visible_meetings(request.user)
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-date", "-id")[offset : offset + limit])


@router.get("/{meeting_id}", response=MeetingDetailOut)
def get_meeting(request, meeting_id: int):
    m = access_meeting(request.user, meeting_id)
    tasks = visible_tasks(request.user).only("id", "source_conclusion_id")
    conclusions = Conclusion.objects.filter(meeting=m).prefetch_related(Prefetch("tasks", queryset=tasks))
    return {
        **MeetingOut.from_orm(m).dict(),
        "summary": m.summary,
        "participants": [
            {"person_id": p.person_id, "full_name": p.person.full_name, "role": p.role, "title": p.title}
            for p in m.participants.select_related("person")
        ],
        "documents": list(visible_documents(request.user).filter(meetings=m).values_list("pk", flat=True)),
        "conclusions": [
            {"order": c.order, "text": c.text, "tasks": [t.pk for t in c.tasks.all()]} for c in conclusions
        ],
    }
