from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from ninja import Router, Status

from nghiquyet.accounts.access import visible_units
from nghiquyet.api.errors import answers
from nghiquyet.api.fields import Id, Limit, Offset, Word, Year
from nghiquyet.documents.access import visible_documents
from nghiquyet.orgs.models import Person
from nghiquyet.tasks.access import visible_tasks
from nghiquyet.tasks.models import TaskKind

from .access import access_leading_unit, access_meeting, visible_meetings
from .actions import ConclusionSpec, do_record_meeting
from .models import Conclusion, MeetingKind, Participant
from .schemas import MeetingDetailOut, MeetingIn, MeetingOut

router = Router(tags=["Hội nghị"])


@router.get("", response=answers({200: list[MeetingOut]}))
def list_meetings(request, year: Year | None = None, kind: Word = "", limit: Limit = 100, offset: Offset = 0):
    qs = visible_meetings(request.user)
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("-date", "-id")[offset : offset + limit])


@router.get("/{meeting_id}", response=answers({200: MeetingDetailOut}))
def get_meeting(request, meeting_id: Id):
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


@router.post("", response=answers({201: MeetingDetailOut}, 403, body=True))
def create_meeting(request, payload: MeetingIn):
    """Create a meeting with its participants, the documents it reviewed and
    its conclusions, each conclusion's tasks created with it (all or
    nothing, through the same action as the page). The organiser and every
    task's lead unit must be units where the caller holds approver or admin;
    documents must be ones the caller may read. Participants come by name,
    matched only among people of the caller's units."""
    user = request.user
    organiser = access_leading_unit(user, payload.organiser, "đơn vị tổ chức")
    if payload.kind not in MeetingKind.values:
        raise ValidationError(f"Loại hội nghị “{payload.kind}” không hợp lệ.")
    roles = set(Participant.Role.values)
    for p in payload.participants:
        if p.role not in roles:
            raise ValidationError(f"Vai trò “{p.role}” của {p.full_name} không hợp lệ.")
    doc_ids = list(dict.fromkeys(payload.documents))
    documents = list(visible_documents(user).filter(pk__in=doc_ids))
    if len(documents) != len(doc_ids):
        raise Http404("Không tìm thấy văn bản.")
    leads = {}
    specs = []
    for c in payload.conclusions:
        tasks = []
        for t in c.tasks:
            if t.kind not in TaskKind.values:
                raise ValidationError(f"Loại nhiệm vụ “{t.kind}” không hợp lệ.")
            if t.lead_unit not in leads:
                leads[t.lead_unit] = access_leading_unit(user, t.lead_unit, "đơn vị chủ trì")
            tasks.append((t.title.strip(), leads[t.lead_unit], t.deadline, t.kind))
        specs.append(ConclusionSpec(text=c.text, tasks=tasks))
    meeting = do_record_meeting(
        kind=payload.kind,
        title=payload.title,
        date=payload.date,
        organiser=organiser,
        acting_user=user,
        people_in_scope=Person.objects.filter(positions__unit__in=visible_units(user)).distinct(),
        online=payload.online,
        bridge_points=payload.bridge_points,
        documents=documents,
        participants=[(p.full_name, p.role, p.title) for p in payload.participants],
        conclusions=specs,
        summary=payload.summary,
    )
    return Status(201, get_meeting(request, meeting.pk))
