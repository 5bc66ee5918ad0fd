"""Vietnamese dates: formatting as official documents write them, and parsing.

Pure Python, no Django import: the ingestion pipeline uses these too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone

from nghiquyet.core.text import fold

__all__ = [
    "WEEKDAYS",
    "DateError",
    "format_date",
    "format_date_long",
    "format_date_official",
    "format_datetime",
    "format_place_date",
    "parse_date",
    "weekday_name",
]

# Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset
# avoids depending on the system's tz database (intranet machines).
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class DateError(ValueError):
    """A date that cannot be read; the message is Vietnamese, for the user."""


def weekday_name(d: date) -> str:
    """Vietnamese weekday of ``d``: "Thứ Hai" … "Chủ nhật"."""
    return WEEKDAYS[d.weekday()]


def format_date(d: date | None) -> str:
    """Short numeric date for tables and forms: "05/02/2023"; None → ""."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _official_day_month(d: date) -> tuple[str, str]:
    # Nghị định 30/2020/NĐ-CP, Phụ lục I: days below 10 and months 1 and 2
    # take a leading zero (so "1" cannot be turned into "11" or "12" by
    # hand); other months do not: "ngày 05 tháng 02", "ngày 15 tháng 3".
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return day, month


def format_date_official(d: date) -> str:
    """Numeric date with the official-document zero rule: "01/3/2020", "05/02/2023"."""
    day, month = _official_day_month(d)
    return f"{day}/{month}/{d.year}"


def format_date_long(d: date) -> str:
    """Long official form: "ngày 05 tháng 02 năm 2023", "ngày 15 tháng 3 năm 2026"."""
    day, month = _official_day_month(d)
    return f"ngày {day} tháng {month} năm {d.year}"


def format_place_date(place: str, d: date) -> str:
    """The place-and-date line of an official document: "Hà Tĩnh, ngày 05 tháng 02 năm 2026"."""
    return f"{place.strip()}, {format_date_long(d)}"


def format_datetime(dt: datetime | None) -> str:
    """Time then date, "14:05 05/02/2023"; aware datetimes in Vietnam time; None → ""."""
    if dt is None:
        return ""
    if dt.tzinfo is not None:
        dt = dt.astimezone(VN_TZ)
    return f"{dt.hour:02d}:{dt.minute:02d} {format_date(dt.date())}"


_NUMERIC = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$"
)
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam|/|-)\s*(\d{4})$")


def _build(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f'Ngày "{text}" không tồn tại') from None


def parse_date(text: str | date) -> date:
    """Read a Vietnamese or ISO date: "30/6/2020", "30-6-2020", "30.6.2020",
    "ngày 30 tháng 6 năm 2020", "2020-06-30". Day first, always; a
    two-digit year is refused rather than guessed.

    Raises DateError with a Vietnamese message.
    """
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    if not isinstance(text, str):
        raise DateError(f'Không đọc được ngày "{text}"')
    raw = unicodedata.normalize("NFC", text).strip()
    key = fold(raw).rstrip(".")
    if not key:
        raise DateError("Chưa nhập ngày")
    if m := _NUMERIC.match(key):
        return _build(raw, int(m[4]), int(m[3]), int(m[1]))
    if m := _ISO.match(key):
        return _build(raw, int(m[1]), int(m[2]), int(m[3]))
    if m := _WORDS.match(key):
        return _build(raw, int(m[3]), int(m[2]), int(m[1]))
    raise DateError(f'Không đọc được ngày "{raw}" (viết theo ngày/tháng/năm, ví dụ 30/6/2020)')
