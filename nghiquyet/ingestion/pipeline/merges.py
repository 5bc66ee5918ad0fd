"""Administrative merges stated in text.

"xã Đức Thọ được thành lập trên cơ sở sáp nhập thị trấn A và các xã B, C"
→ the new unit and the old ones it was made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import LETTER, UPPER
from nghiquyet.ingestion.pipeline.scan import candidate_finditer, occurrences

_LEVEL = r"(?:[Tt]hành phố|[Tt]hị xã|[Tt]hị trấn|[Đđ]ặc khu|[Tt]ỉnh|[Hh]uyện|[Qq]uận|[Xx]ã|[Pp]hường)"
_PLACE = rf"[{UPPER}][{LETTER}]*(?: [{UPPER}][{LETTER}]*){{0,3}}"
# The scan starts on the verb, a literal the engine finds fast.
_VERB: Final = re.compile(
    r"(?=[sShHnN])(?:[Ss]áp nhập|[Hh]ợp nhất|nhập)(?: toàn bộ)?"
    r"(?: diện tích tự nhiên(?:,| và)? quy mô dân số của)?(?: các)? "
)
_LIST: Final = re.compile(rf"(?={_LEVEL})[^.;\n]{{2,400}}?(?=[.;\n]|$| để| nhằm| theo| với)")
_NEW_BEFORE: Final = re.compile(rf"(?P<new>{_LEVEL} {_PLACE})(?: \(mới\))?[^.;\n]{{0,60}}$")
_NEW_AFTER: Final = re.compile(rf" thành (?P<new>{_LEVEL} {_PLACE})")
_LIST_ITEM: Final = re.compile(rf"(?:(?:các|và|,)\s*)*(?:(?P<level>{_LEVEL})s?\s+)?(?P<name>{_PLACE})")


def _verb_matches(text: str) -> Iterator[re.Match]:
    """What ``_VERB.finditer(text)`` yields, tried only where a verb can
    start: at "nhập" itself, four characters before it ("sáp "), and one
    character before "ợp nhất". The word is found with ``str.find``."""
    starts: set[int] = set()
    for p in occurrences(text, "nhập"):
        starts.add(p)
        if p >= 4:
            starts.add(p - 4)
    starts.update(p - 1 for p in occurrences(text, "ợp nhất") if p >= 1)
    return candidate_finditer(_VERB, text, sorted(starts))


@dataclass
class Merge:
    """A unit made of others."""

    unit: str | None
    parts: list[str]
    start: int
    end: int


def find_merges(text: str) -> list[Merge]:
    """Every merge stated in ``text``."""
    merges: list[Merge] = []
    # Every verb form holds one of these (lower case, as the pattern has
    # them): without them the scan would find nothing.
    if "nhập" not in text and "ợp nhất" not in text:
        return merges
    for v in _verb_matches(text):
        lm = _LIST.match(text, v.end())
        if not lm:
            continue
        body = lm.group()
        after = _NEW_AFTER.search(body)
        if after:
            body = body[: after.start()]
        parts: list[str] = []
        level = None
        for item in _LIST_ITEM.finditer(body):
            if item.group("level"):
                level = item.group("level").lower()
            if level is not None:
                parts.append(f"{level} {item.group('name')}")
        if len(parts) < 2:
            continue
        before = _NEW_BEFORE.search(text, max(0, v.start() - 120), v.start())
        new = after.group("new") if after else before.group("new") if before else None
        start = before.start() if before and not after else v.start()
        merges.append(Merge(new, parts, start, lm.end()))
    return merges
