from __future__ import annotations

import datetime as dt

from ninja import Schema


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    code: str
    parent_id: int | None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None


class UnitDetailOut(UnitOut):
    children: list[UnitOut]
