"""Where the stages' scans can start, found in one pass over the text.

Several stages scan the whole text for a pattern that starts on one of a
list of words (titles, family names, "đồng chí", meeting words, kinds of
documents, level words, names of bodies and provinces). Python's regex
engine does each of those scans on its own, trying the pattern at every
character that can begin one of the words. Here one Aho-Corasick automaton
over all the words (ahocorasick-rs, in Rust) finds every occurrence of every
word at once; each stage then tries its pattern only there
(``scan.candidate_finditer``), which finds exactly what its scan finds.

Contract of a group: every match of the stage's pattern starts where one of
the group's words stands, and never right after a letter (all of these
patterns have that guard), so occurrences right after a letter are dropped
here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

from ahocorasick_rs import AhoCorasick

from nghiquyet.ingestion.pipeline.lexicon import LETTER, expand_class
from nghiquyet.ingestion.pipeline.scan import candidate_finditer, gated_finditer

_LETTERS: Final = frozenset(expand_class(LETTER))


class Triggers:
    """The start positions of each group's words in one text."""

    def __init__(self, starts: dict[str, list[int]]) -> None:
        self._starts = starts

    def starts(self, group: str) -> list[int]:
        """Sorted, distinct positions where a word of ``group`` starts."""
        return self._starts[group]


class TriggerFinder:
    """An automaton over the words of every group."""

    def __init__(self, groups: Mapping[str, Sequence[str]]) -> None:
        words = sorted({w for ws in groups.values() for w in ws if w})
        position = {w: i for i, w in enumerate(words)}
        groups_of: list[list[str]] = [[] for _ in words]
        for name, ws in groups.items():
            for w in set(ws):
                if w:
                    groups_of[position[w]].append(name)
        self._names = list(groups)
        self._groups_of = [tuple(g) for g in groups_of]
        self._automaton = AhoCorasick(words)

    def find(self, text: str) -> Triggers:
        """Every group's start positions in ``text``."""
        starts: dict[str, list[int]] = {name: [] for name in self._names}
        groups_of = self._groups_of
        letters = _LETTERS
        for i, s, _ in self._automaton.find_matches_as_indexes(text, overlapping=True):
            if s and text[s - 1] in letters:
                continue
            for name in groups_of[i]:
                starts[name].append(s)
        # Overlapping matches come by their end; several words can start
        # at one position ("Bí thư", "Bí thư Tỉnh ủy").
        return Triggers({name: sorted(set(found)) for name, found in starts.items()})


def scan_matches(
    pattern: re.Pattern, text: str, triggers: Triggers | None, group: str, gate: re.Pattern | None = None
) -> Iterator[re.Match]:
    """The matches of a stage's scan: ``pattern.finditer(text)`` (through
    ``gated_finditer`` when there is a ``gate``), or the same matches tried
    only at ``group``'s starts when the ``triggers`` of ``text`` are given."""
    if triggers is not None:
        return candidate_finditer(pattern, text, triggers.starts(group))
    return pattern.finditer(text) if gate is None else gated_finditer(gate, pattern, text)
