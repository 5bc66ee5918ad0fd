"""Administrative merges stated in text.

"xã Đức Thọ được thành lập trên cơ sở sáp nhập thị trấn A và các xã B, C"
→ the new unit and the old ones it was made of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nghiquyet.ingestion.pipeline.lexicon import LETTER, UPPER

_LEVEL = r"(?:[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Đđ]ặc khu|[Tt]ỉnh|[Hh]uyện|[Qq]uận|[Xx]ã|[Pp]hường)"
_PLACE = rf"[{UPPER}][{LETTER}]*(?: [{UPPER}][{LETTER}]*){{0,3}}"
_UNIT = rf"(?P<level>{_LEVEL}) (?P<name>{_PLACE})"
_FROM = re.compile(
    rf"(?:(?<![{LETTER}])(?P<new>{_LEVEL} {_PLACE})(?: \(mới\))?[^.;\n]{{0,60}}?)?"
    rf"(?:thành lập|hình thành)? ?(?:trên cơ sở )?(?:sáp nhập|hợp nhất|nhập)"
    rf"(?: toàn bộ)?(?: diện tích tự nhiên(?:,| và)? quy mô dân số của)?(?: các)? (?P<list>{_LEVEL}s? [^.;\n]{{2,400}}?)"
    rf"(?: thành (?P<new2>{_LEVEL} {_PLACE}))?(?=[.;\n]|$| để| nhằm| theo| với)"
)
_LIST_ITEM = re.compile(rf"(?:(?:các|và|,)\s*)*(?:(?P<level>{_LEVEL})s?\s+)?(?P<name>{_PLACE})")


@dataclass
class Merge:
    """A unit made of others."""

    unit: str | None
    parts: list[str]
    start: int
    end: int


def find_merges(text: str) -> list[Merge]:
    """Every merge stated in ``text``."""
    merges = []
    for m in _FROM.finditer(text):
        parts: list[str] = []
        level = None
        body = m.group("list")
        body = re.split(r" thành (?=" + _LEVEL + ")", body)[0]
        for item in _LIST_ITEM.finditer(body):
            if item.group("level"):
                level = item.group("level").lower()
            if level is None:
                continue
            parts.append(f"{level} {item.group('name')}")
        if len(parts) < 2:
            continue
        new = m.group("new") or m.group("new2")
        merges.append(Merge(new, parts, m.start(), m.end()))
    return merges
