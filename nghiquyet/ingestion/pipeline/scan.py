"""Fast scanning helpers for the stage patterns.

Python's regex engine skips ahead fast only when a pattern starts with a
literal or a character class; a pattern that starts with a lookaround, a
repeat or an optional group is tried at every position of the text. For
such patterns a *gate* — a cheap pattern that starts on a class and must
match wherever the real pattern can start — finds the candidates, and
the real pattern is tried only there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def gated_finditer(gate: re.Pattern, pattern: re.Pattern, text: str, pos: int = 0) -> Iterator[re.Match]:
    """Yield what ``pattern.finditer(text, pos)`` yields, trying ``pattern``
    only where ``gate`` matches.

    ``gate`` must match at every position where ``pattern`` matches, and
    ``pattern`` must never match the empty string.
    """
    search = gate.search
    match = pattern.match
    n = len(text)
    while pos < n:
        g = search(text, pos)
        if g is None:
            return
        q = g.start()
        m = match(text, q)
        if m is None:
            pos = q + 1
            continue
        yield m
        pos = m.end()


def occurrences(text: str, word: str, end: int | None = None) -> Iterator[int]:
    """Every position where ``word`` starts in ``text[:end]``, in order
    (``str.find``, a fast search, once per occurrence)."""
    stop = len(text) if end is None else end
    p = text.find(word, 0, stop)
    while p != -1:
        yield p
        p = text.find(word, p + 1, stop)


def candidate_finditer(
    pattern: re.Pattern, text: str, starts: list[int], endpos: int | None = None
) -> Iterator[re.Match]:
    """What ``pattern.finditer(text, 0, endpos)`` yields, trying ``pattern``
    only at ``starts`` (sorted, distinct): positions that hold every start
    of a match. The same holds for ``gated_finditer(gate, pattern, text)``."""
    match = pattern.match
    stop = len(text) if endpos is None else endpos
    pos = 0
    for q in starts:
        if q < pos:
            continue
        m = match(text, q, stop)
        if m is not None:
            yield m
            pos = m.end()


# Characters that IGNORECASE matches beyond what ``str.lower`` gives ("ı"
# and "ſ" match "i" and "s", the Kelvin sign "k") or that ``str.lower``
# lengthens ("İ"). Without any of them, "the lower-cased text holds the
# word" is exactly "the IGNORECASE pattern finds the word".
ODD_CASE = re.compile("[İıſ\u212a]")


def has_odd_case(text: str) -> bool:
    """``ODD_CASE.search(text) is not None``, by four substring checks
    (a fraction of the cost of a character-class scan)."""
    return "İ" in text or "ı" in text or "ſ" in text or "\u212a" in text


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """``any(w in text for w in words)``, without a generator."""
    for w in words:
        if w in text:
            return True
    return False


def by_last_char(words: list[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``words`` grouped by their last character, for ``ends_with_label``."""
    out: dict[str, list[str]] = {}
    for w in words:
        out.setdefault(w[-1:], []).append(w)
    return {k: tuple(v) for k, v in out.items()}


def ends_with_label(
    text: str, lo: int, hi: int, words: dict[str, tuple[str, ...]], fallback: re.Pattern
) -> bool:
    """True when ``text[lo:hi]`` ends with one of the lower-case words of
    ``words`` (``by_last_char``), then blanks, an optional colon and blanks
    — what ``fallback.search(text, lo, hi)`` finds for
    ``(?:words)\\s*:?\\s*$`` under IGNORECASE, without trying the
    alternation at every position (nor every word at the end)."""
    window = text[lo:hi]
    if has_odd_case(window):
        return bool(fallback.search(text, lo, hi))
    tail = window.rstrip()
    if tail.endswith(":"):
        tail = tail[:-1].rstrip()
    low = tail.lower()
    candidates = words.get(low[-1:])
    return candidates is not None and low.endswith(candidates)


def trie_pattern(words, *, not_after: str = "") -> str:
    """An alternation of ``words`` written as a trie.

    Words that match at one position are prefixes of each other, and the
    trie tries the longer first, so it finds what a longest-first
    alternation finds. Each branch starts on a literal, which lets the
    engine skip ahead to the possible first characters. ``not_after`` (a
    character class body) is checked right after the first character: no
    such character may stand before the word.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, depth: int) -> str:
        alts = []
        for ch, child in sorted(node.items()):
            if not ch:
                continue
            lit = re.escape(ch)
            guard = f"(?<![{not_after}]{lit})" if depth == 0 and not_after else ""
            alts.append(lit + guard + build(child, depth + 1))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return "(?:" + build(trie, 0) + ")"
