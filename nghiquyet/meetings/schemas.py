from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


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
    full_name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("attendee", description="chair (chủ trì), attendee (dự), presenter (trình bày).")
    title: str = Field("", max_length=300, description="Chức vụ lúc dự hội nghị.")


class TaskIn(Schema):
    title: str = Field(..., min_length=1, max_length=500)
    lead_unit: int = Field(..., description="Đơn vị chủ trì (đồng chí cần quyền phê duyệt trở lên tại đó).")
    deadline: dt.date | None = None
    kind: str = Field("thuong_xuyen", description="trong_tam, dot_pha hoặc thuong_xuyen.")


class ConclusionIn(Schema):
    text: str = Field(..., min_length=1)
    tasks: list[TaskIn] = Field(default_factory=list, max_length=200)


class MeetingIn(Schema):
    kind: str = Field(..., description="bch, btv, so_ket_tong_ket, duyet_dai_hoi, dai_hoi, lam_viec, khac.")
    title: str = Field(..., min_length=1, max_length=500)
    date: dt.date
    organiser: int = Field(..., description="Đơn vị tổ chức (đồng chí cần quyền phê duyệt trở lên tại đó).")
    online: bool = False
    bridge_points: int | None = None
    summary: str = ""
    documents: list[int] = Field(default_factory=list, max_length=200)
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=500)
    conclusions: list[ConclusionIn] = Field(default_factory=list, max_length=200)
