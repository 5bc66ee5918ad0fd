"""A set of text stretches with fast "is this offset covered?" checks.

Stages mark what they have claimed (a date, a document's sign, a person's
title) so that others leave it alone. A list scanned for every check would
make large inputs quadratic; this keeps merged stretches sorted instead.
"""

from __future__ import annotations

import bisect


class SpanSet:
    """Merged, sorted ``[start, end)`` stretches."""

    def __init__(self, spans=()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        starts, ends = self._starts, self._ends
        # Sorted by start, a stretch merges with the last one or follows it
        # (what ``add`` does, without a search per stretch).
        for s, e in sorted(spans):
            if e <= s:
                continue
            if ends and s <= ends[-1]:
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(s)
                ends.append(e)

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, merging it with any stretch it touches."""
        if end <= start:
            return
        i = bisect.bisect_left(self._ends, start)
        j = bisect.bisect_right(self._starts, end)
        if i < j:
            start = min(start, self._starts[i])
            end = max(end, self._ends[j - 1])
        self._starts[i:j] = [start]
        self._ends[i:j] = [end]

    def covers(self, pos: int) -> bool:
        """True when ``pos`` lies inside a stretch."""
        k = bisect.bisect_right(self._starts, pos) - 1
        return k >= 0 and pos < self._ends[k]

    def overlaps(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` shares a character with a stretch."""
        k = bisect.bisect_right(self._starts, end - 1) - 1
        return k >= 0 and self._ends[k] > start
