"""Reporting periods: month, quarter, half-year, nine months, year, mid-term,
term and custom windows, with their Vietnamese labels both ways.

Pure Python, no Django import. A period is stored as a compact key
(``Period.key()``, e.g. "2020-Q3") and shown as a label ("Quý III/2020").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from nghiquyet.core.dates import format_date_official
from nghiquyet.core.text import fold

__all__ = [
    "PERIOD_KIND_LABELS",
    "Period",
    "PeriodError",
    "PeriodKind",
    "current_period",
    "format_period",
    "parse_period",
    "parse_period_key",
    "periods_between",
]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    MID_TERM = "mid_term"
    TERM = "term"
    CUSTOM = "custom"


PERIOD_KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "Tháng",
    PeriodKind.QUARTER: "Quý",
    PeriodKind.HALF: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.YEAR: "Năm",
    PeriodKind.MID_TERM: "Giữa nhiệm kỳ",
    PeriodKind.TERM: "Nhiệm kỳ",
    PeriodKind.CUSTOM: "Khoảng thời gian",
}


class PeriodError(ValueError):
    """A period that cannot be read or built; the message is Vietnamese."""


# Party committee terms have been five years since the VIII Congress (1996),
# and People's Council terms are five years too. Mid-term is only defined for
# five-year terms, so that its label can be recovered from its dates.
TERM_YEARS_FOR_MID_TERM = 5

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {v.lower(): k for k, v in _ROMAN.items()}

_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> None:
    if not isinstance(year, int) or not (_MIN_YEAR <= year <= _MAX_YEAR):
        raise PeriodError(f"Năm {year} không hợp lệ (phải từ {_MIN_YEAR} đến {_MAX_YEAR})")


def _add_months(d: date, months: int) -> date:
    """First day of the month ``months`` after d's month."""
    total = d.year * 12 + (d.month - 1) + months
    return date(total // 12, total % 12 + 1, 1)


class _ClassOrInstance:
    """A class-level constructor that reads as a property on instances."""

    def __init__(self, on_class, on_instance) -> None:
        self.on_class = on_class
        self.on_instance = on_instance
        self.__doc__ = on_instance.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.on_class.__get__(owner, type(owner))
        return self.on_instance(obj)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting window: ``start`` and ``end`` both inclusive.

    Build through the constructors (``Period.quarter(2020, 3)``); the
    direct form is checked so that a QUARTER really is a calendar quarter.
    Ordering is by start, then end: chronological for periods of one kind.
    """

    start: date
    end: date
    kind: PeriodKind

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise PeriodError("Kỳ báo cáo phải có ngày bắt đầu và ngày kết thúc")
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            raise PeriodError(f'Loại kỳ báo cáo "{self.kind}" không hợp lệ') from None
        object.__setattr__(self, "kind", kind)
        if self.start > self.end:
            raise PeriodError(
                f"Ngày bắt đầu {format_date_official(self.start)} sau ngày kết thúc "
                f"{format_date_official(self.end)}"
            )
        if kind is not PeriodKind.CUSTOM and self._expected_end() != self.end:
            raise PeriodError(
                f"Khoảng {format_date_official(self.start)} – {format_date_official(self.end)} "
                f"không phải là một kỳ loại {PERIOD_KIND_LABELS[kind].lower()}"
            )

    def _expected_end(self) -> date | None:
        """The end a period of this kind starting at ``start`` must have, or None
        when ``start`` is not a valid start for the kind."""
        s, k = self.start, self.kind
        if s.day != 1:
            return None
        if k is PeriodKind.MONTH:
            return _last_day(s.year, s.month)
        if k is PeriodKind.QUARTER:
            return _last_day(s.year, s.month + 2) if s.month in (1, 4, 7, 10) else None
        if k is PeriodKind.HALF:
            return _last_day(s.year, s.month + 5) if s.month in (1, 7) else None
        if s.month != 1:
            return None
        if k is PeriodKind.NINE_MONTHS:
            return date(s.year, 9, 30)
        if k is PeriodKind.YEAR:
            return date(s.year, 12, 31)
        if k is PeriodKind.TERM:
            return (
                self.end if self.end.month == 12 and self.end.day == 31 and self.end.year > s.year else None
            )
        if k is PeriodKind.MID_TERM:
            return date(s.year + 2, 6, 30)
        return None

    # -- constructors -------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        _check_year(year)
        if not isinstance(month, int) or not 1 <= month <= 12:
            raise PeriodError(f"Tháng {month} không hợp lệ (phải từ 1 đến 12)")
        return cls(date(year, month, 1), _last_day(year, month), PeriodKind.MONTH)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        _check_year(year)
        if not isinstance(quarter, int) or not 1 <= quarter <= 4:
            raise PeriodError(f"Quý {quarter} không hợp lệ (phải từ I đến IV)")
        first = 3 * quarter - 2
        return cls(date(year, first, 1), _last_day(year, first + 2), PeriodKind.QUARTER)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        _check_year(year)
        if half not in (1, 2):
            raise PeriodError(f"Nửa năm {half} không hợp lệ (1 là 6 tháng đầu năm, 2 là 6 tháng cuối năm)")
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30), PeriodKind.HALF)
        return cls(date(year, 7, 1), date(year, 12, 31), PeriodKind.HALF)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        _check_year(year)
        return cls(date(year, 1, 1), date(year, 9, 30), PeriodKind.NINE_MONTHS)

    def _year_constructor(cls, year: int) -> Period:  # noqa: N805  # bound by _ClassOrInstance
        _check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), PeriodKind.YEAR)  # type: ignore[operator]

    @classmethod
    def term(cls, first_year: int, last_year: int) -> Period:
        """A committee term, 1 Jan of its first year to 31 Dec of its last.

        Terms are named by their congress years ("2020–2025") and the
        congress year belongs to both terms: the outgoing one is reviewed up
        to it and the incoming one starts in it. So consecutive terms overlap
        by that year, by design.
        """
        _check_year(first_year)
        _check_year(last_year)
        if last_year <= first_year:
            raise PeriodError(f"Nhiệm kỳ {first_year}–{last_year} không hợp lệ: năm cuối phải sau năm đầu")
        return cls(date(first_year, 1, 1), date(last_year, 12, 31), PeriodKind.TERM)

    @classmethod
    def mid_term(cls, first_year: int, last_year: int) -> Period:
        """The mid-term window of a five-year term.

        Party mid-term reviews (sơ kết giữa nhiệm kỳ) cover the first half of
        the term: from 1 January of its first year to 30 June of its third,
        so 2020–2025 → 2020-01-01..2022-06-30.
        """
        _check_year(first_year)
        if last_year - first_year != TERM_YEARS_FOR_MID_TERM:
            raise PeriodError(
                f"Giữa nhiệm kỳ {first_year}–{last_year} không hợp lệ: "
                f"chỉ áp dụng cho nhiệm kỳ {TERM_YEARS_FOR_MID_TERM} năm"
            )
        return cls(date(first_year, 1, 1), date(first_year + 2, 6, 30), PeriodKind.MID_TERM)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """A document's own window, e.g. a directive running 01/3/2020 – 31/8/2020."""
        return cls(start, end, PeriodKind.CUSTOM)

    # -- properties ---------------------------------------------------------

    @property
    def label(self) -> str:
        return format_period(self)

    def _year_of(self) -> int:
        """The year of the end date (the year a report on this period belongs to)."""
        return self.end.year

    # ``Period.year(2021)`` builds a year; ``p.year`` is the year of p's end.
    year = _ClassOrInstance(_year_constructor, _year_of)

    @property
    def index(self) -> int | None:
        """Position within the year: month 1–12, quarter 1–4, half 1–2; None otherwise."""
        if self.kind is PeriodKind.MONTH:
            return self.start.month
        if self.kind is PeriodKind.QUARTER:
            return (self.start.month - 1) // 3 + 1
        if self.kind is PeriodKind.HALF:
            return 1 if self.start.month == 1 else 2
        return None

    ordinal = index

    @property
    def term_years(self) -> tuple[int, int] | None:
        """(first year, last year) of the term, for TERM and MID_TERM; None otherwise."""
        if self.kind is PeriodKind.TERM:
            return self.start.year, self.end.year
        if self.kind is PeriodKind.MID_TERM:
            return self.start.year, self.start.year + TERM_YEARS_FOR_MID_TERM
        return None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    # -- relations ----------------------------------------------------------

    def contains(self, other: Period | date) -> bool:
        """Whether ``other`` (a period or a day) lies entirely within this period."""
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def is_year_end(self) -> bool:
        """Whether the period ends on 31 December (year-end-only targets are judged then)."""
        return self.end.month == 12 and self.end.day == 31

    def previous(self) -> Period:
        """The period of the same kind just before this one.

        Nine months → the previous year's nine months; term → the previous
        term of the same length (2020–2025 → 2015–2020); custom → the window
        of the same length ending the day before this one starts.
        """
        k = self.kind
        if k is PeriodKind.MONTH:
            s = _add_months(self.start, -1)
            return Period.month(s.year, s.month)
        if k is PeriodKind.QUARTER:
            s = _add_months(self.start, -3)
            return Period.quarter(s.year, (s.month - 1) // 3 + 1)
        if k is PeriodKind.HALF:
            s = _add_months(self.start, -6)
            return Period.half(s.year, 1 if s.month == 1 else 2)
        if k is PeriodKind.NINE_MONTHS:
            return Period.nine_months(self.start.year - 1)
        if k is PeriodKind.YEAR:
            return Period.year(self.start.year - 1)
        if k in (PeriodKind.TERM, PeriodKind.MID_TERM):
            first, last = self.term_years  # type: ignore[misc]
            length = last - first
            ctor = Period.term if k is PeriodKind.TERM else Period.mid_term
            return ctor(first - length, first)
        end = self.start - timedelta(days=1)
        return Period.custom(end - timedelta(days=self.days - 1), end)

    def same_period_last_year(self) -> Period:
        """The same period one year earlier ("cùng kỳ năm trước").

        Defined for month, quarter, half, nine months and year, and for a
        custom window (29 February becomes 28 February). Not for terms.
        """
        k = self.kind
        if k is PeriodKind.MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        if k is PeriodKind.QUARTER:
            return Period.quarter(self.start.year - 1, self.index)  # type: ignore[arg-type]
        if k is PeriodKind.HALF:
            return Period.half(self.start.year - 1, self.index)  # type: ignore[arg-type]
        if k is PeriodKind.NINE_MONTHS:
            return Period.nine_months(self.start.year - 1)
        if k is PeriodKind.YEAR:
            return Period.year(self.start.year - 1)
        if k is PeriodKind.CUSTOM:
            return Period.custom(_year_earlier(self.start), _year_earlier(self.end))
        raise PeriodError(f"{format_period(self)} không có cùng kỳ năm trước")

    def subperiods(self, kind: PeriodKind | str) -> list[Period]:
        """The periods of ``kind`` that tile this one exactly, in order:
        the 4 quarters of a year, the 3 months of a quarter, the 5 years of
        a term… Raises PeriodError when they do not tile (quarters of a
        month, halves of nine months)."""
        kind = PeriodKind(kind)
        if kind is self.kind and kind is not PeriodKind.CUSTOM:
            return [self]
        if kind in (PeriodKind.TERM, PeriodKind.MID_TERM, PeriodKind.CUSTOM, PeriodKind.NINE_MONTHS):
            raise PeriodError(
                f"Không chia {format_period(self)} thành các kỳ loại {PERIOD_KIND_LABELS[kind].lower()}"
            )
        parts = periods_between(kind, self.start, self.end)
        if not parts or parts[0].start != self.start or parts[-1].end != self.end:
            raise PeriodError(
                f"Không chia {format_period(self)} thành các kỳ loại {PERIOD_KIND_LABELS[kind].lower()}"
            )
        return parts

    # -- storage ------------------------------------------------------------

    def key(self) -> str:
        """Stable compact key for storage and URLs: "2024-M03", "2020-Q3",
        "2020-H1", "2024-9M", "2021", "T2020-2025", "MT2020-2025",
        "2020-03-01..2020-08-31". ``parse_period_key`` is the inverse."""
        k, y = self.kind, self.start.year
        if k is PeriodKind.MONTH:
            return f"{y}-M{self.start.month:02d}"
        if k is PeriodKind.QUARTER:
            return f"{y}-Q{self.index}"
        if k is PeriodKind.HALF:
            return f"{y}-H{self.index}"
        if k is PeriodKind.NINE_MONTHS:
            return f"{y}-9M"
        if k is PeriodKind.YEAR:
            return str(y)
        if k in (PeriodKind.TERM, PeriodKind.MID_TERM):
            first, last = self.term_years  # type: ignore[misc]
            return f"{'T' if k is PeriodKind.TERM else 'MT'}{first}-{last}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def __str__(self) -> str:
        return format_period(self)


def _year_earlier(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


# -- keys ---------------------------------------------------------------------

_KEY_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-M(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-Q(\d)$"), "quarter"),
    (re.compile(r"^(\d{4})-H(\d)$"), "half"),
    (re.compile(r"^(\d{4})-9M$"), "nine"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^T(\d{4})-(\d{4})$"), "term"),
    (re.compile(r"^MT(\d{4})-(\d{4})$"), "mid"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$"), "custom"),
]


def parse_period_key(key: str) -> Period:
    """Inverse of ``Period.key()``. Raises PeriodError."""
    text = key.strip() if isinstance(key, str) else ""
    for pattern, shape in _KEY_PATTERNS:
        m = pattern.match(text)
        if m is None:
            continue
        g = m.groups()
        try:
            if shape == "custom":
                return Period.custom(date.fromisoformat(g[0]), date.fromisoformat(g[1]))
            n = [int(x) for x in g]
        except ValueError:
            break
        return _from_shape(shape, n)
    raise PeriodError(f'Mã kỳ báo cáo "{key}" không hợp lệ')


def _from_shape(shape: str, n: list[int]) -> Period:
    if shape == "month":
        return Period.month(n[0], n[1])
    if shape == "quarter":
        return Period.quarter(n[0], n[1])
    if shape == "half":
        return Period.half(n[0], n[1])
    if shape == "nine":
        return Period.nine_months(n[0])
    if shape == "year":
        return Period.year(n[0])
    if shape == "term":
        return Period.term(n[0], n[1])
    if shape == "mid":
        return Period.mid_term(n[0], n[1])
    raise AssertionError(shape)


# -- labels -------------------------------------------------------------------


def format_period(p: Period) -> str:
    """The canonical Vietnamese label: "Tháng 3/2024", "Quý III/2020",
    "6 tháng đầu năm 2020", "9 tháng năm 2024", "Năm 2021",
    "Nhiệm kỳ 2020–2025", "Giữa nhiệm kỳ 2020–2025", "01/3/2020 – 31/8/2020"."""
    k, y = p.kind, p.start.year
    if k is PeriodKind.MONTH:
        return f"Tháng {p.start.month}/{y}"
    if k is PeriodKind.QUARTER:
        return f"Quý {_ROMAN[p.index]}/{y}"  # type: ignore[index]
    if k is PeriodKind.HALF:
        return f"6 tháng {'đầu' if p.index == 1 else 'cuối'} năm {y}"
    if k is PeriodKind.NINE_MONTHS:
        return f"9 tháng năm {y}"
    if k is PeriodKind.YEAR:
        return f"Năm {y}"
    if k in (PeriodKind.TERM, PeriodKind.MID_TERM):
        first, last = p.term_years  # type: ignore[misc]
        prefix = "Nhiệm kỳ" if k is PeriodKind.TERM else "Giữa nhiệm kỳ"
        return f"{prefix} {first}\u2013{last}"
    # Custom windows use the official-document date form (Nghị định 30/2020:
    # a leading zero on days below 10 and on months 1 and 2) and an en dash.
    return f"{format_date_official(p.start)} \u2013 {format_date_official(p.end)}"


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")

# Matched against fold(text): lower case, no diacritics, single spaces, so
# old and new tone styles ("quý", "quí") and unaccented input read the same.
_Y = r"(\d{4})"
_SEP = r"\s*(?:/|-|nam)\s*"
_DMY = r"(?:ngay\s*)?(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{4})"
_LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^thang\s*(\d{{1,2}}){_SEP}{_Y}$"), "month"),
    (re.compile(rf"^(?:quy|qui)\s*([ivx]+|\d+){_SEP}{_Y}$"), "quarter"),
    (re.compile(rf"^(?:6|sau) thang dau nam\s*/?\s*{_Y}$"), "half1"),
    (re.compile(rf"^(?:6|sau) thang cuoi nam\s*/?\s*{_Y}$"), "half2"),
    # "Báo cáo 6 tháng năm 2024" means the first half, like "9 tháng năm 2024".
    (re.compile(rf"^(?:6|sau) thang{_SEP}{_Y}$"), "half1"),
    (re.compile(rf"^(?:9|chin) thang(?: dau)?{_SEP}{_Y}$"), "nine"),
    (re.compile(rf"^nam\s*{_Y}$"), "year"),
    (re.compile(rf"^nhiem ky\s*{_Y}\s*-\s*{_Y}$"), "term"),
    (re.compile(rf"^giua (?:nhiem )?ky\s*{_Y}\s*-\s*{_Y}$"), "mid"),
    (re.compile(rf"^(?:tu\s*)?{_DMY}\s*(?:-|den)\s*{_DMY}$"), "custom"),
]


def parse_period(text: str) -> Period:
    """Read a Vietnamese period label (or a storage key).

    Accepts the canonical labels of ``format_period`` and the usual
    variants: "tháng 03 năm 2024", "quý 3/2020", "Quý III năm 2020",
    "9 tháng đầu năm 2024", "Nhiệm kỳ 2020 - 2025", "từ 01/3/2020 đến
    31/8/2020"; any case, spacing, tone style or dash. Raises PeriodError.
    """
    if not isinstance(text, str):
        raise PeriodError(f'Không hiểu kỳ báo cáo "{text}"')
    raw = " ".join(unicodedata.normalize("NFC", text).split())
    key = fold(raw.translate(_DASHES)).rstrip(".")
    for pattern, shape in _LABEL_PATTERNS:
        m = pattern.match(key)
        if m is None:
            continue
        try:
            return _label_to_period(shape, m.groups())
        except PeriodError as exc:
            raise PeriodError(f'Không hiểu kỳ báo cáo "{raw}": {exc}') from None
    try:
        return parse_period_key(raw)
    except PeriodError:
        pass
    raise PeriodError(f'Không hiểu kỳ báo cáo "{raw}"')


def _label_to_period(shape: str, g: tuple[str, ...]) -> Period:
    if shape == "month":
        return Period.month(int(g[1]), int(g[0]))
    if shape == "quarter":
        q = int(g[0]) if g[0].isdigit() else _FROM_ROMAN.get(g[0])
        if q is None:
            raise PeriodError(f"quý {g[0].upper()} không hợp lệ (phải từ I đến IV)")
        return Period.quarter(int(g[1]), q)
    if shape == "half1":
        return Period.half(int(g[0]), 1)
    if shape == "half2":
        return Period.half(int(g[0]), 2)
    if shape == "custom":
        try:
            start = date(int(g[2]), int(g[1]), int(g[0]))
            end = date(int(g[5]), int(g[4]), int(g[3]))
        except ValueError:
            raise PeriodError("ngày không tồn tại") from None
        return Period.custom(start, end)
    return _from_shape(shape, [int(x) for x in g])


# -- calendars ----------------------------------------------------------------


def current_period(kind: PeriodKind | str, today: date) -> Period:
    """The period of ``kind`` containing ``today``.

    Nine months: the current year's (from October on, the latest one, which
    is what a "9 tháng" report then covers). Terms and custom windows depend
    on the body and the document, not the calendar: PeriodError.
    """
    kind = PeriodKind(kind)
    y = today.year
    if kind is PeriodKind.MONTH:
        return Period.month(y, today.month)
    if kind is PeriodKind.QUARTER:
        return Period.quarter(y, (today.month - 1) // 3 + 1)
    if kind is PeriodKind.HALF:
        return Period.half(y, 1 if today.month <= 6 else 2)
    if kind is PeriodKind.NINE_MONTHS:
        return Period.nine_months(y)
    if kind is PeriodKind.YEAR:
        return Period.year(y)
    raise PeriodError(f"Không xác định được kỳ {PERIOD_KIND_LABELS[kind].lower()} hiện tại theo lịch")


def periods_between(kind: PeriodKind | str, start: date, end: date) -> list[Period]:
    """Every period of ``kind`` overlapping ``start``..``end`` (inclusive), in order.

    For nine months, the nine-month period of each year that overlaps.
    Terms and custom windows are not calendar periods: PeriodError.
    """
    kind = PeriodKind(kind)
    if start > end:
        return []
    if kind in (PeriodKind.TERM, PeriodKind.MID_TERM, PeriodKind.CUSTOM):
        raise PeriodError(f"Không liệt kê được các kỳ loại {PERIOD_KIND_LABELS[kind].lower()} theo lịch")
    out: list[Period] = []
    if kind is PeriodKind.NINE_MONTHS:
        for y in range(start.year, end.year + 1):
            p = Period.nine_months(y)
            if p.overlaps(Period.custom(start, end)):
                out.append(p)
        return out
    p = current_period(kind, start)
    while p.start <= end:
        out.append(p)
        p = _next(p)
    return out


def _next(p: Period) -> Period:
    nxt = p.end + timedelta(days=1)
    return current_period(p.kind, nxt)
