"""Dates as Vietnamese writes them, and the year when the text leaves it out.

"30/6/2020", "ngày 30 tháng 6 năm 2020", "Sáng ngày 30/6", "Chiều 17/7",
"15 - 18/4/2017", "tháng 4/2023", "Quý III/2020", "năm 2023", and terms
("nhiệm kỳ 2020 - 2025"). Numbers inside any of these are never figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from nghiquyet.ingestion.pipeline.lexicon import LETTER, LOW_WORD
from nghiquyet.ingestion.pipeline.spans import SpanSet

_CUE = r"(?:sáng|chiều|tối|trưa|đêm|ngày|hôm|rạng sáng|chiều tối)"
# The patterns start on a digit or a literal word so that the regex engine
# can skip ahead fast; what must (not) come before is checked in Python.
_DAY_NUM: Final = re.compile(
    r"(?=[0-9])(?<![0-9.,/])(?:(?P<d0>[0-9]{1,2})\s*(?:-|và|đến)\s*)?(?P<d>[0-9]{1,2})\s*/\s*(?P<m>[0-9]{1,2})"
    r"(?:\s*/\s*(?P<y>[0-9]{4}))?(?![0-9/])"
)
# Where a day/month can start: a number followed by "/" (or by a range).
_DAY_NUM_GATE: Final = re.compile(r"[0-9](?<![0-9.,/][0-9])[0-9]?\s*(?:(?:-|và|đến)\s*[0-9][0-9]?\s*)?/")
_CUE_BEFORE: Final = re.compile(rf"{_CUE}\s+(?:(?:hôm\s+)?nay\s+)?(?:ngày\s+)?$", re.IGNORECASE)
_DAY_WORDS: Final = re.compile(
    r"[Nn]gày\s+(?:(?P<d0>[0-9]{1,2})\s*(?:-|và|đến)\s*)?(?P<d>[0-9]{1,2})\s+tháng\s+(?P<m>[0-9]{1,2})"
    r"(?:\s*(?:năm\s+|/\s*)(?P<y>[0-9]{4}))?(?![0-9])"
)
# "Sáng 6-2", "ngày 19-5", "chiều 26.6", "ngày 10-5-2017": a day written
# with a hyphen or a dot is a date only after its cue (a bare "2-3" is a
# range of counts, "1.234" a number).
_DAY_DASH: Final = re.compile(
    r"[0-9](?<![0-9.,/-][0-9])[0-9]?(?P<sep>[-.])[0-9]{1,2}(?:(?P=sep)(?:19|20)[0-9]{2})?(?![0-9]|[.,-][0-9])"
)
_DAY_DASH_PARTS: Final = re.compile(r"(?P<d>[0-9]+)[-.](?P<m>[0-9]+)(?:[-.](?P<y>[0-9]+))?")
_DASH_CUE: Final = re.compile(
    r"(?<![^\W0-9_])(?:ngày|sáng|chiều|tối|trưa|đêm|hôm)(?: (?:nay|qua|mai))?(?: ngày)?\s+$", re.IGNORECASE
)
# "từ ngày 5-5 đến 10-5-2017", "từ 15/5 đến 18/5/2024": the first day of a
# range takes the year written at its end.
_RANGE_JOIN: Final = re.compile(r"\s*(?:-|–|đến|tới|và)\s*(?:ngày\s+)?$")
_DAY_DASH_END: Final = re.compile(
    r"\s*(?:-|–|đến|tới)\s*(?:ngày\s+)?(?P<d>[0-9]{1,2})(?P<sep>[-.])(?P<m>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<y>(?:19|20)[0-9]{2}))?(?![0-9]|[.,-][0-9])"
)
_SINCE: Final = re.compile(r"(?:[Tt]ừ|[Kk]ể từ|[Ss]au)\s+$")
_CUE_ONLY: Final = re.compile(rf"{_CUE}\s+$", re.IGNORECASE)
_BAD_BEFORE: Final = re.compile(rf"[{LETTER}0-9/.,]$")
_MONTH_YEAR: Final = re.compile(r"[Tt]háng\s+(?P<m>[0-9]{1,2})\s*(?:/|-|năm)\s*(?P<y>[0-9]{4})(?![0-9])")
_MONTH: Final = re.compile(r"[Tt]háng\s+(?P<m>[0-9]{1,2})(?![0-9/])")
_QUARTER: Final = re.compile(r"[Qq]uý\s+(?P<q>[IV]{1,3}|[1-4])(?:\s*(?:/|năm)\s*(?P<y>[0-9]{4}))?")
_YEAR: Final = re.compile(r"(?P<cue>[Nn](?:ăm|iên độ|iên khóa))\s+(?P<y>[0-9]{4})(?![0-9])")
# These start on a digit or a literal and check what stands before it with
# a lookbehind placed after that first character, so that the engine skips
# ahead to candidate digits (a leading lookaround is tried everywhere).
_TERM: Final = re.compile(
    r"(?P<a>(?:1(?<![0-9.,]1)9|2(?<![0-9.,]2)0)[0-9]{2})\s*-\s*(?P<b>(?:19|20)[0-9]{2})(?![0-9])"
)
_TIME: Final = re.compile(r"[0-9][0-9]?\s*(?:(?:giờ|h|:)\s*[0-9]{2}(?:\s*phút)?(?![0-9])|giờ)")
_BARE_YEAR: Final = re.compile(
    r"(?:1(?<![0-9.,/]1)9[5-9][0-9]|2(?<![0-9.,/]2)(?:0[0-9]{2}|100))(?![0-9.,][0-9])"
)
# Cheap necessary conditions for the patterns that rarely match, so that
# their whole-text scans (a character class or alternation at the start
# makes the engine try many positions) run only when they can find
# something. Each starts on a literal, which the engine skips to fast.
#
# _DAY_WORDS, _MONTH_YEAR and _MONTH all hold "tháng" then blanks then a
# digit, so "háng\s+[0-9]" occurs in every match of theirs (one position
# after the start for the last two).
_THANG_NUM: Final = re.compile(r"háng\s+[0-9]")
# Every _TERM match holds "-", blanks and a year "19xx"/"20xx" not followed
# by a digit, so each of its matches has this gate at its hyphen.
_TERM_GATE: Final = re.compile(r"-\s*(?:19|20)[0-9]{2}(?![0-9])")
# _YEAR without its rare cues "niên độ"/"niên khóa": "[Nn]ăm" checked by a
# lookbehind after the literal "ăm"; the match starts one before.
_NAM_YEAR: Final = re.compile(r"ăm(?<=[Nn]ăm)\s+(?P<y>[0-9]{4})(?![0-9])")
# _BARE_YEAR without its "19xx" and "2100" branches (used when the text
# holds neither "19" nor "2100"): the same check on what stands before,
# and it starts on the literal "20".
_BARE_YEAR_20: Final = re.compile(r"20(?<![0-9.,/]20)[0-9]{2}(?![0-9.,][0-9])")
# _TIME's "h" branch holds "h", blanks, two digits.
_TIME_H_GATE: Final = re.compile(r"h\s*[0-9]{2}")
# What the _DAY_NUM_GATE holds before its "/": digits, blanks, "-", "và", "đến".
_DAY_NUM_BODY: Final = frozenset("0123456789-vàđến")
_TERM_CONTEXT: Final = re.compile(
    r"(?:nhiệm kỳ|giai đoạn|khóa|kế hoạch|chiến lược|tầm nhìn|đến năm|tới năm)\s*$", re.IGNORECASE
)
# A word after "d/m" that makes it a count ("12/12 xã"), not a date.
_SOFT_CUE: Final = re.compile(r"(?:từ|đến|tới|vào|trước|sau|ngày|hôm)\s*$", re.IGNORECASE)
_FRACTION_NEXT: Final = re.compile(rf"\s*({LOW_WORD})")
_DATE_NEXT_OK: Final = frozenset(
    {
        "và",
        "đến",
        "tới",
        "vừa",
        "qua",
        "tại",
        "năm",
        "hằng",
        "hàng",
        "sẽ",
        "đã",
        "ở",
        "trong",
        "của",
        "với",
        "là",
        "từ",
        "này",
        "nay",
    }
)


@dataclass
class DateMention:
    """A date or period found in the text."""

    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    end_day: int | None = None
    cue: str = ""
    kind: str = "day"  # day, month, quarter, year, term, time

    def iso(self, default_year: int | None = None) -> str | None:
        """ISO form: YYYY-MM-DD, YYYY-MM, or --MM-DD when no year is known."""
        year = self.year or default_year
        if self.kind == "day" and self.month and self.day:
            if year:
                return f"{year:04d}-{self.month:02d}-{self.day:02d}"
            return f"--{self.month:02d}-{self.day:02d}"
        if self.kind == "month" and self.month and year:
            return f"{year:04d}-{self.month:02d}"
        return None


def _valid(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _day_num_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``gated_finditer(_DAY_NUM_GATE, _DAY_NUM, text)`` yields, with
    the candidates found from the slashes (``str.find``, memchr-fast)
    rather than by a digit-class scan of the whole text.

    A gate match holds one "/", its last character, and before it only
    digits, blanks, "-", "và" and "đến". So a gate match starting at or
    after ``pos`` ends at the first "/" after ``pos``, or starts after it,
    and it starts within the run of such characters right before that
    slash: searching that short run (with ``endpos`` just past the slash)
    finds exactly the gate matches that end there.
    """
    search = _DAY_NUM_GATE.search
    match = _DAY_NUM.match
    pos = 0
    while True:
        slash = text.find("/", pos)
        if slash < 0:
            return
        q = slash
        while q > pos and (text[q - 1] in _DAY_NUM_BODY or text[q - 1].isspace()):
            q -= 1
        pos = slash + 1
        # (A gate match starts on a digit: none when nothing precedes.)
        while q < slash:
            g = search(text, q, slash + 1)
            if g is None:
                break
            q = g.start()
            m = match(text, q)
            if m is not None:
                yield m
                pos = m.end()  # past the slash: _DAY_NUM holds it
                break
            q += 1


def find_dates(text: str) -> list[DateMention]:
    """Every date, period, term and time of day in ``text``, by position."""
    found: list[DateMention] = []
    claimed = SpanSet()
    overlaps = claimed.overlaps
    take = claimed.add

    month_at = _THANG_NUM.search(text)
    for m in _DAY_WORDS.finditer(text) if month_at else ():
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid(d, mo) and not (m.start() and text[m.start() - 1].isalpha()):
            cue_m = _CUE_ONLY.search(text, max(0, m.start() - 12), m.start())
            start = cue_m.start() if cue_m else m.start()
            found.append(
                DateMention(
                    start,
                    m.end(),
                    int(m.group("y")) if m.group("y") else None,
                    mo,
                    int(m.group("d0")) if m.group("d0") else d,
                    d if m.group("d0") else None,
                    cue_m.group().split()[0].lower() if cue_m else "ngày",
                )
            )
            take(start, m.end())
    for m in _day_num_matches(text):
        if overlaps(*m.span()) or (m.start() and _BAD_BEFORE.match(text, m.start() - 1)):
            continue
        d, mo = int(m.group("d")), int(m.group("m"))
        if not _valid(d, mo):
            continue
        cue_m = _CUE_BEFORE.search(text, max(0, m.start() - 24), m.start())
        cue = cue_m.group().split()[0].lower() if cue_m else ""
        year = int(m.group("y")) if m.group("y") else None
        start = cue_m.start() if cue_m else m.start("d0") if m.group("d0") else m.start("d")
        if not cue and year is None:
            nxt = _FRACTION_NEXT.match(text, m.end())
            if nxt and nxt.group(1).lower() not in _DATE_NEXT_OK:
                # "12/12 xã": a count over a total, left to the figures.
                if not _SOFT_CUE.search(text, max(0, start - 12), start):
                    continue
        d0 = int(m.group("d0")) if m.group("d0") else None
        if d0 is not None and not (1 <= d0 < d):
            d0 = None
            start = m.start("d") if not cue else start
        found.append(DateMention(start, m.end(), year, mo, d0 or d, d if d0 else None, cue))
        take(start, m.end())
    if "-" in text or "." in text:
        for m in _DAY_DASH.finditer(text):
            # The engine skips ahead to digits; the cue is checked behind.
            cue_m = _DASH_CUE.search(text, max(0, m.start() - 16), m.start())
            if cue_m is None or overlaps(*m.span()):
                continue
            parts = _DAY_DASH_PARTS.match(text, m.start())
            if parts is None:
                continue
            d, mo = int(parts.group("d")), int(parts.group("m"))
            if not _valid(d, mo):
                continue
            y = int(parts.group("y")) if parts.group("y") else None
            found.append(
                DateMention(cue_m.start(), m.end(), y, mo, d, None, cue_m.group().split()[0].lower())
            )
            take(cue_m.start(), m.end())
            # The end of a range, written without its cue ("ngày 5-5 đến 10-5-2017").
            r = _DAY_DASH_END.match(text, m.end())
            if (
                r is not None
                and not overlaps(r.start("d"), r.end())
                and _valid(int(r.group("d")), int(r.group("m")))
            ):
                y = int(r.group("y")) if r.group("y") else None
                found.append(DateMention(r.start("d"), r.end(), y, int(r.group("m")), int(r.group("d"))))
                take(r.start("d"), r.end())
    if month_at:
        # No match of these starts before the first "háng\s+[0-9]" minus one.
        month_from = max(0, month_at.start() - 1)
        for m in _MONTH_YEAR.finditer(text, month_from):
            if not overlaps(*m.span()) and 1 <= int(m.group("m")) <= 12:
                since = "từ" if _SINCE.search(text, max(0, m.start() - 8), m.start()) else ""
                found.append(
                    DateMention(
                        m.start(), m.end(), int(m.group("y")), int(m.group("m")), cue=since, kind="month"
                    )
                )
                take(*m.span())
        for m in _MONTH.finditer(text, month_from):
            if not overlaps(*m.span()) and 1 <= int(m.group("m")) <= 12:
                found.append(DateMention(m.start(), m.end(), None, int(m.group("m")), kind="month"))
                take(*m.span())
    for m in _QUARTER.finditer(text) if "uý" in text else ():
        if not overlaps(*m.span()):
            found.append(
                DateMention(m.start(), m.end(), int(m.group("y")) if m.group("y") else None, kind="quarter")
            )
            take(*m.span())
    term_at = _TERM_GATE.search(text)
    if term_at:
        # A _TERM match starts four digits before the blanks before its
        # hyphen, and its hyphen is at or after the first gate match: a
        # later hyphen's blanks cannot reach back over an earlier hyphen.
        term_from = term_at.start()
        while term_from > 0 and text[term_from - 1].isspace():
            term_from -= 1
        for m in _TERM.finditer(text, max(0, term_from - 4)):
            if not overlaps(*m.span()):
                found.append(
                    DateMention(m.start(), m.end(), None, kind="term", cue=m.group("a") + "-" + m.group("b"))
                )
                take(*m.span())
    if "iên độ" in text or "iên khóa" in text:
        for m in _YEAR.finditer(text):
            s = m.start()
            if not overlaps(s, m.end()):
                term = bool(_TERM_CONTEXT.search(text[max(0, s - 20) : s]))
                found.append(DateMention(s, m.end(), int(m.group("y")), kind="term" if term else "year"))
                take(s, m.end())
    else:
        # Only the "năm" cue can match: the same matches, found from "ăm".
        for m in _NAM_YEAR.finditer(text):
            s = m.start() - 1
            if not overlaps(s, m.end()):
                term = bool(_TERM_CONTEXT.search(text[max(0, s - 20) : s]))
                found.append(DateMention(s, m.end(), int(m.group("y")), kind="term" if term else "year"))
                take(s, m.end())
    # Every "19xx" match holds "19" and the "2100" one holds "2100".
    bare_years = _BARE_YEAR if "19" in text or "2100" in text else _BARE_YEAR_20
    for m in bare_years.finditer(text):
        if not overlaps(*m.span()):
            found.append(DateMention(m.start(), m.end(), int(m.group()), kind="bare_year"))
            take(*m.span())
    # A time holds "giờ", ":" or "h", blanks and two digits.
    if "giờ" in text or ":" in text or _TIME_H_GATE.search(text):
        for m in _TIME.finditer(text):
            if not overlaps(*m.span()) and not (m.start() and text[m.start() - 1] in "0123456789.,:"):
                found.append(DateMention(m.start(), m.end(), None, kind="time"))
                take(*m.span())
    found.sort(key=lambda x: x.start)
    if "sinh" in text:
        # A birthday ("sinh ngày 12-8-1962") is a person's, not the text's.
        for dm in found:
            if dm.year and dm.kind == "day" and "sinh" in text[max(0, dm.start - 12) : dm.start + 5]:
                dm.cue = "sinh"
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if (
            a.kind == "day"
            and a.year is None
            and b.kind == "day"
            and b.year is not None
            and 0 <= b.start - a.end <= 12
            and (a.month or 0) <= (b.month or 0)
            and _RANGE_JOIN.search(text, a.end, b.start)
        ):
            a.year = b.year
    return found


_FOUR_DIGITS: Final = re.compile(r"[0-9]{4}")


def infer_year(dates: list[DateMention], published: str | None = None) -> int | None:
    """The year a text is about, for dates written without one.

    The publication year when known; otherwise the year the text's own
    dates name most often ("30/6/2024", "tháng 6/2024", "Quý II/2024"),
    leaving out periods since ("từ tháng 6/2012") and birthdays. A year named alone
    ("năm 2016") is the year of a period of work, often the last one
    reported on, not the time of writing: it tells nothing, and without a
    written date the year stays unknown.
    """
    if published and _FOUR_DIGITS.match(published):
        return int(published[:4])
    counts: dict[int, int] = {}
    for d in dates:
        if d.year and d.kind in ("day", "month", "quarter") and d.cue not in ("từ", "sinh"):
            counts[d.year] = counts.get(d.year, 0) + (2 if d.kind in ("day", "month") else 1)
    if not counts:
        return None
    best = max(counts.values())
    return max(y for y, c in counts.items() if c == best)


def year_for(date: DateMention, default_year: int | None, published: str | None) -> int | None:
    """The year of ``date``: its own, else the default, stepping back one
    year for a month after the publication month (a December meeting
    reported in January)."""
    if date.year:
        return date.year
    if default_year is None:
        return None
    if published and len(published) >= 7 and date.month:
        if date.month > int(published[5:7]) + 1:
            return default_year - 1
    return default_year
