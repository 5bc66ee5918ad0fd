"""Vietnamese numbers: "2.989" is two thousand nine hundred eighty-nine,
"48,93" is forty-eight point nine three.

Pure Python, no Django import: the ingestion pipeline uses these too.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["NumberError", "format_number", "format_percent", "parse_number", "parse_quantity"]

Number = int | float | Decimal


class NumberError(ValueError):
    """A number that cannot be read; the message is Vietnamese, for the user."""


def _to_decimal(value: Number | str) -> Decimal:
    if isinstance(value, bool):
        raise NumberError(f'"{value}" không phải là số')
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        # str() gives the shortest repr, so 48.93 stays 48.93 and not 48.9299999…
        d = Decimal(str(value))
    elif isinstance(value, str):
        d = parse_number(value)
    else:
        raise NumberError(f'"{value}" không phải là số')
    if not d.is_finite():
        raise NumberError(f'"{value}" không phải là số hữu hạn')
    return d


def format_number(value: Number | str | None, decimals: int | None = None) -> str:
    """Vietnamese form: "." between thousands, "," before decimals.

    2989 → "2.989", 48.93 → "48,93", -1234567.5 → "-1.234.567,5", None → "".
    ``decimals=None`` keeps the value's own digits without trailing zeros;
    an int rounds half up to that many places and keeps the zeros
    (``format_number(48.9, 2)`` → "48,90").
    """
    if value is None:
        return ""
    d = _to_decimal(value)
    if decimals is None:
        if d == d.to_integral_value():
            d = d.quantize(Decimal(1))
        else:
            d = d.normalize()
    else:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups) + ("," + frac if frac else "")
    # No "-0": a value that rounds to zero is shown as zero.
    if d < 0 and any(ch not in "0.," for ch in out):
        out = "-" + out
    return out


def format_percent(value: Number | str | None, decimals: int | None = 1) -> str:
    """A percentage already scaled to 100: 95.4 → "95,4%" (not 0.954)."""
    if value is None:
        return ""
    return format_number(value, decimals) + "%"


_SIGNS = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}
_GROUP_SPACES = " \u00a0\u202f\u2009"
# The number: digits with ".", "," or spaces between them; what follows is
# the unit ("2.989 đảng viên", "95,4%").
_NUMBER = re.compile(r"(\d(?:[.,]\d|[ \u00a0\u202f\u2009]\d|\d)*)")


def _bad(text: str, why: str = "") -> NumberError:
    return NumberError(f'Không đọc được số "{text}"' + (f": {why}" if why else ""))


def _is_thousands(groups: list[str]) -> bool:
    """Whether groups split at a separator read as thousands: 1–3 digits not
    starting with 0 ("0.500" is a decimal), then groups of exactly 3."""
    first, rest = groups[0], groups[1:]
    return 1 <= len(first) <= 3 and not first.startswith("0") and all(len(g) == 3 for g in rest)


def _read_digits(token: str, original: str) -> Decimal:
    """Read a token of digits, ".", "," (spaces already checked and removed)."""
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        if token.rfind(",") > token.rfind(".") and commas == 1:
            whole, frac = token.split(",")  # Vietnamese: 1.234.567,5
            if not _is_thousands(whole.split(".")):
                raise _bad(original, "dấu chấm phải ngăn cách hàng nghìn")
        elif token.rfind(".") > token.rfind(",") and dots == 1:
            whole, frac = token.split(".")  # English: 1,234,567.5 — no other reading
            if not _is_thousands(whole.split(",")):
                raise _bad(original, "dấu phẩy là dấu thập phân")
        else:
            raise _bad(original, "dấu phân cách không hợp lệ")
        return Decimal(whole.replace(".", "").replace(",", "") + "." + frac)
    if commas:
        if commas > 1:
            raise _bad(original, "chỉ được có một dấu phẩy thập phân")
        whole, frac = token.split(",")
        return Decimal(whole + "." + frac)
    if dots:
        groups = token.split(".")
        # Vietnamese convention wins when ambiguous: "2.989" is 2989.
        if _is_thousands(groups):
            return Decimal("".join(groups))
        if dots == 1:
            return Decimal(token)  # "48.93", "0.5", "1234.567": only a decimal point fits
        raise _bad(original, "dấu chấm phải ngăn cách hàng nghìn")
    return Decimal(token)


def parse_quantity(text: str | Number) -> tuple[Decimal, str]:
    """Read a number and the unit written after it: "2.989 đảng viên" →
    (Decimal("2989"), "đảng viên"); "95,4%" → (Decimal("95.4"), "%").

    Accepts "." or spaces between thousands and "," before decimals
    ("1.234.567,5", "1 234 567,5"), a plain "48.93" when only a decimal
    point fits, and a leading sign. Raises NumberError (Vietnamese message).
    """
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return _to_decimal(text), ""
    if not isinstance(text, str):
        raise _bad(str(text))
    raw = " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
    original = unicodedata.normalize("NFC", text).strip()
    if not raw:
        raise NumberError("Chưa nhập số")
    s = raw
    sign = 1
    if s[0] in _SIGNS:
        sign = _SIGNS[s[0]]
        s = s[1:].lstrip()
    m = _NUMBER.match(s)
    if m is None:
        raise _bad(original)
    token, unit = m.group(1), s[m.end() :].strip()
    if unit and (unit[0].isdigit() or unit[0] in ".,+-"):
        raise _bad(original)
    if any(ch in token for ch in _GROUP_SPACES):
        parts = re.split(f"[{_GROUP_SPACES}]", token)
        head, tail = parts[:-1], parts[-1]
        last_whole = re.split(r"[.,]", tail)[0]
        if "." in token or not _is_thousands([*head, last_whole]) or tail.count(",") > 1:
            raise _bad(original, "khoảng trắng chỉ dùng để ngăn cách hàng nghìn")
        token = "".join(parts)
    try:
        value = _read_digits(token, original)
    except InvalidOperation:
        raise _bad(original) from None
    return sign * value, unit


def parse_number(text: str | Number) -> Decimal:
    """Read a Vietnamese number; a unit or "%" after it is allowed and dropped.

    "2.989" → 2989, "48,93" → 48.93, "1.234.567,5", "−5", "95,4%",
    "2.989 đảng viên" → 2989. Rejects "abc", "1,2,3", "" with NumberError.
    """
    return parse_quantity(text)[0]
