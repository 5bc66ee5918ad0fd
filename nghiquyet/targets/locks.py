"""When a unit may still write its figures for a period, and why not.

Without a reporting round a period accepts figures until its reporting
window closes (its end plus NGHIQUYET_REPORTING_WINDOW_DAYS) and is locked
after. A round (``rounds.ReportingRound``) for the target's document, a unit
above (or equal to) the reporting unit and the period replaces that window:

- the unit's deadline is the one set for it or a unit above it inside the
  round (the nearest wins), else the one of its unit kind, else the one of
  the nearest unit above it whose kind has one, else the round's latest;
- a deadline is a whole day, inclusive, in Vietnam's date; entry stays
  open ``grace_days`` more (a figure sent then is late), then locks;
- an exception granted by the level above reopens entry until its day;
- a round not open yet, or closed, accepts nothing (a closed round is
  final: no exception reopens it).

A round covers the periods inside its own that end on its last day: a
round for the year 2026 governs the year, its second half, its fourth
quarter and December; the first quarter keeps its own window.

Approval locks too: an approved figure is not changed until an approver
on a unit above withdraws the approval (``_plan`` in actions).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from nghiquyet.core.dates import VN_TZ, format_date
from nghiquyet.core.periods import Period
from nghiquyet.orgs.models import OrgUnit

from .rounds import EntryException, ReportingRound


class EntryLocked(ValidationError):
    """A write into a locked cell (the API answers 423); the message says why."""


def vn_today() -> dt.date:
    """Today in Vietnam, whatever the server's clock zone."""
    return timezone.localdate(timezone=VN_TZ)


def reporting_closes(period: Period) -> dt.date:
    """The last day units may report figures for ``period`` when no round
    governs it: its end plus NGHIQUYET_REPORTING_WINDOW_DAYS."""
    return period.end + dt.timedelta(days=settings.NGHIQUYET_REPORTING_WINDOW_DAYS)


@dataclass(frozen=True)
class Window:
    """A unit's entry window for one document and period."""

    round: ReportingRound | None
    deadline: dt.date  # figures sent by this day are on time
    closes: dt.date  # entry open through this day (deadline + grace)
    exception_until: dt.date | None = None

    def on_time(self, today: dt.date) -> bool:
        return today <= self.deadline

    def lock_reason(self, unit: OrgUnit, period: Period, today: dt.date) -> str:
        """Why ``unit`` may not write for ``period`` on ``today``; "" when it may."""
        r = self.round
        if r is not None:
            if r.is_closed:
                return (
                    f"{r.title} đã kết thúc: số liệu kỳ {period.label} của {unit.name} đã khóa, "
                    "không nhận thêm hay sửa đổi."
                )
            opens = r.opens_on or r.period_start
            if today < opens:
                return f"{r.title} chưa mở: nhận số liệu từ ngày {format_date(opens)}."
        if today <= self.closes or (self.exception_until is not None and today <= self.exception_until):
            return ""
        if r is None:
            return (
                f"Đã hết hạn báo cáo kỳ {period.label} (hết ngày {format_date(self.closes)}): "
                f"số liệu của {unit.name} đã khóa. Cấp trên có thể cho phép nhập bổ sung có thời hạn."
            )
        grace = f", ân hạn đến hết ngày {format_date(self.closes)}" if self.closes != self.deadline else ""
        return (
            f"Đã quá hạn báo cáo của {unit.name} ({r.title}: hạn ngày "
            f"{format_date(self.deadline)}{grace}): số liệu đã khóa. "
            "Cấp trên có thể cho phép nhập bổ sung có thời hạn."
        )


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    """The unit and the units above it, nearest first (read from the path)."""
    return [int(seg, 16) for seg in reversed(unit.path.strip("/").split("/"))]


def covering_rounds(document_ids: Iterable[int], period: Period) -> list[ReportingRound]:
    """The rounds of any of ``document_ids`` that govern ``period``, with
    their documents' ids in ``doc_ids``, deadlines and unit."""
    rounds = list(
        ReportingRound.objects.filter(
            documents__in=list(document_ids), period_end=period.end, period_start__lte=period.start
        )
        .distinct()
        .select_related("unit")
        .prefetch_related("deadlines__unit")
    )
    if rounds:
        through = ReportingRound.documents.through.objects.filter(
            reportinground_id__in=[r.pk for r in rounds]
        )
        docs: dict[int, set[int]] = defaultdict(set)
        for rid, did in through.values_list("reportinground_id", "document_id"):
            docs[rid].add(did)
        for r in rounds:
            r.doc_ids = docs[r.pk]
    return rounds


def round_for(rounds: list[ReportingRound], document_id: int, unit: OrgUnit) -> ReportingRound | None:
    """The round that governs ``unit`` for ``document_id``: the one opened
    at the nearest unit above it (the latest if several)."""
    best = None
    for r in rounds:
        if document_id in r.doc_ids and unit.path.startswith(r.unit.path):
            if best is None or (r.unit.depth, r.pk) > (best.unit.depth, best.pk):
                best = r
    return best


def unit_deadline(r: ReportingRound, unit: OrgUnit, kinds: dict[int, str]) -> dt.date | None:
    """``unit``'s deadline in round ``r`` (see the module's rules); ``kinds``
    maps the unit and its ancestors' ids to their kind."""
    deadlines = list(r.deadlines.all())
    if not deadlines:
        return None
    own = [d for d in deadlines if d.unit_id is not None and unit.path.startswith(d.unit.path)]
    if own:
        return max(own, key=lambda d: d.unit.depth).due
    by_kind = {d.unit_kind: d.due for d in deadlines if d.unit_id is None and d.unit_kind}
    for uid in _ancestor_ids(unit):
        kind = kinds.get(uid)
        if kind in by_kind:
            return by_kind[kind]
    return max(d.due for d in deadlines)


def entry_windows(
    pairs: Iterable[tuple[int, OrgUnit]], period: Period, today: dt.date | None = None
) -> dict[tuple[int, int], Window]:
    """The window of each (document id, unit) pair for ``period``, keyed by
    (document id, unit id): a fixed number of queries whatever the count."""
    today = today or vn_today()
    pairs = list({(d, u.pk): (d, u) for d, u in pairs}.values())
    if not pairs:
        return {}
    rounds = covering_rounds({d for d, _ in pairs}, period)
    units = {u.pk: u for _, u in pairs}
    kinds: dict[int, str] = {}
    if rounds:
        ids = {a for u in units.values() for a in _ancestor_ids(u)}
        kinds = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "kind"))
    ancestors = {uid: set(_ancestor_ids(u)) for uid, u in units.items()}
    all_ancestors = set().union(*ancestors.values())
    exceptions = list(
        EntryException.objects.filter(unit_id__in=all_ancestors, until__gte=today)
        .filter(_exceptions_q(rounds, period))
        .values_list("round_id", "unit_id", "until")
    )
    out: dict[tuple[int, int], Window] = {}
    for doc_id, unit in pairs:
        r = round_for(rounds, doc_id, unit)
        rid = r.pk if r is not None else None
        until = max(
            (
                u
                for er, eu, u in exceptions
                if eu in ancestors[unit.pk] and (er == rid if rid is not None else er is None)
            ),
            default=None,
        )
        if r is None:
            closes = reporting_closes(period)
            out[(doc_id, unit.pk)] = Window(None, closes, closes, until)
            continue
        due = unit_deadline(r, unit, kinds) or reporting_closes(period)
        out[(doc_id, unit.pk)] = Window(r, due, due + dt.timedelta(days=r.grace_days), until)
    return out


def _exceptions_q(rounds: list[ReportingRound], period: Period) -> Q:
    """Exceptions that may apply: of these rounds, or of the period without a round."""
    return Q(round_id__in=[r.pk for r in rounds]) | Q(round__isnull=True, period_key=period.key())


def check_entry(
    cells: Iterable[tuple[int, OrgUnit]], period: Period, today: dt.date | None = None
) -> dict[tuple[int, int], Window]:
    """Refuse (EntryLocked, one message per locked unit) unless every
    (document id, unit) may write for ``period`` today; the windows, for
    the on-time flag."""
    today = today or vn_today()
    cells = list(cells)
    windows = entry_windows(cells, period, today)
    units = {}
    for d, u in cells:
        units[(d, u.pk)] = u
    reasons: list[str] = []
    for key, w in windows.items():
        reason = w.lock_reason(units[key], period, today)
        if reason and reason not in reasons:
            reasons.append(reason)
    if reasons:
        raise EntryLocked(reasons[:50])
    return windows


def round_is_final(document, unit: OrgUnit, period: Period) -> bool | None:
    """Whether the round governing ``unit``'s ``document`` for ``period`` is
    closed; None when no round governs it (the reporting window decides)."""
    r = round_for(covering_rounds([document.pk], period), document.pk, unit)
    if r is None:
        return None
    return r.is_closed
