"""Goals: what a target asks of a unit for the term and for each year, and
how a year without a goal of its own gets one.

Two levels hold goals:
- the target itself (the issuing unit's goal): ``Target.target_value`` for
  the term, ``Milestone`` rows for years;
- each assignment (a unit's own goal): ``AssignmentGoal`` rows, with their
  history — a change adds a row, and a period is judged against the goal
  in force on its last day (see ``AssignmentGoal``).

A year with no goal of its own gets one by a stated rule, marked derived:
- a flow (summed over time): the term goal divided by the term's years, or,
  where some years have a goal, what remains of the term goal spread
  evenly over the years without one;
- a stock or a rate: the straight path from the baseline to the term goal
  (or between the nearest given goals on either side);
- a threshold (a level to hold): the term's level, in every year.
Where no rule fits (no term goal, no baseline for a path, a year outside
the term), the year has no goal and is not judged.

The term of a document named "2025–2030" has the five years 2026…2030: the
congress year closes the outgoing term (``Period.term``).

``goal_in_force`` is the one read the roll-up, the reports and the pages
use; the roll-up reads many at once through ``GoalBook``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period, PeriodError, parse_period_key

from .models import ApportionRule, Assignment, Direction, GoalKind, GoalSource, Target, TimeAggregation

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Goal:
    """A goal and how it was obtained."""

    value: Decimal | None
    source: str = GoalSource.NONE
    rule: str = ""  # the apportionment rule (ApportionRule) of an apportioned goal
    how: str = ""  # for a derived goal: the rule, in Vietnamese

    @property
    def kind(self) -> str:
        """own / apportioned / derived / none."""
        if self.value is None:
            return "none"
        if self.source in (GoalSource.TYPED, GoalSource.IMPORTED):
            return "own"
        return self.source

    @property
    def label(self) -> str:
        """What a page shows beside the goal: where it comes from."""
        if self.value is None:
            return GoalSource.NONE.label
        if self.source == GoalSource.APPORTIONED and self.rule:
            return f"{GoalSource.APPORTIONED.label}, {ApportionRule(self.rule).label}"
        if self.source == GoalSource.DERIVED:
            return f"{GoalSource.DERIVED.label}: {self.how}" if self.how else GoalSource.DERIVED.label
        return GoalSource(self.source).label


NO_GOAL = Goal(None)


@dataclass
class GoalSet:
    """The goals one holder (a target, or one unit's assignment) has, as in
    force on one day: the term's, the baseline, and each year's."""

    term: Goal = NO_GOAL
    baseline: Goal = NO_GOAL
    years: dict[int, Goal] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.term.value is None and not any(g.value is not None for g in self.years.values())


def is_flow(target: Target) -> bool:
    """A flow is summed over time; anything else is a stock or a rate."""
    return target.time_aggregation == TimeAggregation.SUM


def term_years(document) -> list[int]:
    """The years a term's goals are spread over: 2025–2030 → 2026…2030."""
    start, end = getattr(document, "term_start", None), getattr(document, "term_end", None)
    if not start or not end or end <= start:
        return []
    return list(range(start + 1, end + 1))


def baseline_year(target: Target, document) -> int | None:
    """The year of the target's baseline: its baseline period's, else the
    term's first (congress) year."""
    if target.baseline_period:
        try:
            return parse_period_key(target.baseline_period).end.year
        except (PeriodError, ValueError):
            pass
    return getattr(document, "term_start", None) or None


def target_goals(target: Target) -> GoalSet:
    """The issuing unit's goals: the target's term value, baseline and
    milestones (read from a prefetch when there is one)."""
    years = {m.year: Goal(m.value, GoalSource.TYPED) for m in target.milestones.all()}
    return GoalSet(
        term=Goal(target.target_value, GoalSource.TYPED) if target.target_value is not None else NO_GOAL,
        baseline=Goal(target.baseline_value, GoalSource.TYPED)
        if target.baseline_value is not None
        else NO_GOAL,
        years=years,
    )


def _q(v: Decimal) -> Decimal:
    return v.quantize(FOUR_PLACES)


def year_goal(target: Target, document, goals: GoalSet, year: int) -> Goal:
    """The goal for ``year``: its own, else one derived by the rules above,
    else none."""
    own = goals.years.get(year)
    if own is not None and own.value is not None:
        return own
    years = term_years(document)
    if year not in years:
        return NO_GOAL
    given = {y: g.value for y, g in goals.years.items() if y in years and g.value is not None}
    term = goals.term.value
    if is_flow(target):
        if term is None:
            return NO_GOAL
        missing = [y for y in years if y not in given]
        remainder = term - sum(given.values(), Decimal(0))
        if remainder < 0:
            return NO_GOAL
        n = len(missing)
        if given:
            how = (
                f"phần mục tiêu nhiệm kỳ còn lại ({format_number(remainder)}) "
                f"chia đều cho {n} năm chưa có mục tiêu"
            )
        else:
            how = f"mục tiêu nhiệm kỳ ({format_number(term)}) chia đều cho {n} năm"
        return Goal(_q(remainder / n), GoalSource.DERIVED, how=how)
    if target.direction == Direction.THRESHOLD:
        # A threshold is a level to hold: the term's holds in every year.
        if term is None:
            return NO_GOAL
        return Goal(
            term,
            GoalSource.DERIVED,
            how=f"ngưỡng của cả nhiệm kỳ ({format_number(term)}) áp dụng cho mọi năm",
        )
    # A stock or a rate: the straight path between the nearest known points.
    points: dict[int, Decimal] = {}
    b_year = baseline_year(target, document)
    if goals.baseline.value is not None and b_year is not None:
        points[b_year] = goals.baseline.value
    points.update(given)
    if term is not None:
        if year == years[-1]:
            return goals.term
        points[years[-1]] = term
    before = [y for y in points if y < year]
    after = [y for y in points if y > year]
    if not before or not after:
        return NO_GOAL
    y0, y1 = max(before), min(after)
    v0, v1 = points[y0], points[y1]
    value = v0 + (v1 - v0) * Decimal(year - y0) / Decimal(y1 - y0)
    how = (
        f"đường thẳng từ {format_number(v0)} năm {y0} đến {format_number(v1)} năm {y1}"
        if y0 != b_year or goals.baseline.value is None
        else f"đường thẳng từ giá trị gốc {format_number(v0)} năm {y0} đến {format_number(v1)} năm {y1}"
    )
    return Goal(_q(value), GoalSource.DERIVED, how=how)


def period_goal(target: Target, document, goals: GoalSet, period: Period) -> Goal:
    """The goal a period is judged against: a period within one year, that
    year's goal (own or derived); a longer one, the term's."""
    if period.start.year == period.end.year:
        return year_goal(target, document, goals, period.end.year)
    return goals.term if goals.term.value is not None else NO_GOAL


# -- a unit's goals, with their history ----------------------------------------


@dataclass(slots=True)
class _Row:
    kind: str
    year: int | None
    value: Decimal | None
    source: str
    rule: str
    effective_from: dt.date | None
    recorded_at: dt.datetime
    pk: int


class GoalBook:
    """Goal rows of many assignments, read once, answered for any day."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, int], list[_Row]] = {}

    def add(self, target_id: int, unit_id: int, row: tuple) -> None:
        """``row``: kind, year, value, source, rule, effective_from,
        recorded_at, id (all None for an assignment with no goal row)."""
        rows = self._rows.setdefault((target_id, unit_id), [])
        if row[0] is not None:
            rows.append(_Row(*row))

    def has(self, target_id: int, unit_id: int) -> bool:
        return bool(self._rows.get((target_id, unit_id)))

    def keys(self):
        """(target id, unit id) of every assignment added, with goals or not."""
        return self._rows.keys()

    def goals(self, target_id: int, unit_id: int, on: dt.date) -> GoalSet:
        """The unit's goals in force on ``on``: for each kind and year, the
        latest recorded row effective that day."""
        best: dict[tuple[str, int | None], _Row] = {}
        for r in self._rows.get((target_id, unit_id), ()):
            if r.effective_from is not None and r.effective_from > on:
                continue
            k = (r.kind, r.year)
            cur = best.get(k)
            if cur is None or (r.recorded_at, r.pk) > (cur.recorded_at, cur.pk):
                best[k] = r
        out = GoalSet()
        for (kind, year), r in best.items():
            g = Goal(r.value, r.source, r.rule) if r.value is not None else NO_GOAL
            if kind == GoalKind.TERM:
                out.term = g
            elif kind == GoalKind.BASELINE:
                out.baseline = g
            elif year is not None:
                out.years[year] = g
        return out


GOAL_FIELDS = (
    "goals__kind",
    "goals__year",
    "goals__value",
    "goals__source",
    "goals__rule",
    "goals__effective_from",
    "goals__recorded_at",
    "goals__id",
)


def book_for(assignments) -> GoalBook:
    """A GoalBook over an Assignment queryset (one query)."""
    book = GoalBook()
    for row in assignments.values_list("target_id", "unit_id", *GOAL_FIELDS):
        book.add(row[0], row[1], row[2:])
    return book


def below_issuer(document, unit) -> bool:
    """Whether ``unit`` lies strictly inside the issuing unit's subtree: a
    unit there has only the goals it was assigned, never the document's."""
    issuer_id = getattr(document, "issuing_unit_id", None)
    if issuer_id is None or issuer_id == unit.pk:
        return False
    return any(seg and int(seg, 16) == issuer_id for seg in unit.path.strip("/").split("/")[:-1])


def goal_in_force(
    target: Target, unit, year: int | None, *, on: dt.date | None = None, period: Period | None = None
) -> Goal:
    """The goal ``unit`` is judged against for ``year`` (None: the whole
    term), as in force on ``on`` (default: the year's last day, or today
    for the term), with how it was obtained. ``period`` instead of
    ``year``: the goal for that period (``period_goal``).

    The issuing unit and the units above it hold the target's own goals; a
    unit below holds only those of its assignment — with none, it has no
    goal (never its parent's)."""
    document = target.document
    if period is None:
        period = Period.year(year) if year is not None else None
    if on is None:
        on = period.end if period is not None else dt.date.today()
    if not below_issuer(document, unit):
        goals = target_goals(target)
    else:
        book = book_for(Assignment.objects.filter(target=target, unit=unit))
        goals = book.goals(target.pk, unit.pk, on)
    if period is None:
        return goals.term if goals.term.value is not None else NO_GOAL
    return period_goal(target, document, goals, period)


# -- apportionment --------------------------------------------------------------


def apportion(
    rule: str,
    parent: Decimal,
    units: list[int],
    weights: dict[int, Decimal] | None = None,
    *,
    whole: bool = False,
) -> dict[int, Decimal]:
    """Each unit's share of the parent's goal ``parent`` by ``rule``: equal
    parts, parts in proportion to the units' weights, or the parent's value
    itself (rates and thresholds: each unit must reach the same level).
    Parts add up to the parent's goal exactly: with ``whole`` (a count, and
    a whole parent), whole parts by the largest remainders; otherwise parts
    to four decimals, the last unit taking what rounding left."""
    if not units:
        return {}
    if rule == ApportionRule.PARENT:
        return {u: parent for u in units}
    if rule == ApportionRule.EQUAL:
        shares = {u: Decimal(1) for u in units}
    elif rule == ApportionRule.WEIGHT:
        weights = weights or {}
        missing = [u for u in units if weights.get(u) is None or weights[u] < 0]
        if missing:
            raise ValueError(missing)
        shares = {u: weights[u] for u in units}
    else:
        raise ValueError(rule)
    total = sum(shares.values(), Decimal(0))
    if total == 0:
        raise ValueError(units)
    if whole and parent == parent.to_integral_value():
        exact = {u: parent * shares[u] / total for u in units}
        floors = {u: exact[u].to_integral_value(rounding=ROUND_FLOOR) for u in units}
        left = int(parent - sum(floors.values(), Decimal(0)))
        # Largest remainders first; ties in the order given.
        for u in sorted(units, key=lambda u: (-(exact[u] - floors[u]), units.index(u)))[:left]:
            floors[u] += 1
        return floors
    out: dict[int, Decimal] = {}
    for u in units[:-1]:
        out[u] = _q(parent * shares[u] / total)
    out[units[-1]] = parent - sum(out.values(), Decimal(0))
    return out


def criterion_goal(goals: GoalSet, period: Period) -> Goal:
    """For a count of units meeting a criterion, the level each unit must
    reach: the year's own goal, else the term's — a level, which holds in
    every year, not a path."""
    if period.start.year == period.end.year:
        own = goals.years.get(period.end.year)
        if own is not None and own.value is not None:
            return own
    return goals.term if goals.term.value is not None else NO_GOAL


def assignment_goals(assignment: Assignment, on: dt.date | None = None) -> dict[str, Goal]:
    """A unit's goals as in force on ``on`` (default today), keyed "term",
    "baseline" and each year of the term (derived where the year has
    none): what the pages and the API show beside the assignment."""
    target = assignment.target
    document = target.document
    on = on or dt.date.today()
    goals = book_for(Assignment.objects.filter(pk=assignment.pk)).goals(target.pk, assignment.unit_id, on)
    out: dict[str, Goal] = {"term": goals.term, "baseline": goals.baseline}
    years = term_years(document) or sorted(goals.years)
    for y in years:
        out[str(y)] = year_goal(target, document, goals, y)
    return out


def goals_by_year(target: Target, unit) -> list[tuple[str, Goal]]:
    """What a page lists as ``unit``'s goals of ``target``: the term's and
    each year's of the term (derived where the year has none), each as in
    force on that year's last day — what the year is judged against — with
    how it was obtained. The target's own at or above the issuing unit, the
    unit's assignment's below it."""
    document = target.document
    years = term_years(document)
    if not below_issuer(document, unit):
        fixed = target_goals(target)
        at = lambda day: fixed  # noqa: E731  # the target's goals have no history
    else:
        book = book_for(Assignment.objects.filter(target=target, unit=unit))
        at = lambda day: book.goals(target.pk, unit.pk, day)  # noqa: E731
    last = dt.date(years[-1], 12, 31) if years else dt.date.max
    rows = [("Cả nhiệm kỳ", at(last).term)]
    for y in years or sorted(at(last).years):
        rows.append((f"Năm {y}", year_goal(target, document, at(dt.date(y, 12, 31)), y)))
    return rows
