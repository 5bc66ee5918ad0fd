"""Vietnamese numbers: "2.989" is two thousand nine hundred eighty-nine,
"48,93" is forty-eight point nine three.

Pure Python, no Django import: the ingestion pipeline uses these too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "STORED_DECIMALS",
    "NumberError",
    "convert_to_measure",
    "format_figure",
    "format_number",
    "format_percent",
    "measure_nouns",
    "parse_number",
    "parse_quantity",
    "stored_figure",
]

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


def format_figure(value: Number | str | None, kind: str = "number") -> str:
    """A figure shown rounded for its kind, trailing zeros dropped:
    "percent" to two decimals at most (93.3788 → "93,38"); "integer" whole
    when it is, else two decimals (a mean of counts); "number" two decimals
    at most, but three significant digits below 1 so a small figure is not
    shown as 0 (0.00425 tỷ đồng → "0,00425"). None → ""."""
    if value is None:
        return ""
    d = _to_decimal(value)
    places = 2
    if kind == "integer" and d == d.to_integral_value():
        places = 0
    elif kind == "number" and d and abs(d) < 1:
        # Three significant digits: 0.00425 has its first at 10^-3.
        places = max(2, 2 - d.adjusted())
    d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_number(d.normalize() if d != d.to_integral_value() else d.quantize(Decimal(1)))


_SIGNS = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}
_GROUP_SPACES = " \u00a0\u202f\u2009"
# The number: digits with ".", "," or spaces between them; what follows is
# the unit ("2.989 đảng viên", "95,4%").
_NUMBER = re.compile(r"(\d(?:[.,]\d|[ \u00a0\u202f\u2009]\d|\d)*)")


_NOT_A_UNIT = re.compile(r"(?:[eE][+\-\u2212]?\d|\s*[/:^*×x]\s*\d|\s*[²³])")


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
    if _NOT_A_UNIT.match(unit):
        # "1e3", "1/2", "1:2", "1^2": another way of writing a number, not a
        # unit after it — read as 1 it would be silently wrong.
        raise _bad(original, "chỉ nhập số viết thông thường (không dùng lũy thừa, phân số)")
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


# -- units of measure ----------------------------------------------------------

# Words that multiply what follows: "4,25 triệu đồng", "1,5 nghìn hộ".
_SCALES: dict[str, Decimal] = {
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "triệu": Decimal(10) ** 6,
    "tỷ": Decimal(10) ** 9,
    "tỉ": Decimal(10) ** 9,
}

# Units with a dimension: name → (dimension, size in the dimension's base unit).
_UNITS: dict[str, tuple[str, Decimal]] = {
    "%": ("tỷ lệ", Decimal("0.01")),
    "phần trăm": ("tỷ lệ", Decimal("0.01")),
    "‰": ("tỷ lệ", Decimal("0.001")),
    "phần nghìn": ("tỷ lệ", Decimal("0.001")),
    "đồng": ("tiền", Decimal(1)),
    "đ": ("tiền", Decimal(1)),
    "vnđ": ("tiền", Decimal(1)),
    "vnd": ("tiền", Decimal(1)),
    "usd": ("đô la Mỹ", Decimal(1)),
    "đô la mỹ": ("đô la Mỹ", Decimal(1)),
    "m": ("chiều dài", Decimal(1)),
    "mét": ("chiều dài", Decimal(1)),
    "km": ("chiều dài", Decimal(1000)),
    "ki-lô-mét": ("chiều dài", Decimal(1000)),
    "m²": ("diện tích", Decimal(1)),
    "mét vuông": ("diện tích", Decimal(1)),
    "ha": ("diện tích", Decimal(10) ** 4),
    "héc-ta": ("diện tích", Decimal(10) ** 4),
    "hécta": ("diện tích", Decimal(10) ** 4),
    "hecta": ("diện tích", Decimal(10) ** 4),
    "km²": ("diện tích", Decimal(10) ** 6),
    "m³": ("thể tích", Decimal(1)),
    "kg": ("khối lượng", Decimal(1)),
    "tạ": ("khối lượng", Decimal(100)),
    "tấn": ("khối lượng", Decimal(1000)),
}

_SUPERSCRIPTS = re.compile(r"(?<=m)([23])\b")

# Stored values keep this many decimal places (targets.Result.value).
STORED_DECIMALS = 10


@dataclass(frozen=True)
class _Unit:
    """A unit read from text: a dimension and a size in its base unit, or
    a counted noun ("hộ", "xã"), or only a scale ("triệu")."""

    dimension: str | None  # None: a bare scale or nothing; "đếm" for counted nouns
    size: Decimal
    nouns: frozenset[str] = frozenset()


def _norm_unit(text: str) -> str:
    t = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return _SUPERSCRIPTS.sub(lambda m: "²" if m.group(1) == "2" else "³", t)


def _read_unit(text: str) -> _Unit:
    words = _norm_unit(text).split(" ") if text.strip() else []
    size = Decimal(1)
    while words and words[0] in _SCALES:
        size *= _SCALES[words.pop(0)]
    rest = " ".join(words)
    if not rest:
        return _Unit(None, size)
    if rest in _UNITS:
        dim, unit_size = _UNITS[rest]
        return _Unit(dim, size * unit_size)
    return _Unit("đếm", size, frozenset({rest}))


def _read_measure(measure: str) -> tuple[_Unit, str]:
    """A target's unit of measure: "tỷ đồng", "%", "xã, phường" (either
    noun), "triệu đồng/người" (the part after "/" must match as written)."""
    head, _, per = measure.partition("/")
    alternatives = [a for a in re.split(r",|;| hoặc ", head) if a.strip()]
    units = [_read_unit(a) for a in alternatives] or [_Unit(None, Decimal(1))]
    first = units[0]
    if first.dimension == "đếm" and all(u.dimension == "đếm" and u.size == first.size for u in units):
        first = _Unit("đếm", first.size, frozenset().union(*(u.nouns for u in units)))
    return first, _norm_unit(per)


def stored_figure(value: Decimal | None) -> Decimal | None:
    """A stored figure as it is handed on (API, audit): every digit it
    holds and at least four decimal places ("5.0000", "0.00425"), the form
    figures had before the stored precision was widened to ten places; a
    value with four places or fewer is left as it is."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= -4:
        return value  # a column of four places or fewer reads as it is
    least = value.normalize().as_tuple().exponent
    assert isinstance(least, int)
    return value.quantize(Decimal(1).scaleb(min(least, -4)))


def measure_nouns(measure: str) -> frozenset[str]:
    """The nouns a measure counts ("xã, phường" → {"xã", "phường"}; lower
    case), or nothing when it is not a plain count (%, tỷ đồng, nghìn hộ)."""
    unit, per = _read_measure(measure)
    if unit.dimension != "đếm" or unit.size != 1 or per:
        return frozenset()
    return unit.nouns


def convert_to_measure(value: Decimal, typed: str, measure: str) -> Decimal:
    """``value`` written with the unit ``typed`` ("4,25" "triệu đồng"),
    in the target's ``measure`` ("tỷ đồng") → Decimal("0.00425"), every
    digit kept. A known multiple converts (nghìn, triệu, tỷ; %, ‰; m, km;
    m², ha, km²; kg, tạ, tấn); a bare scale word applies to the measure's
    own base ("1,5 nghìn" hộ → 1500); a counted noun must be the measure's
    own ("12 km" for hộ is refused). Raises NumberError (Vietnamese) naming
    the unit expected, or when the converted value would need more than
    ``STORED_DECIMALS`` decimal places (stored, it would lose digits)."""
    typed = typed.strip()
    if not typed:
        return value
    measure = measure.strip()
    expected = f"“{measure}”" if measure else "số không kèm đơn vị"
    refused = NumberError(f"Đơn vị “{typed}” không phù hợp: chỉ tiêu này tính bằng {expected}.")
    typed_head, slash, typed_per = typed.partition("/")
    want, want_per = _read_measure(measure)
    if slash and _norm_unit(typed_per) != want_per:
        raise refused
    got, _ = _read_measure(typed_head)
    if got.dimension is None:
        # A bare scale: "1,5 nghìn" (hộ) is 1.500 hộ; "4,25 triệu" (tỷ đồng)
        # is 4,25 triệu of the measure's base unit (đồng).
        if want.dimension is None:
            size_in_measure = got.size
        else:
            size_in_measure = got.size / want.size
    elif want.dimension is None and not measure:
        if got.dimension != "đếm":
            raise refused
        size_in_measure = got.size
    elif got.dimension != want.dimension:
        raise refused
    elif got.dimension == "đếm" and not (got.nouns <= want.nouns):
        raise refused
    else:
        size_in_measure = got.size / want.size
    out = value * size_in_measure
    exponent = out.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > STORED_DECIMALS:
        raise NumberError(
            f"“{format_number(value)} {typed}” đổi ra {measure or 'đơn vị của chỉ tiêu'} cần quá "
            f"{STORED_DECIMALS} chữ số thập phân, không lưu đủ được; hãy nhập theo {expected}."
        )
    return out
