"""The conclusion notice of a meeting (thông báo kết luận, "Số …-TB/TU"):
what the meeting concluded and the tasks it gave, with the same header
as every Party document."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from nghiquyet.core.dates import format_date_long, format_date_official, format_place_date
from nghiquyet.core.text import fold
from nghiquyet.meetings.models import Meeting, MeetingKind, Participant
from nghiquyet.tasks.models import Task

from . import docxkit as k
from .letterhead import Letterhead, letterhead_for, party_body_text


def notice_tasks(meeting: Meeting) -> dict[int, list[Task]]:
    """The tasks each conclusion gave, keyed by conclusion id."""
    out: dict[int, list[Task]] = {}
    tasks = (
        Task.objects.filter(source_conclusion__meeting=meeting)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("source_conclusion__order", "deadline", "id")
    )
    for t in tasks:
        out.setdefault(t.source_conclusion_id, []).append(t)
    return out


def task_sentence(task: Task) -> str:
    """ "Rà soát …: Đảng ủy xã Đức Thọ chủ trì, phối hợp với …; thời hạn 30/6/2026."""
    text = f"{task.title}: {task.lead_unit.name} chủ trì"
    coop = [u.name for u in task.cooperating_units.all()]
    if coop:
        text += ", phối hợp với " + ", ".join(coop)
    if task.deadline:
        text += f"; thời hạn {format_date_official(task.deadline)}"
    return text + "."


def concluding_body(meeting: Meeting, head: Letterhead) -> str:
    """The body whose conclusions the notice carries: the executive
    committee for its own conference ("Ban Chấp hành Đảng bộ tỉnh Hà
    Tĩnh"), else the standing committee ("Ban Thường vụ Tỉnh ủy"), or the
    organising unit when it has neither."""
    if meeting.kind == MeetingKind.EXECUTIVE:
        return f"Ban Chấp hành {party_body_text(meeting.organiser)}"
    if head.signing_body:
        return f"{head.signing_body_text} {head.short}"
    return meeting.organiser.name


def meeting_phrase(meeting: Meeting) -> str:
    """What was held, for the opening sentence: the meeting's own name as
    written when it says what it is ("Hội nghị Ban Chấp hành Đảng bộ tỉnh
    lần thứ 5"), else its kind first ("hội nghị Ban Thường vụ: …"). Only
    the first letter of the kind is lowered: "Ban Chấp hành" is a name."""
    label = meeting.get_kind_display()
    first_word = fold(label).split()[:2]
    if fold(meeting.title).split()[:2] == first_word:
        return meeting.title
    return f"{label[0].lower()}{label[1:]}: {meeting.title}"


def build_notice_docx(meeting: Meeting, *, on: dt.date | None = None) -> bytes:
    """The notice as .docx, laid out per Hướng dẫn 36-HD/VPTW."""
    on = on or timezone.localdate()
    head = letterhead_for(meeting.organiser)
    doc = k.new_document()
    k.page_numbers(doc.sections[0])
    k.party_header(doc, head, "TB", format_place_date(head.place, on))
    k.paragraph(doc, "", space_after=6)
    k.paragraph(doc, "THÔNG BÁO", size=16, bold=True, align=k.CENTER, space_before=12, space_after=0)
    body_name = concluding_body(meeting, head)
    k.paragraph(
        doc,
        # The meeting's name is a proper name: kept exactly as written.
        f"kết luận của {body_name} tại {meeting.title}",
        size=14,
        bold=True,
        align=k.CENTER,
        space_after=0,
    )
    k.paragraph(doc, "-----", size=14, align=k.CENTER, space_after=12)

    when = format_date_long(meeting.date)
    if meeting.end_date and meeting.end_date != meeting.date:
        when = f"từ {when} đến {format_date_long(meeting.end_date)}"
    else:
        when = when[0].upper() + when[1:]
    opening = f"{when}, {meeting.organiser.name} tổ chức {meeting_phrase(meeting)}"
    if meeting.online:
        opening += " theo hình thức trực tuyến"
        if meeting.bridge_points:
            opening += f" với {meeting.bridge_points} điểm cầu"
    k.body(doc, opening + ".")
    chairs = list(meeting.participants.filter(role=Participant.Role.CHAIR).select_related("person"))
    if chairs:
        names = "; ".join(
            f"đồng chí {p.person.full_name}" + (f", {p.title}" if p.title else "") for p in chairs
        )
        k.body(doc, f"Chủ trì hội nghị: {names}.")
    docs = list(meeting.documents.all())
    if docs:
        k.body(doc, "Hội nghị đã xem xét: " + "; ".join(str(d) for d in docs) + ".")
    k.body(doc, f"Sau khi nghe các ý kiến phát biểu, {body_name} kết luận như sau:")
    tasks = notice_tasks(meeting)
    conclusions = list(meeting.conclusions.all())
    if not conclusions:
        k.body(doc, "(Hội nghị chưa ghi nhận nội dung kết luận.)", italic=True)
    for i, c in enumerate(conclusions, start=1):
        k.body(doc, f"{i}. {c.text}")
        for t in tasks.get(c.pk, []):
            k.body(doc, "- " + task_sentence(t))
    k.body(doc, f"Văn phòng {head.short} thông báo để các cơ quan, đơn vị biết, thực hiện.")

    leads = []
    for ts in tasks.values():
        for t in ts:
            if t.lead_unit.name not in leads:
                leads.append(t.lead_unit.name)
    recipients = [f"{name}," for name in leads] + [f"Lưu Văn phòng {head.short}."]
    # A notice is signed by the office on behalf of the committee (T/L).
    authority = f"T/L {head.signing_body}" if head.signing_body else ""
    k.signature_block(doc, head, recipients, title="CHÁNH VĂN PHÒNG", authority=authority)
    return k.to_bytes(doc)
