"""Bounded types for everything the API reads: query, path, form and body.

Defined once so every route refuses the same inputs with a 422 before they
reach the database, where they would be a 500: a negative offset (Django
refuses negative slices), an id past the integer column (PostgreSQL bigint
overflows, SQLite cannot bind it), a year Python's dates cannot hold, a NUL
character (PostgreSQL refuses it in text and in jsonb).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, Field

# Django's BigAutoField (settings.DEFAULT_AUTO_FIELD): PostgreSQL bigint, SQLite INTEGER.
ID_MAX = 2**63 - 1
# PositiveIntegerField (result versions, bridge points): PostgreSQL integer.
INT32_MAX = 2**31 - 1
# Far past any list a province holds (about 10.000 units, 100.000s of results).
OFFSET_MAX = 1_000_000
LIMIT_MAX = 500
YEAR_MIN, YEAR_MAX = 1945, 2100
DATE_MIN, DATE_MAX = dt.date(YEAR_MIN, 1, 1), dt.date(YEAR_MAX, 12, 31)
# TextFields have no length in the database; a note or a reason longer than
# this is a mistake, not a note.
NOTE_MAX = 10_000
LONG_TEXT_MAX = 200_000
NUL_MESSAGE = "không được chứa ký tự NUL (\\x00)"


def no_nul(value: str) -> str:
    """Refuse the NUL character, which PostgreSQL cannot store in text."""
    if "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def no_nul_deep(value: Any) -> Any:
    """The same rule over a JSON value (keys and strings at any depth): jsonb refuses \\u0000 too."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            no_nul(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > ID_MAX:
            raise ValueError("số nguyên quá lớn")
    return value


def text(max_length: int, **kwargs: Any) -> Any:
    """A string of at most ``max_length`` characters (the model field's), without NUL."""
    return Annotated[str, Field(max_length=max_length, **kwargs), AfterValidator(no_nul)]


# Free text typed by a person (notes, reasons): a TextField in the model.
Note = text(NOTE_MAX)
# A search word, a kind, a status filter, a period key or label.
Word = text(200)
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Version = Annotated[int, Field(ge=0, le=INT32_MAX)]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX, description="Bỏ qua bao nhiêu dòng đầu (0 trở lên).")]
Limit = Annotated[int, Field(ge=1, le=LIMIT_MAX, description=f"Số dòng tối đa (1–{LIMIT_MAX}).")]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Date = Annotated[dt.date, Field(ge=DATE_MIN, le=DATE_MAX)]
JsonObject = Annotated[dict[str, Any], AfterValidator(no_nul_deep)]
