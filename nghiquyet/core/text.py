"""Vietnamese text helpers: tone placement, folding for search, collation.

Pure Python, no Django import: the ingestion pipeline uses these too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Old-style tone placement puts the mark on the second vowel of "oa", "oe",
# "uy" ("hoà", "uỷ"); the new style (Bộ GD&ĐT 2018 guidance) puts it on the
# first ("hòa", "ủy"). Both are current, and they are different strings
# even after NFC, so anything compared or searched goes through here.
_TONE_MARKS = {
    "\u0300": "grave",  # huyền
    "\u0309": "hook",  # hỏi
    "\u0303": "tilde",  # ngã
    "\u0301": "acute",  # sắc
    "\u0323": "dot",  # nặng
}

_PAIRS: tuple[tuple[str, str], ...] = (("o", "a"), ("o", "e"), ("u", "y"))


def _with_tone(ch: str, mark: str) -> str:
    return unicodedata.normalize("NFC", ch + mark)


def _build_old_to_new() -> dict[str, str]:
    table: dict[str, str] = {}
    for first, second in _PAIRS:
        for mark in _TONE_MARKS:
            for f, s in ((first, second), (first.upper(), second.upper()), (first.upper(), second)):
                old = f + _with_tone(s, mark)
                new = _with_tone(f, mark) + s
                table[old] = new
    return table


OLD_TO_NEW_TONES: dict[str, str] = _build_old_to_new()
# Every entry maps two NFC characters to two NFC characters, so the swap
# keeps offsets: a span found in the converted text is valid in the input.
assert all(len(k) == 2 and len(v) == 2 for k, v in OLD_TO_NEW_TONES.items())


def to_new_tone_style(text: str) -> str:
    """Return NFC ``text`` with old tone placement moved to the new style.

    Only the "oa", "oe", "uy" diphthongs differ between the styles, and only
    when no consonant follows ("hoàn", "quyết" are the same in both). The
    result has the same length as the NFC input.
    """
    text = unicodedata.normalize("NFC", text)
    if not any(ch in text for ch in "àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ"):
        return text
    out = list(text)
    n = len(text)
    i = 0
    while i < n - 1:
        pair = text[i : i + 2]
        new = OLD_TO_NEW_TONES.get(pair)
        if new is not None:
            nxt = text[i + 2] if i + 2 < n else ""
            # "quý", "quỳ" keep the mark on y: the u belongs to "qu".
            prev = text[i - 1] if i > 0 else ""
            if not nxt.isalpha() and prev.lower() != "q":
                out[i], out[i + 1] = new[0], new[1]
                i += 2
                continue
        i += 1
    return "".join(out)


def strip_diacritics(text: str) -> str:
    """Remove every diacritic, đ → d: "Đức Thọ" → "Duc Tho"."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d").replace("Đ", "D")


def fold(text: str) -> str:
    """Key for accent- and case-insensitive search: "Tỉnh Uỷ" → "tinh uy"."""
    return " ".join(strip_diacritics(text).casefold().split())


def normalize_name(text: str) -> str:
    """Key for matching names as written: NFC, new tone style, casefold,
    single spaces. Keeps the diacritics ("Hà" and "Hạ" stay apart)."""
    return " ".join(to_new_tone_style(text).casefold().split())


# Vietnamese alphabetical order: letters first (ă, â after a; đ after d;
# ê after e; ô, ơ after o; ư after u), then tones as a secondary key in the
# dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


# A few hundred distinct characters; loading the 14,000 units calls it 500,000 times.
@lru_cache(maxsize=4096)
def _split_letter(ch: str) -> tuple[str, str]:
    """Split a character into its base letter (with breve/circumflex/horn) and tone."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = ""
    for mark in decomposed[1:]:
        if mark in _BASE_MARKS:
            base += mark
        elif mark in _TONE_RANK:
            tone = mark
    return unicodedata.normalize("NFC", base), tone


def vn_sort_key(text: str) -> tuple:
    """Sort key following Vietnamese dictionary order, not code points.

    Primary: letters in the Vietnamese alphabet; secondary: tones;
    tertiary: case. So "An" < "Ăn" < "Bình" < "Đào" < "Ê".
    """
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for ch in unicodedata.normalize("NFC", to_new_tone_style(text)):
        base, tone = _split_letter(ch)
        rank = _LETTER_RANK.get(base)
        if rank is None:
            # Digits and punctuation before letters, in code point order.
            primary.append(-1_000_000 + ord(ch) if not ch.isalpha() else 1000 + ord(base[0]))
        else:
            primary.append(rank)
        secondary.append(_TONE_RANK.get(tone, 0))
        tertiary.append(0 if ch.islower() or not ch.isalpha() else 1)
    return (primary, secondary, tertiary)


def vn_sorted(items, key=lambda x: x):
    """Sort ``items`` by Vietnamese order of ``key(item)``."""
    return sorted(items, key=lambda item: vn_sort_key(key(item)))


def vn_collation_string(text: str, max_length: int = 255) -> str:
    """An ASCII key whose plain order is the Vietnamese order of ``text``.

    Databases sort by code point or by a server locale that may not know
    Vietnamese; storing this beside a name lets ``ORDER BY`` follow
    Vietnamese order on SQLite and PostgreSQL alike. Only lowercase hex
    digits are used, since locale collations skip punctuation but order
    digits and letters as ASCII does.
    """
    primary, secondary, tertiary = vn_sort_key(text)
    chunks = []
    for p in primary:
        if 0 <= p < len(_ALPHABET):
            chunks.append(f"{0xA00 + p:03x}")
        elif p >= 1000:  # a letter outside the Vietnamese alphabet
            chunks.append(f"{0xB00 + (p - 1000) % 0x4FF:03x}")
        else:  # digits, spaces, punctuation: before letters
            chunks.append(f"{min(max(p + 1_000_000, 1), 0x9FF):03x}")
    key = (
        "".join(chunks) + "000" + "".join(str(t) for t in secondary) + "0" + "".join(str(t) for t in tertiary)
    )
    return key[:max_length]
