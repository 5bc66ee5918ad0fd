"""Bytes in, text out: encodings, legacy Vietnamese, HTML pages.

The text returned here is "the text as read": every span the pipeline
reports is an offset into it, and ``extract --text`` prints it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Final

from nghiquyet.ingestion.pipeline import legacy
from nghiquyet.ingestion.pipeline.html import extract_html


class DecodeError(ValueError):
    """The input cannot be read as text (binary data, unknown encoding)."""


@dataclass
class Decoded:
    """A decoded input: the text, how it was read, and hints from markup."""

    text: str
    encoding: str
    is_html: bool = False
    hints: dict = field(default_factory=dict)


_HTML_START: Final = re.compile(
    r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|article|p)\b",
    re.IGNORECASE | re.DOTALL,
)
_META_CHARSET: Final = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_CONTROL: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or fragment."""
    return bool(_HTML_START.match(text[:4096]))


def decode_bytes(data: bytes, *, name: str = "") -> Decoded:
    """Decode ``data`` into text, converting legacy encodings and HTML.

    Raises DecodeError for binary data.
    """
    text, encoding = _decode_text(data)
    if name.lower().endswith((".html", ".htm", ".xhtml")) or looks_like_html(text):
        body, hints = extract_html(text)
        return Decoded(text=body, encoding=encoding, is_html=True, hints=hints)
    return Decoded(text=text, encoding=encoding)


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="replace")), "utf-8-sig"
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _checked(data[len(bom) :].decode(enc, errors="replace")), enc
    head = data[:4096]
    if head and head.count(0) * 4 >= len(head):
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        enc = "utf-16-le" if odd > even else "utf-16-be"
        text = data.decode(enc, errors="replace")
        if text.count("\ufffd") * 20 < len(text) + 1:
            return _checked(text), enc
        raise DecodeError("binary data (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, encoding = _decode_8bit(data)
        _checked(text)
    else:
        encoding = "utf-8"
        _checked_utf8(data, text)
    guess = legacy.guess_legacy(text) if _has_latin1_letters(text) else None
    if guess is not None:
        return guess[1], guess[0] if encoding != "utf-8" else f"utf-8+{guess[0]}"
    return text, encoding


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: a declared charset, else legacy or cp1258."""
    m = _META_CHARSET.search(data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"), errors="replace"), m.group(1).decode(
                "ascii"
            ).lower()
        except LookupError:
            pass
    latin1 = data.decode("latin-1")
    guess = legacy.guess_legacy(latin1)
    if guess is not None:
        return guess[1], guess[0]
    cp1258 = data.decode("cp1258", errors="replace")
    import unicodedata

    return unicodedata.normalize("NFC", cp1258), "cp1258"


_LATIN1: Final = re.compile("[\xa0-\xff]")
# Letters only Unicode Vietnamese has (beyond Latin-1): their presence
# means the text is already Unicode, not legacy gibberish.
_VN_UNICODE: Final = re.compile("[ăĂđĐĩĨũŨơƠưƯ\u1ea0-\u1ef9]")


# At least 21 of those letters, in one match (no match object per letter).
_VN_UNICODE_21: Final = re.compile(
    "(?:[^" + _VN_UNICODE.pattern[1:-1] + "]*+" + _VN_UNICODE.pattern + "){21}"
)


def _has_latin1_letters(text: str) -> bool:
    sample = text[:50_000]
    # Stop counting at the 21st letter: Unicode text is settled early.
    if _VN_UNICODE_21.match(sample):
        return False
    return len(_LATIN1.findall(sample)) > max(5, len(sample) // 200)


# Every byte but the control characters of _CONTROL: deleting them leaves
# the control characters alone.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))


def _checked_utf8(data: bytes, text: str) -> None:
    """``_checked(text)`` for ``text = data.decode("utf-8")``: in UTF-8 the
    control characters are their own bytes and no other character uses
    those bytes, so they are counted on the bytes, without a scan of the text."""
    if len(text) > 65536:
        _checked(text)
        return
    controls = data.translate(None, _NOT_CONTROL_BYTES)
    if b"\x00" in controls or (controls and len(controls) * 10 > len(text)):
        raise DecodeError("binary data, not text")


def _checked(text: str) -> str:
    """Refuse text that is mostly control characters: a binary file."""
    sample = text[:65536]
    if "\x00" in sample or (_CONTROL.search(sample) and len(_CONTROL.findall(sample)) * 10 > len(sample)):
        raise DecodeError("binary data, not text")
    return text
