from __future__ import annotations

import datetime as dt

from ninja import Schema

from nghiquyet.api.fields import Note, Word


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    lead_unit_id: int
    deadline: dt.date | None
    status: str
    overdue: bool
    completed_on: dt.date | None
    source_document_id: int | None
    source_conclusion_id: int | None

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue()


class TaskStatusIn(Schema):
    status: Word
    note: Note = ""
