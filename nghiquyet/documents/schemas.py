from __future__ import annotations

import datetime as dt

from ninja import Schema


class DocumentOut(Schema):
    id: int
    kind: str
    sign: str
    number: str
    title: str
    issuing_unit_id: int | None
    issuer_name: str
    issued: dt.date | None
    term_start: int | None
    term_end: int | None
    valid_to: dt.date | None


class DocumentDetailOut(DocumentOut):
    summary: str
    implements: list[int]
    implemented_by: list[int]
    targets: list[int]
