"""Small helpers the views share: reading query parameters and periods."""

from __future__ import annotations

import datetime as dt

from nghiquyet.core.periods import Period, PeriodError, PeriodKind, current_period, parse_period_key


def int_param(request, name: str) -> int | None:
    raw = request.GET.get(name) or request.POST.get(name)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def period_param(request, default: Period, name: str = "ky") -> Period:
    """The period named by ``?ky=<key>``; the default when absent or unreadable."""
    raw = request.GET.get(name) or request.POST.get(name)
    if not raw:
        return default
    try:
        return parse_period_key(raw)
    except (PeriodError, ValueError):
        return default


def dashboard_periods(today: dt.date) -> list[Period]:
    """What a dashboard can be read over: this year, this quarter and the ones before."""
    q = current_period(PeriodKind.QUARTER, today)
    return [Period.year(today.year), q, q.previous(), Period.year(today.year - 1)]


def document_periods(document, today: dt.date) -> list[Period]:
    """Periods a document's targets are read over: its term and mid-term, each
    year of the term already begun, and the quarters of the current year."""
    out: list[Period] = []
    first, last = document.term_start, document.term_end
    if first and last and last > first:
        out.append(Period.term(first, last))
        try:
            out.append(Period.mid_term(first, last))
        except PeriodError:
            pass
        years = [y for y in range(first, last + 1) if y <= today.year]
    else:
        start = document.issued.year if document.issued else today.year
        years = list(range(start, today.year + 1))[-6:]
    for y in reversed(years):
        out.append(Period.year(y))
    q = current_period(PeriodKind.QUARTER, today)
    for _ in range(4):
        out.append(q)
        q = q.previous()
    seen = set()
    return [p for p in out if not (p.key() in seen or seen.add(p.key()))]


def default_document_period(document, today: dt.date) -> Period:
    if document.term_end and document.term_end < today.year:
        return Period.year(document.term_end)
    return Period.year(today.year)


def reporting_periods(kind: str, today: dt.date) -> list[Period]:
    """The periods of ``kind`` a unit may report for: the current one and the few before."""
    count = {PeriodKind.MONTH: 4, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 2}
    try:
        p = current_period(kind, today)
    except PeriodError:
        return []
    out = []
    for _ in range(count.get(PeriodKind(kind), 2)):
        out.append(p)
        p = p.previous()
    return out
