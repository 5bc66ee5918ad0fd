"""Vietnamese text in the legacy 8-bit encodings: TCVN3 (ABC) and VNI.

Office files from before Unicode (and text pasted from them) still reach
Party offices. TCVN3 puts each precomposed lower-case letter in one byte
(upper-case letters with tones had no code: a separate "H" font drew the
lower-case codes as capitals). VNI writes a base letter followed by one
or two mark bytes ("Vieät" is "Việt"). Both show up as Latin-1 gibberish
("ViÖt Nam", "Vieät Nam") when read as anything else.

The tables are written out from the published layouts of the two
encodings. Conversion works on text whose characters are the Latin-1
reading of those bytes, which covers both raw files and gibberish that
was already stored as Unicode.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Final

from nghiquyet.ingestion.pipeline.scan import trie_pattern

# TCVN3 (TCVN 5712:1993, VN3, the "ABC" fonts): byte -> character.
_TCVN3_ROWS = {
    0xA1: "ĂÂÊÔƠƯĐ",  # 0xA1-0xA7
    0xA8: "ăâêôơưđ",  # 0xA8-0xAE
    0xB5: "àảãáạ",  # 0xB5-0xB9
    0xBB: "ằẳẵắ",  # 0xBB-0xBE
    0xC6: "ặầẩẫấậèẻ",  # 0xC6-0xCB, then è 0xCC, (0xCD unused) ẻ 0xCE: fixed below
    0xCF: "ẽéẹềểễếệìỉ",  # 0xCF-0xD8
    0xDC: "ĩíịò",  # 0xDC-0xDF
    0xE1: "ỏõóọồổỗốộờởỡớợù",  # 0xE1-0xEF
    0xF1: "ủũúụừửữứựỳỷỹýỵ",  # 0xF1-0xFE
}


def _tcvn3_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for start, chars in _TCVN3_ROWS.items():
        for i, ch in enumerate(chars):
            table[start + i] = ch
    # The 0xC6 row skips 0xCD: è is 0xCC and ẻ is 0xCE.
    table[0xCC] = "è"
    table.pop(0xCD, None)
    table[0xCE] = "ẻ"
    return table


TCVN3_TO_UNICODE: dict[int, str] = _tcvn3_table()
UNICODE_TO_TCVN3: dict[str, int] = {ch: code for code, ch in TCVN3_TO_UNICODE.items()}
# Latin-1 code points read from TCVN3 bytes -> the letters they stand for.
_TCVN3_TRANSLATE = {code: ch for code, ch in TCVN3_TO_UNICODE.items()}

# VNI: marks written after the base letter.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_VNI_CIRC = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
# Letters VNI gives a byte of their own.
_VNI_SINGLE = {
    "ñ": "đ",
    "Ñ": "Đ",
    "ì": "ì",
    "í": "í",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "Ì": "Ì",
    "Í": "Í",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
}


def _vni_table() -> dict[str, str]:
    table: dict[str, str] = {}

    def add(base: str, marks: str, seq: str) -> None:
        for b in (base, base.upper()):
            for s in {seq, seq.upper()}:
                table[b + s] = unicodedata.normalize("NFC", b + marks)

    for base in "aeouy":
        for mark, tone in _VNI_TONE.items():
            add(base, tone, mark)
    for base in "aeo":
        for mark, tone in _VNI_CIRC.items():
            add(base, _CIRC + tone, mark)
    for mark, tone in _VNI_BREVE.items():
        add("a", _BREVE + tone, mark)
    for base, horn in (("o", "ô"), ("u", "ö")):
        add(base, _HORN, horn)
        for mark, tone in _VNI_TONE.items():
            add(base, _HORN + tone, horn + mark)
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()


# The same as a 256-character decoding table, for ``codecs.charmap_decode``
# (a table lookup per byte in C, where ``str.translate`` looks each
# character up in a dict).
_TCVN3_DECODING = "".join(TCVN3_TO_UNICODE.get(b, chr(b)) for b in range(256))


def tcvn3_to_unicode(text: str) -> str:
    """Convert the Latin-1 reading of TCVN3 text to Unicode (NFC)."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        # Characters beyond Latin-1 stay as they are.
        return text.translate(_TCVN3_TRANSLATE)
    return codecs.charmap_decode(data, "strict", _TCVN3_DECODING)[0]


def unicode_to_tcvn3(text: str) -> bytes:
    """Encode ``text`` in TCVN3 (upper-case toned letters become lower-case,
    as the encoding has no codes for them). Used to make test files."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = UNICODE_TO_TCVN3.get(ch)
        if code is None:
            code = UNICODE_TO_TCVN3.get(ch.lower())
        if code is None:
            out += ch.encode("latin-1", errors="replace")
        else:
            out.append(code)
    return bytes(out)


# Every VNI spelling (sequences and single letters), reversed -> its letter.
_VNI_REVERSED: Final[dict[str, str]] = {k[::-1]: v for k, v in {**_VNI_SINGLE, **VNI_TO_UNICODE}.items()}
# Every VNI spelling, reversed, in one capturing group (a trie). A spelling
# is a base vowel and one or two marks (or a letter of its own), and no
# character is both a base and a mark: each spelling is found where its
# base is, whichever way the text is read, so the matches in the reversed
# text are those a forward scan finds in the text. Read backwards, a match
# starts on a mark, far rarer than a vowel, which is where a forward
# pattern has to try.
_VNI_SPLIT_REVERSED: Final = re.compile("(" + trie_pattern(_VNI_REVERSED) + ")")


def _vni_parts(text: str) -> list[str]:
    """``text`` reversed and split around its VNI spellings (odd indexes)."""
    return _VNI_SPLIT_REVERSED.split(text[::-1])


def _vni_join(parts: list[str]) -> str:
    """The converted text from ``_vni_parts``: each spelling replaced by its
    letter (the lookups done by ``map`` in C, not per match in Python)."""
    parts[1::2] = map(_VNI_REVERSED.__getitem__, parts[1::2])
    return "".join(parts)[::-1]


def vni_to_unicode(text: str) -> str:
    """Convert the Latin-1 reading of VNI text to Unicode (NFC)."""
    parts = _vni_parts(text)
    return text if len(parts) == 1 else _vni_join(parts)


_UNICODE_TO_VNI = {
    v: k for k, v in VNI_TO_UNICODE.items() if k[0].islower() == k[1:].islower() or k[0].isupper()
}


def unicode_to_vni(text: str) -> bytes:
    """Encode ``text`` in VNI. Used to make test files."""
    rev: dict[str, str] = {}
    for seq, ch in VNI_TO_UNICODE.items():
        # Prefer the spelling whose marks have the case of the base letter.
        if seq[1:] == (seq[1:].upper() if seq[0].isupper() else seq[1:].lower()):
            rev.setdefault(ch, seq)
    for k, v in _VNI_SINGLE.items():
        rev.setdefault(v, k)
    return "".join(rev.get(ch, ch) for ch in unicodedata.normalize("NFC", text)).encode(
        "latin-1", errors="replace"
    )


# What a Vietnamese syllable looks like once decoded: letters only, at most
# one toned vowel. Used to tell which decoding of unknown bytes is right.
_VN_MARKED = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
_WORD: Final = re.compile(r"[^\W\d_]+")
_LATIN1_SYMBOLS = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿×÷\xad")
_MARKED_CLASS = "".join(sorted(_VN_MARKED | {c.upper() for c in _VN_MARKED}))
# A word of at most 7 letters with one marked Vietnamese letter in it.
_GOOD_WORD: Final = re.compile(
    rf"(?<![^\W\d_])(?=[^\W\d_]{{1,7}}(?![^\W\d_]))[^\W\d_]*[{_MARKED_CLASS}][^\W\d_]*"
)
_VN_MARKED_BOTH: Final = frozenset(_MARKED_CLASS)
_SYMBOL: Final = re.compile("[" + "".join(sorted(_LATIN1_SYMBOLS)) + "]")


def vietnamese_score(text: str) -> float:
    """Share of words that look like marked Vietnamese syllables, minus
    the share that carry stray Latin-1 symbols. Higher is more Vietnamese."""
    sample = text[:50_000]
    words = _WORD.findall(sample)
    if not words:
        return 0.0
    # Same count as ``_GOOD_WORD.findall``, one word at a time: words of
    # at most 7 letters holding a marked letter.
    short = [w for w in words if len(w) <= 7]
    good = len(short) - sum(map(_VN_MARKED_BOTH.isdisjoint, short))
    bad = len(_SYMBOL.findall(sample))
    return (good - bad) / len(words)


def _class_table(chars: str) -> bytes:
    """For each byte ``b``, how ``vietnamese_score`` sees ``chars[b]``: b"m"
    a word character that is a marked letter, b"a" another word character
    (``_WORD``), b" " anything else."""
    out = bytearray()
    for ch in chars:
        out += (b"m" if ch in _VN_MARKED_BOTH else b"a") if _WORD.fullmatch(ch) else b" "
    return bytes(out)


_LATIN1_CHARS: Final = "".join(map(chr, range(256)))
_CLASSES_LATIN1: Final = _class_table(_LATIN1_CHARS)
_CLASSES_TCVN3: Final = _class_table(_TCVN3_DECODING)
_NOT_SYMBOL_LATIN1: Final = bytes(b for b in range(256) if _LATIN1_CHARS[b] not in _LATIN1_SYMBOLS)
_NOT_SYMBOL_TCVN3: Final = bytes(b for b in range(256) if _TCVN3_DECODING[b] not in _LATIN1_SYMBOLS)
_AM_TO_X: Final = bytes.maketrans(b"am", b"xx")
# In the classes of ``_score_bytes`` (a blank before every run): a run of
# at least 8 word classes holding a marked letter, up to its first "m".
_LONG_MARKED: Final = re.compile(rb" (?=[am]{8})a*m")


def _score_bytes(data: bytes, classes: bytes, not_symbol: bytes) -> float:
    """``vietnamese_score`` of the text whose characters are ``data``'s
    bytes read through a table (Latin-1, or TCVN3): the words are the runs
    of word classes, counted on the bytes with no per-character Unicode
    lookup and no object per word."""
    sample = data[:50_000]
    # A blank before the text: every run of word classes starts after one.
    padded = b" " + sample.translate(classes)
    words = padded.count(b" a") + padded.count(b" m")
    if not words:
        return 0.0
    # Without the "a"s, each run holding an "m" is one group of "m"s; a run
    # longer than 7 is no syllable, and _LONG_MARKED finds those holding an "m".
    good = padded.translate(None, b"a").count(b" m")
    if b"xxxxxxxx" in padded.translate(_AM_TO_X):
        good -= len(_LONG_MARKED.findall(padded))
    bad = len(sample.translate(None, not_symbol))
    return (good - bad) / words


# Characters beyond Latin-1, except the typographic quotes and dashes that
# legacy-encoded pages carry anyway.
_BEYOND_LATIN1: Final = re.compile("[^\x00-\xff\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")


def guess_legacy(text: str) -> tuple[str, str] | None:
    """If ``text`` reads better as TCVN3 or VNI, return (name, converted).

    ``text`` is the Latin-1 reading of bytes (or gibberish already stored
    as Unicode). Returns None when neither conversion is an improvement.
    """
    try:
        data: bytes | None = text.encode("latin-1")
    except UnicodeEncodeError:
        data = None
    # Text that encodes as Latin-1 has no character _BEYOND_LATIN1 finds.
    if data is None and _BEYOND_LATIN1.search(text, 0, 200_000):
        # Real Unicode Vietnamese letters (beyond Latin-1): not legacy.
        if sum(ch in _VN_MARKED for ch in text[:200_000]) > 20:
            return None
    # Text of Latin-1 characters is scored on its bytes, as read and as
    # TCVN3 (a byte for a letter); VNI's letters span bytes.
    if data is None:
        base = vietnamese_score(text)
        tcvn3 = tcvn3_to_unicode(text)
        vni = vni_to_unicode(text)
        scores = (vietnamese_score(tcvn3), vietnamese_score(vni))
    else:
        base = _score_bytes(data, _CLASSES_LATIN1, _NOT_SYMBOL_LATIN1)
        parts = _vni_parts(text)
        # Both conversions are scored on bytes; only the one chosen is made.
        scores = (_score_bytes(data, _CLASSES_TCVN3, _NOT_SYMBOL_TCVN3), _vni_score_bytes(parts))
    best = -1
    for i in (0, 1):
        if scores[i] > base + 0.15 and (best < 0 or scores[i] > scores[best]):
            best = i
    if best < 0:
        return None
    if data is None:
        return ("tcvn3", tcvn3) if best == 0 else ("vni", vni)
    return ("tcvn3", tcvn3_to_unicode(text)) if best == 0 else ("vni", _vni_join(parts))


def _vni_score_bytes(parts: list[str]) -> float:
    """``vietnamese_score(vni_to_unicode(text))`` from ``_vni_parts(text)``,
    for Latin-1 ``text``.

    Each VNI spelling becomes one marked letter (beyond Latin-1 or not) and
    every character of a spelling is a letter: the text with each spelling
    replaced by one marked Latin-1 letter ("à") has the same words, word
    lengths, marked words and symbols, and its characters are bytes, which
    ``_score_bytes`` counts."""
    marked = "\xe0".join(parts[::2])[::-1].encode("latin-1")
    return _score_bytes(marked, _CLASSES_LATIN1, _NOT_SYMBOL_LATIN1)
