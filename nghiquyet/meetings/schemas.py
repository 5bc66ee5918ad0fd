from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from nghiquyet.api.fields import INT32_MAX, LONG_TEXT_MAX, Date, Id, Word, text

# The model fields' lengths (orgs.Person.full_name, Meeting.title, Task.title, Participant.title).
PersonName = text(128, min_length=1)
Title = text(500, min_length=1)
PositionTitle = text(300)
ConclusionText = text(LONG_TEXT_MAX, min_length=1)
Summary = text(LONG_TEXT_MAX)


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    organiser_id: int
    online: bool
    bridge_points: int | None


class ParticipantOut(Schema):
    person_id: int
    full_name: str
    role: str
    title: str


class ConclusionOut(Schema):
    order: int
    text: str
    tasks: list[int]


class MeetingDetailOut(MeetingOut):
    summary: str
    participants: list[ParticipantOut]
    documents: list[int]
    conclusions: list[ConclusionOut]


class ParticipantIn(Schema):
    full_name: PersonName
    role: Word = Field("attendee", description="chair (chủ trì), attendee (dự), presenter (trình bày).")
    title: PositionTitle = Field("", description="Chức vụ lúc dự hội nghị.")


class TaskIn(Schema):
    title: Title
    lead_unit: Id = Field(..., description="Đơn vị chủ trì (đồng chí cần quyền phê duyệt trở lên tại đó).")
    deadline: Date | None = None
    kind: Word = Field("thuong_xuyen", description="trong_tam, dot_pha hoặc thuong_xuyen.")


class ConclusionIn(Schema):
    text: ConclusionText
    tasks: list[TaskIn] = Field(default_factory=list, max_length=200)


class MeetingIn(Schema):
    kind: Word = Field(..., description="bch, btv, so_ket_tong_ket, duyet_dai_hoi, dai_hoi, lam_viec, khac.")
    title: Title
    date: Date
    organiser: Id = Field(..., description="Đơn vị tổ chức (đồng chí cần quyền phê duyệt trở lên tại đó).")
    online: bool = False
    bridge_points: Annotated[int, Field(ge=0, le=INT32_MAX)] | None = None
    summary: Summary = ""
    documents: list[Id] = Field(default_factory=list, max_length=200)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)
    conclusions: list[ConclusionIn] = Field(default_factory=list, max_length=200)
