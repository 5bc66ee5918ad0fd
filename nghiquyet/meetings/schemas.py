from __future__ import annotations

import datetime as dt

from ninja import Schema


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
