"""Offset-keeping normalisation.

Every later stage works on a normalised copy of the text: NFC, new-style
tone placement ("uỷ" → "ủy"), one kind of space and dash, no zero-width
characters. Facts found there must point into the text as read, so the
normalised copy carries a map back to the original offsets.

Most changes keep the length (a space for a space, "uỷ" for "ủy"), so the
map only has to record the few places where the length changed: NFD
clusters composed by NFC and removed zero-width characters.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Final

from nghiquyet.core.text import OLD_TO_NEW_TONES

# One-for-one replacements: odd spaces become a plain space, the dash
# family a hyphen, line and paragraph separators a newline.
_SAME_LENGTH = str.maketrans(
    {
        **{
            ch: " "
            for ch in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
            "\u202f\u205f\u3000\t\x0b\x0c"
        },
        **{ch: "-" for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        "\u2028": "\n",
        "\u2029": "\n",
        "\x85": "\n",
        "\r": " ",  # "\r\n" keeps its "\n"; a lone "\r" is rare enough to be a space
    }
)

_ODD_CHARS: Final = re.compile("[" + "".join(re.escape(chr(c)) for c in _SAME_LENGTH) + "]+")

# Characters that carry nothing: they are dropped (the length changes).
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
# A base character followed by combining marks: the only places where NFC
# can change the length of Vietnamese text.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_CHANGING: Final = re.compile(f"[{_ZERO_WIDTH}]+|.?[{_COMBINING}]+", re.DOTALL)
_NEEDS_PASS: Final = re.compile(f"[{_ZERO_WIDTH}{_COMBINING}]")
# Anything the two passes above would touch, in one scan: most texts have
# none, and then both are skipped.
_ANY_ODD: Final = re.compile(
    f"[{_ZERO_WIDTH}{_COMBINING}" + "".join(re.escape(chr(c)) for c in _SAME_LENGTH) + "]"
)


# An ASCII letter after the pair means a consonant ending ("hoàn", "toàn"):
# never moved, so the scan does not stop there (other letters are checked
# in Python). Pairs cannot overlap, so skipping one hides no other.
#
# Every pair is two characters, so the pairs are written as one class of
# second characters per first character: the same matches, where an
# alternation of the 45 pairs tried them one by one at every "o" and "u".
def _old_tone_pattern() -> str:
    seconds: dict[str, list[str]] = {}
    for pair in OLD_TO_NEW_TONES:
        seconds.setdefault(pair[0], []).append(pair[1])
    alts = [f"{re.escape(first)}[{''.join(sorted(chars))}]" for first, chars in sorted(seconds.items())]
    return "(?:" + "|".join(alts) + ")(?![A-Za-z])"


_OLD_TONE: Final = re.compile(_old_tone_pattern())


def new_tone_style(text: str) -> str:
    """Move old-style tone marks to the new style in NFC ``text``.

    Same result as ``nghiquyet.core.text.to_new_tone_style`` on NFC input,
    but one regex scan instead of a Python loop per character, so it keeps
    up with large inputs. The length never changes.
    """
    if not _OLD_TONE.search(text):
        return text
    parts: list[str] = []
    last = 0
    n = len(text)
    for m in _OLD_TONE.finditer(text):
        i = m.start()
        nxt = text[i + 2] if i + 2 < n else ""
        prev = text[i - 1] if i > 0 else ""
        # A following letter means a consonant ending ("hoàn"): no move.
        # After "q" the "u" belongs to "qu" ("quý"): no move.
        if nxt.isalpha() or prev.lower() == "q":
            continue
        parts.append(text[last:i])
        parts.append(OLD_TO_NEW_TONES[m.group()])
        last = i + 2
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


@dataclass
class Normalized:
    """A normalised text with the way back to the original offsets."""

    text: str
    original_length: int
    # Changed stretches, sorted: (norm_start, norm_end, orig_start, orig_end).
    _changes: list[tuple[int, int, int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """Map an offset of ``text`` to the original text.

        Inside a stretch whose length changed, a start maps to the
        stretch's start and an end to its end, so a mapped span always
        covers what the normalised span covered.
        """
        if not self._changes:
            return pos
        # An end looks only at stretches starting before it, so that
        # zero-width characters removed right after a span stay out of it.
        k = (bisect.bisect_left(self._starts, pos) if end else bisect.bisect_right(self._starts, pos)) - 1
        if k < 0:
            return pos
        ns, ne, os_, oe = self._changes[k]
        if pos < ne:
            return oe if end and pos > ns else os_
        return pos - ne + oe

    @property
    def changed_length(self) -> bool:
        """True when characters were composed or dropped (offsets shift)."""
        return bool(self._changes)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the original text."""
        s = self.to_original(start)
        e = self.to_original(end, end=True)
        return (s, max(e, s))


def normalize(text: str) -> Normalized:
    """Normalise ``text`` (NFC, new tone style, plain spaces and dashes).

    The result's ``span()`` maps offsets back into ``text``.
    """
    changes: list[tuple[int, int, int, int]] = []
    out = text
    odd = _ANY_ODD.search(text) is not None
    if odd and _NEEDS_PASS.search(text):
        parts: list[str] = []
        last = 0
        norm_pos = 0
        for m in _CHANGING.finditer(text):
            s, e = m.span()
            chunk = m.group()
            repl = "" if chunk[0] in _ZERO_WIDTH else unicodedata.normalize("NFC", chunk)
            if repl == chunk:
                continue
            parts.append(text[last:s])
            norm_pos += s - last
            changes.append((norm_pos, norm_pos + len(repl), s, e))
            parts.append(repl)
            norm_pos += len(repl)
            last = e
        parts.append(text[last:])
        out = "".join(parts)
    if not unicodedata.is_normalized("NFC", out):
        # Compositions outside the clusters above (Hangul jamo and the
        # like): normalise line by line, mapping each changed line whole.
        changes, out = _normalize_lines(text)
        odd = True
    if odd and _ODD_CHARS.search(out):
        out = _ODD_CHARS.sub(lambda m: m.group().translate(_SAME_LENGTH), out)
    out = new_tone_style(out)
    norm = Normalized(text=out, original_length=len(text), _changes=changes)
    norm._starts = [c[0] for c in changes]
    return norm


def _normalize_lines(text: str) -> tuple[list[tuple[int, int, int, int]], str]:
    """Slow path: NFC per line, each changed line one coarse stretch."""
    changes = []
    parts = []
    norm_pos = 0
    orig_pos = 0
    for line in text.splitlines(keepends=True):
        repl = unicodedata.normalize("NFC", "".join(ch for ch in line if ch not in _ZERO_WIDTH))
        if repl != line:
            changes.append((norm_pos, norm_pos + len(repl), orig_pos, orig_pos + len(line)))
        parts.append(repl)
        norm_pos += len(repl)
        orig_pos += len(line)
    return changes, "".join(parts)
