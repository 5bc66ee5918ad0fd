"""Roll-up: a document's targets for a unit's subtree and a period.

Three set-based queries whatever the tree's size (targets with their
milestones, the assignments in the subtree, the submitted results in the
subtree and period, plus one for results of retired units when reading
today's tree); the arithmetic over the rows is done here, in one pass.

The rules, per target:
- a cell is (unit, reporting period); units merged into a current unit add
  their cells to it (combined by the target's rule across units, a split
  unit's part weighted by its share);
- over time, a unit's cells combine by ``time_aggregation`` (flow: sum;
  stock: the latest; rate: mean; ratio: two other targets divided);
- across units, the reporting units of the subtree (assigned units with no
  assigned unit above them inside it) combine by ``unit_aggregation``; a
  unit that is itself assigned and reported its own consolidated figure
  is read as it reported.

Which results count: submitted and approved ones alike (COUNTED_STATUSES).
A unit's figure shows in every roll-up above as soon as it is sent (issue
4); the approver's sign-off is a check on top, not a gate, so a province
read before its communes' leaders have approved is not left empty. An
approver who finds a figure wrong returns it: it goes back to draft and
leaves the roll-up until it is submitted again. Drafts never count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import models
from django.db.models import Avg, Count, F, Max, Min, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.core.dates import VN_TZ, format_date
from nghiquyet.core.db import read_snapshot
from nghiquyet.core.numbers import format_number, format_percent
from nghiquyet.core.periods import Period, PeriodError
from nghiquyet.orgs.models import OrgUnit, UnitSuccessor, subtree_q

from . import goals, locks
from .locks import round_is_final
from .models import (
    COUNTED_STATUSES,
    Assignment,
    Direction,
    Judged,
    Result,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
)

HUNDRED = Decimal(100)


class Outcome:
    EXCEEDED = "vuot"
    MET = "dat"
    NOT_MET = "chua_dat"
    NOT_ASSESSED = "chua_danh_gia"

    LABELS = {EXCEEDED: "Vượt", MET: "Đạt", NOT_MET: "Chưa đạt", NOT_ASSESSED: "Chưa đánh giá"}


REASON_NO_VALUE = "Chưa nhận được số liệu nào."
REASON_NO_GOAL = "Chưa có mục tiêu để đánh giá."
REASON_NO_OWN_GOAL = "Đơn vị chưa được giao mục tiêu riêng: chỉ nêu số liệu và tỷ trọng, không đánh giá."
REASON_YEAR_END = "Đánh giá vào cuối năm."
REASON_ACCUMULATING = "Chỉ tiêu cộng dồn chưa đến mục tiêu năm: đánh giá khi hết năm."
REASON_CAP = "Chỉ tiêu có mức trần cả năm: chưa hết năm thì chỉ nêu phần mức trần đã dùng, không đánh giá."
WAITING_REASONS = (REASON_YEAR_END, REASON_ACCUMULATING, REASON_CAP)
LABEL_WAITING = "Đánh giá vào cuối năm"
LABEL_PENDING = "Tạm tính"


def reporting_closes(period: Period) -> dt.date:
    """The last day units may still report figures for ``period``: its end
    plus NGHIQUYET_REPORTING_WINDOW_DAYS (a stand-in until reporting rounds
    exist; one definition, in ``locks``)."""
    return locks.reporting_closes(period)


def vn_today() -> dt.date:
    """Today in Vietnam, whatever the server's clock zone."""
    return timezone.localdate(timezone=VN_TZ)


def is_complete(period: Period, today: dt.date | None = None, *, document=None, unit=None) -> bool:
    """A period is complete once it has ended and its reporting window has
    passed, counted in Vietnam's dates: only then is a verdict final. When
    a reporting round governs ``document`` for ``unit`` and ``period``, its
    close replaces the window (complete once the round is closed)."""
    if document is not None and unit is not None:
        final = round_is_final(document, unit, period)
        if final is not None:
            return final
    return (today or vn_today()) > reporting_closes(period)


def provisional_reason(period: Period) -> str:
    return (
        f"Kỳ chưa kết thúc hoặc chưa hết hạn báo cáo (hết ngày {format_date(reporting_closes(period))}): "
        "số liệu tạm tính, chưa đánh giá."
    )


class Cell(NamedTuple):
    """One figure a unit inherits or holds for one period."""

    value: Decimal
    weight: Decimal  # a split unit's share; 1 otherwise
    own: bool  # the unit's own figure, not a predecessor's


class Span(NamedTuple):
    """What a unit's figure over a period is made of: how many reporting
    periods, from the first one's start to the last one's end."""

    cells: int
    first: dt.date
    last: dt.date


@dataclass(slots=True)
class UnitValue:
    unit_id: int
    value: Decimal | None
    goal: Decimal | None
    outcome: str
    achievement: Decimal | None
    cells: int
    # The unit's share of the figure it rolls into (%), for additive targets.
    share: Decimal | None = None
    # Why the outcome is "chua_danh_gia" (empty otherwise).
    reason: str = ""
    # No figure of its own: the figure is its assigned units' below, rolled up.
    rolled_up: bool = False
    # How the unit's goal was obtained (targets.goals.Goal.label).
    goal_source: str = ""


@dataclass
class TargetResult:
    target: Target
    value: Decimal | None
    goal: Decimal | None
    achievement: Decimal | None  # % of the goal, direction-aware
    progress: Decimal | None  # % of the way from the baseline to the term goal
    outcome: str
    expected_units: int
    reporting_units: int
    units: dict[int, UnitValue] = field(default_factory=dict)
    note: str = ""
    # The period has not ended or its reporting window is still open.
    provisional: bool = False
    reason: str = ""  # why the outcome is "chua_danh_gia"
    # A lower-is-better flow before the year ends: % of the year's cap used.
    cap_used: Decimal | None = None
    # The unit's own figure as a % of its parent's (set by the caller that
    # reads the parent, when the unit has no goal of its own).
    share_of_parent: Decimal | None = None
    # How the goal was obtained (targets.goals.Goal.label): own, apportioned, derived.
    goal_source: str = ""
    period: Period | None = None
    # The units whose figures make ``value``, each with what its figure
    # covers: what a comparison between two periods checks (like with like).
    spans: dict[int, Span] = field(default_factory=dict)

    # Some figure counted is an estimate ("ước thực hiện"), not yet the
    # actual: a report built on it says "ước đạt".
    estimated: bool = False

    @property
    def waiting(self) -> bool:
        """Not judged yet because its time has not come (a year-end-only
        target, a flow or a cap before the year ends), as opposed to "chưa
        đánh giá" for want of a figure or a goal."""
        return self.outcome == Outcome.NOT_ASSESSED and self.reason in WAITING_REASONS

    @property
    def pending(self) -> bool:
        """A figure and a goal, but the period is not complete: the verdict
        waits ("tạm tính"); not "chưa đánh giá" either."""
        return (
            self.outcome == Outcome.NOT_ASSESSED
            and self.provisional
            and self.value is not None
            and self.goal is not None
            and self.reason != REASON_NO_OWN_GOAL
        )

    @property
    def outcome_label(self) -> str:
        if self.pending:
            return LABEL_PENDING
        return LABEL_WAITING if self.waiting else Outcome.LABELS[self.outcome]

    @property
    def coverage(self) -> dict[str, int]:
        return {"reported": self.reporting_units, "expected": self.expected_units}

    @property
    def coverage_text(self) -> str:
        """ "57/69 đơn vị" while provisional; "thiếu 12/69 đơn vị" on a complete
        period with units missing; "đủ 69/69 đơn vị" otherwise."""
        n, m = self.reporting_units, self.expected_units
        if not m:
            return ""
        if self.provisional:
            return f"{format_number(n)}/{format_number(m)} đơn vị"
        if n < m:
            return f"thiếu {format_number(m - n)}/{format_number(m)} đơn vị"
        return f"đủ {format_number(n)}/{format_number(m)} đơn vị"

    @property
    def status_text(self) -> str:
        """What a page shows in place of a verdict: "Tạm tính (57/69 đơn vị)",
        or the verdict with its coverage."""
        if self.provisional:
            return f"Tạm tính ({self.coverage_text})" if self.coverage_text else "Tạm tính"
        if self.coverage_text and self.reporting_units < self.expected_units:
            return f"{self.outcome_label} ({self.coverage_text})"
        return self.outcome_label

    @property
    def cap_text(self) -> str:
        """ "359 vụ, bằng 54,4% mức trần cả năm"."""
        if self.cap_used is None:
            return ""
        measure = f" {self.target.measure}" if self.target.measure else ""
        return f"{format_number(self.value)}{measure}, bằng {format_percent(self.cap_used)} mức trần cả năm"


@dataclass
class Rollup:
    unit: OrgUnit
    period: Period
    targets: list[TargetResult]
    as_of_today: bool

    def counts(self) -> dict[str, int]:
        c = {Outcome.EXCEEDED: 0, Outcome.MET: 0, Outcome.NOT_MET: 0, Outcome.NOT_ASSESSED: 0}
        for t in self.targets:
            c[t.outcome] += 1
        return c

    def summary(self) -> str:
        """The sentence a report states: "17 chỉ tiêu: 10 đạt và vượt, 4 chưa
        đạt, 2 đánh giá vào cuối năm, 1 chưa đánh giá". A target whose time
        has not come is not called "chưa đánh giá"."""
        c = self.counts()
        waiting = sum(1 for t in self.targets if t.waiting)
        pending = sum(1 for t in self.targets if t.pending)
        parts = []
        met = c[Outcome.EXCEEDED] + c[Outcome.MET]
        if met:
            parts.append(f"{met} đạt và vượt")
        if c[Outcome.NOT_MET]:
            parts.append(f"{c[Outcome.NOT_MET]} chưa đạt")
        if waiting:
            parts.append(f"{waiting} {LABEL_WAITING[0].lower()}{LABEL_WAITING[1:]}")
        if pending:
            parts.append(f"{pending} có số liệu tạm tính")
        if c[Outcome.NOT_ASSESSED] - waiting - pending:
            parts.append(f"{c[Outcome.NOT_ASSESSED] - waiting - pending} chưa đánh giá")
        text = (
            f"{len(self.targets)} chỉ tiêu: " + ", ".join(parts) if parts else f"{len(self.targets)} chỉ tiêu"
        )
        return text + " (tạm tính)" if self.provisional else text

    @property
    def provisional(self) -> bool:
        return any(t.provisional for t in self.targets)

    def half_reached(self) -> int:
        """How many targets reached at least half of the annual goal (the
        mid-year count: "07 chỉ tiêu đạt từ 50% trở lên"). Only where
        mid-year progress means something: flows where higher is better
        and stocks (``half_left_out`` says which are not counted and why)."""
        left_out = {id(t) for t, _ in self.half_left_out()}
        return sum(
            1
            for t in self.targets
            if id(t) not in left_out
            and (
                (t.achievement is not None and t.achievement >= 50)
                # Nothing against a cap (0 vụ) has no ratio but is met.
                or (t.achievement is None and t.outcome in (Outcome.MET, Outcome.EXCEEDED))
            )
        )

    def half_left_out(self) -> list[tuple[TargetResult, str]]:
        """The targets the mid-year count leaves out, each with why."""
        out = []
        for t in self.targets:
            why = _half_left_out_reason(t)
            if why:
                out.append((t, why))
        return out

    def half_reached_sentence(self) -> str:
        """ "07 chỉ tiêu đạt từ 50% trở lên so với kế hoạch năm (không tính
        2 chỉ tiêu: …)"."""
        text = f"{self.half_reached():02d} chỉ tiêu đạt từ 50% trở lên so với kế hoạch năm"
        left = self.half_left_out()
        if left:
            why = "; ".join(f"{t.target.name} – {reason}" for t, reason in left)
            text += f" (không tính {len(left):02d} chỉ tiêu: {why})"
        return text

    def by_group(self) -> list[tuple[str, list[TargetResult]]]:
        groups: dict[str, list[TargetResult]] = defaultdict(list)
        for t in self.targets:
            groups[t.target.group].append(t)
        return [(g.label, groups[g.value]) for g in TargetGroup if groups.get(g.value)]


def _half_left_out_reason(t: TargetResult) -> str:
    """Why a target is not in the mid-year "≥ 50% of the annual goal"
    count (empty: it is counted)."""
    target = t.target
    if target.judged == Judged.YEAR_END:
        return "chỉ đánh giá vào cuối năm"
    if target.time_aggregation == TimeAggregation.SUM and target.direction != Direction.HIGHER:
        if target.direction == Direction.LOWER:
            return "chỉ tiêu có mức trần cả năm, giữa năm chỉ nêu phần mức trần đã dùng"
        return "chỉ tiêu cộng dồn theo ngưỡng, chỉ đánh giá khi hết năm"
    if t.value is None:
        return "chưa có số liệu"
    if t.goal is None:
        return (
            "chưa có mục tiêu năm"
            if t.reason != REASON_NO_OWN_GOAL
            else "đơn vị chưa được giao mục tiêu riêng"
        )
    if t.achievement is None and t.outcome not in (Outcome.MET, Outcome.EXCEEDED):
        return "không tính được tỷ lệ so với mục tiêu"
    return ""


# -- pure arithmetic -----------------------------------------------------------


def goal_for_period(target: Target, period: Period) -> Decimal | None:
    """The target's own goal a period is judged against (targets.goals): the
    year's milestone for a period within one year — derived when the year
    has none — else the term's target value."""
    return goals.period_goal(target, target.document, goals.target_goals(target), period).value


def achievement(direction: str, value: Decimal | None, goal: Decimal | None) -> Decimal | None:
    """Direction-aware ratio to the goal, in percent."""
    if value is None or goal is None:
        return None
    if direction == Direction.LOWER:
        if value == 0:
            # Nothing at all against a cap: the best result, but no ratio
            # (goal ÷ 0); the verdict says "vượt", not "999%".
            return None
        return (goal / value * HUNDRED).quantize(Decimal("0.01"))
    if goal == 0:
        return None
    return (value / goal * HUNDRED).quantize(Decimal("0.01"))


def progress(value: Decimal | None, baseline: Decimal | None, goal: Decimal | None) -> Decimal | None:
    """How far from the baseline toward the goal, in percent."""
    if value is None or baseline is None or goal is None or goal == baseline:
        return None
    return ((value - baseline) / (goal - baseline) * HUNDRED).quantize(Decimal("0.01"))


def judge(
    target: Target,
    value: Decimal | None,
    goal: Decimal | None,
    period: Period,
) -> str:
    """Vượt, đạt, chưa đạt or chưa đánh giá.

    No value or no goal: not assessed. A year-end-only target is assessed
    only on a period ending on 31 December. A flow still accumulating
    (the period ends before the goal's window does) is "đạt"/"vượt" once
    it has got there, and not assessed until then.
    """
    if value is None or goal is None:
        return Outcome.NOT_ASSESSED
    if target.judged == Judged.YEAR_END and not period.is_year_end():
        return Outcome.NOT_ASSESSED
    if target.direction == Direction.THRESHOLD:
        return Outcome.MET if value >= goal else Outcome.NOT_MET
    if _cap_before_year_end(target, period):
        # Under a whole year's cap mid-year says nothing yet; over it, the
        # year is already lost.
        return Outcome.NOT_MET if value > goal else Outcome.NOT_ASSESSED
    better = value > goal if target.direction == Direction.HIGHER else value < goal
    if value == goal:
        return Outcome.MET
    if better:
        return Outcome.EXCEEDED
    still_accumulating = target.time_aggregation == TimeAggregation.SUM and not _whole_years(period)
    return Outcome.NOT_ASSESSED if still_accumulating else Outcome.NOT_MET


def _whole_years(period: Period) -> bool:
    """Whether a flow over ``period`` can be set against a year's (or the
    term's) goal: the period runs from 1 January to 31 December. Q4 alone
    ends on 31/12 but is a quarter's flow, not the year's."""
    return period.start.month == 1 and period.start.day == 1 and period.is_year_end()


def _from_new_year(period: Period) -> bool:
    return period.start.month == 1 and period.start.day == 1


def _cap_before_year_end(target: Target, period: Period) -> bool:
    return (
        target.direction == Direction.LOWER
        and target.time_aggregation == TimeAggregation.SUM
        and not _whole_years(period)
    )


def verdict(
    target: Target,
    value: Decimal | None,
    goal: Decimal | None,
    period: Period,
    *,
    complete: bool,
    own_goal: bool = True,
) -> tuple[str, Decimal | None, str]:
    """(outcome, achievement, reason): ``judge`` plus the rules that keep a
    verdict honest. An incomplete period or a unit without a goal of its own
    is not judged; a lower-is-better flow before the year ends has no
    achievement (goal ÷ a partial count means nothing: 660 ÷ 2 = 33.000%)."""
    if not own_goal:
        return Outcome.NOT_ASSESSED, None, REASON_NO_OWN_GOAL
    cap = _cap_before_year_end(target, period)
    # A flow over part of a year set against the year's goal is progress
    # only from 1 January (year to date): Q3 alone is not "75% of the year".
    part = target.time_aggregation == TimeAggregation.SUM and not _from_new_year(period)
    ach = None if cap or part else achievement(target.direction, value, goal)
    if value is None:
        return Outcome.NOT_ASSESSED, ach, REASON_NO_VALUE
    if goal is None:
        return Outcome.NOT_ASSESSED, ach, REASON_NO_GOAL
    if not complete:
        return Outcome.NOT_ASSESSED, ach, provisional_reason(period)
    outcome = judge(target, value, goal, period)
    if outcome != Outcome.NOT_ASSESSED:
        return outcome, ach, ""
    if target.judged == Judged.YEAR_END and not period.is_year_end():
        return outcome, ach, REASON_YEAR_END
    return outcome, ach, REASON_CAP if cap else REASON_ACCUMULATING


def cap_used(target: Target, value: Decimal | None, goal: Decimal | None, period: Period) -> Decimal | None:
    """The share of a whole year's cap a lower-is-better flow has used."""
    if not _cap_before_year_end(target, period) or value is None or not goal:
        return None
    return (value / goal * HUNDRED).quantize(Decimal("0.01"))


def combine_units(rule: str, values: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Combine (value, weight) pairs across units by ``rule``."""
    if not values:
        return None
    if rule in (UnitAggregation.SUM, UnitAggregation.COUNT_MEETING):
        return sum((v * w for v, w in values), Decimal(0))
    if rule == UnitAggregation.MEAN:
        return sum((v for v, _ in values), Decimal(0)) / len(values)
    if rule == UnitAggregation.WEIGHTED_MEAN:
        total = sum((w for _, w in values), Decimal(0))
        if total == 0:
            return None
        return sum((v * w for v, w in values), Decimal(0)) / total
    return None


def combine_time(rule: str, cells: dict[dt.date, Decimal]) -> Decimal | None:
    """Combine a unit's cells (keyed by period end) over time by ``rule``."""
    if not cells:
        return None
    if rule == TimeAggregation.SUM:
        return sum(cells.values(), Decimal(0))
    if rule == TimeAggregation.LATEST:
        return cells[max(cells)]
    if rule == TimeAggregation.MEAN:
        return sum(cells.values(), Decimal(0)) / len(cells)
    return None


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


# -- the roll-up ---------------------------------------------------------------


@read_snapshot()
def rollup(
    document,
    unit: OrgUnit,
    period: Period,
    *,
    as_of_today: bool = True,
    targets: list[Target] | None = None,
    today: dt.date | None = None,
) -> Rollup:
    """Each target of ``document`` aggregated over ``unit``'s subtree and
    ``period``. ``as_of_today`` reads the tree as it is now (results of
    merged units count toward their successors); otherwise the units of
    the time are read as they were.

    The queries read one snapshot (``read_snapshot``): a result counted
    between two of them would otherwise be in one and not the other. Inside
    an outer transaction there is no snapshot, so every lookup across two
    queries below tolerates a row that appeared in between.

    Verdicts: only a complete period (``is_complete`` as of ``today``) is
    judged; each unit only against its own goal (its assignment's value).
    The root is judged against the target's goal when it is the issuing
    unit or above it, else against its own assignment's goal, if any."""
    complete = is_complete(period, today, document=document, unit=unit)
    below_issuer = _below_issuer(document, unit)
    if targets is None:
        targets = list(document.targets.prefetch_related("milestones").order_by("order", "id"))
    wanted = [t.pk for t in targets]
    by_id = {t.pk: t for t in targets}
    # A ratio needs its numerator and denominator rolled up too, even when
    # only the ratio was asked for (a target page, the API): read them and
    # roll them, then answer only what was asked.
    missing = {
        pk
        for t in targets
        if t.time_aggregation == TimeAggregation.RATIO
        for pk in (t.numerator_id, t.denominator_id)
        if pk is not None and pk not in by_id
    }
    if missing:
        extra = list(Target.objects.filter(pk__in=missing).prefetch_related("milestones"))
        targets = [*targets, *extra]
        by_id.update((t.pk, t) for t in extra)
    target_ids = list(by_id)
    for t in targets:
        # The goal rules read the document's term: never one query per target.
        if t.document_id == document.pk and not Target.document.is_cached(t):
            Target.document.field.set_cached_value(t, document)

    # 1. Assignments in the subtree.
    assignments = list(
        Assignment.objects.filter(subtree_q(unit, "unit__path"), target_id__in=target_ids).values_list(
            "target_id",
            "unit_id",
            "unit__path",
            "unit__valid_from",
            "unit__valid_to",
            "weight",
            *goals.GOAL_FIELDS,  # one row per goal row: the unit's goals with their history
        )
    )
    assigned: dict[int, dict[int, str]] = defaultdict(dict)
    unit_goal: dict[tuple[int, int], Decimal | None] = {}
    goal_of: dict[tuple[int, int], goals.Goal] = {}
    weight: dict[tuple[int, int], Decimal] = {}
    book = goals.GoalBook()
    for tid, uid, path, valid_from, valid_to, w, *goal_row in assignments:
        if as_of_today and valid_to is not None:
            continue
        if not as_of_today and not _lives_in(valid_from, valid_to, period.start, period.end):
            continue
        assigned[tid][uid] = path
        book.add(tid, uid, goal_row)
        weight[(tid, uid)] = w if w is not None else Decimal(1)
    for tid, uid in book.keys():
        # Each unit against its own goal in force on the period's last day.
        t = by_id[tid]
        unit_goals = book.goals(tid, uid, period.end)
        if t.unit_aggregation == UnitAggregation.COUNT_MEETING:
            g = goals.criterion_goal(unit_goals, period)
        else:
            g = goals.period_goal(t, document, unit_goals, period)
        goal_of[(tid, uid)] = g
        unit_goal[(tid, uid)] = g.value

    # 2. Submitted and approved results in the subtree and period, of each target's reporting kind.
    # Each target counts only results of its own reporting kind (a yearly
    # figure beside quarterly ones would be counted twice); grouping the
    # targets by kind keeps this a filter, not a join.
    by_kind: dict[str, list[int]] = defaultdict(list)
    for t in targets:
        by_kind[t.report_every].append(t.pk)
    kind_q = Q(pk__in=[])
    for kind, ids in by_kind.items():
        kind_q |= Q(target_id__in=ids, period_kind=kind)
    base = Result.objects.filter(
        kind_q,
        # A figure for a period outside its unit's life (a new commune's
        # figure for a quarter before it existed) is no figure: its
        # predecessors reported that territory then (no double count).
        Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=F("period_end")),
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=F("period_start")),
        status__in=COUNTED_STATUSES,
        period_start__gte=period.start,
        period_end__lte=period.end,
        value__isnull=False,
    )
    # A unit's value over time is computed in SQL (grouped per target and
    # unit) unless it inherits cells from retired units: those cells must be
    # combined period by period first, so they are read row by row.
    # cells[target][unit][period end] = (period start, [(value, weight, own figure?)]).
    cells: dict[int, dict[int, dict[dt.date, list[Cell]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    starts: dict[tuple[int, dt.date], dt.date] = {}
    estimated: set[int] = set()  # targets with an estimate among the figures read

    # 3. Today's tree: retired units' results go to their current successors.
    # The lineage into the subtree is small; read it first, then only the
    # retired units' results, by the (unit, period) index.
    if as_of_today:
        lineage: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
        for retired, succ, path, share in UnitSuccessor.objects.filter(
            subtree_q(unit, "successor__path")
        ).values_list("unit_id", "successor_id", "successor__path", "share"):
            lineage[retired].append((succ, path, share))
        if lineage:
            inherited = base.filter(unit_id__in=list(lineage)).values_list(
                "target_id", "unit_id", "period_start", "period_end", "value", "is_estimate"
            )
            for tid, retired, start, end, value, is_estimate in inherited.iterator(chunk_size=5000):
                starts[(tid, end)] = start
                if is_estimate:
                    estimated.add(tid)
                for succ, path, share in lineage[retired]:
                    cells[tid][succ][end].append(Cell(value, share, False))
                    if succ not in assigned[tid]:
                        assigned[tid][succ] = path
                        weight.setdefault((tid, succ), Decimal(1))
    mixed = {(tid, uid) for tid, per_unit in cells.items() for uid in per_unit}

    subtree = OrgUnit.objects.subtree(unit)
    if as_of_today:
        subtree = subtree.filter(valid_to__isnull=True)
    own = base.filter(unit_id__in=subtree.values("pk"))
    shadowed: set[tuple[int, int]] = set()
    if not as_of_today:
        own, shadowed = _without_shadowed(own, unit)
    if mixed:
        mixed_units = {uid for _, uid in mixed}
        rows = own.filter(unit_id__in=mixed_units).values_list(
            "target_id", "unit_id", "period_start", "period_end", "value"
        )
        for tid, uid, start, end, value in rows:
            if (tid, uid) in mixed:
                starts[(tid, end)] = start
                cells[tid][uid][end].append(Cell(value, Decimal(1), True))

    series: dict[int, dict[int, tuple[Decimal | None, int]]] = defaultdict(dict)
    spans: dict[int, dict[int, Span]] = defaultdict(dict)
    rule_of = {t.pk: t.time_aggregation for t in targets}
    grouped = (
        own.values("target_id", "unit_id")
        .annotate(
            total=Sum("value"),
            mean=Avg("value"),
            n=Count("id"),
            first=Min("period_start"),
            last=Max("period_end"),
            est=Count("id", filter=Q(is_estimate=True)),
        )
        .order_by()
        .values_list("target_id", "unit_id", "total", "mean", "n", "first", "last", "est")
    )
    unassigned: list[tuple[int, int]] = []
    for tid, uid, total, mean, n, first, last, est in grouped:
        if est:
            estimated.add(tid)
        if (tid, uid) in mixed:
            continue
        rule = rule_of[tid]
        value = total if rule == TimeAggregation.SUM else mean if rule == TimeAggregation.MEAN else None
        series[tid][uid] = (None if value is None else Decimal(value), n)
        spans[tid][uid] = Span(n, first, last)
        if not as_of_today and uid not in assigned[tid]:
            unassigned.append((tid, uid))
    for tid, uid in shadowed:
        if uid not in series[tid]:
            # Its only figure gave way to its successor's: not a missing unit.
            assigned[tid].pop(uid, None)
    if unassigned:
        # Units of the time that reported without an assignment still held then.
        paths = dict(OrgUnit.objects.filter(pk__in={u for _, u in unassigned}).values_list("pk", "path"))
        for tid, uid in unassigned:
            if uid not in paths:
                continue
            assigned[tid][uid] = paths[uid]
            weight.setdefault((tid, uid), Decimal(1))
    latest_ids = [t.pk for t in targets if t.time_aggregation == TimeAggregation.LATEST]
    if latest_ids:
        latest = (
            own.filter(target_id__in=latest_ids)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=[F("target_id"), F("unit_id")], order_by=F("period_end").desc()
                )
            )
            .filter(rank=1)
            .values_list("target_id", "unit_id", "value")
        )
        for tid, uid, value in latest:
            if (tid, uid) not in mixed:
                # A cell counted since the grouped query ran is one more cell.
                series[tid][uid] = (value, series[tid].get(uid, (None, 1))[1])
    for tid, uid in mixed:
        t = by_id[tid]
        per_end = cells[tid][uid]
        series[tid][uid] = (_unit_series_value(t, per_end), len(per_end))
        if per_end:
            spans[tid][uid] = Span(len(per_end), min(starts[(tid, e)] for e in per_end), max(per_end))

    out: dict[int, TargetResult] = {}
    for t in targets:
        if t.time_aggregation == TimeAggregation.RATIO:
            continue
        out[t.pk] = _roll_target(
            t,
            unit,
            period,
            assigned[t.pk],
            series[t.pk],
            unit_goal,
            weight,
            complete,
            below_issuer,
            spans[t.pk],
        )
    for t in targets:
        if t.time_aggregation == TimeAggregation.RATIO:
            out[t.pk] = _roll_ratio(t, unit, period, out, unit_goal, complete, below_issuer)
    for t in targets:
        # Say where each goal comes from (own, apportioned, derived).
        tr = out[t.pk]
        for uid, uv in tr.units.items():
            g = goal_of.get((t.pk, uid))
            uv.goal_source = g.label if g is not None and uv.goal is not None else ""
        if tr.goal is not None:
            root_goal = (
                goal_of.get((t.pk, unit.pk))
                if below_issuer
                else goals.period_goal(t, document, goals.target_goals(t), period)
            )
            tr.goal_source = root_goal.label if root_goal is not None else ""
    _mark_estimated(out, targets, estimated)
    return Rollup(unit=unit, period=period, targets=[out[pk] for pk in wanted], as_of_today=as_of_today)


def _without_shadowed(own, unit: OrgUnit) -> tuple[models.QuerySet, set[tuple[int, int]]]:
    """The units of the time, over a period that spans a merger: where a
    successor and a predecessor both hold a figure for the same period (a
    year's figure from each), the successor's stands (it reports for its
    whole territory) and the predecessor's is left out: no double count."""
    succ_of: dict[int, set[int]] = defaultdict(set)
    for retired, succ in UnitSuccessor.objects.filter(subtree_q(unit, "successor__path")).values_list(
        "unit_id", "successor_id"
    ):
        succ_of[retired].add(succ)
    if not succ_of:
        return own, set()
    every = set(succ_of) | {s for succs in succ_of.values() for s in succs}
    held = set(own.filter(unit_id__in=every).values_list("target_id", "unit_id", "period_end"))
    shadowed = Q(pk__in=[])
    units: set[tuple[int, int]] = set()
    for tid, uid, end in held:
        if any((tid, s, end) in held for s in succ_of.get(uid, ())):
            shadowed |= Q(target_id=tid, unit_id=uid, period_end=end)
            units.add((tid, uid))
    return (own.exclude(shadowed) if units else own), units


def units_changed_since(unit: OrgUnit, period: Period) -> bool:
    """Whether ``unit`` existed at the end of ``period`` and a unit of its
    subtree alive then has been retired since (merged, split, dissolved):
    a report on that period then reads the units of the time."""
    if unit.valid_from is not None and unit.valid_from > period.end:
        return False
    return (
        OrgUnit.objects.filter(subtree_q(unit), valid_to__gte=period.end)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .exists()
    )


def _lives_in(valid_from: dt.date | None, valid_to: dt.date | None, start: dt.date, end: dt.date) -> bool:
    """Whether a unit's life overlaps [start, end]."""
    return (valid_to is None or valid_to >= start) and (valid_from is None or valid_from <= end)


def _mark_estimated(out: dict[int, TargetResult], targets: list[Target], estimated: set[int]) -> None:
    """Flag the targets whose roll-up read an estimate ("ước thực hiện");
    a ratio is estimated when either side is."""
    for tid in estimated:
        out[tid].estimated = True
    for t in targets:
        if t.time_aggregation == TimeAggregation.RATIO:
            out[t.pk].estimated = any(
                out[i].estimated for i in (t.numerator_id, t.denominator_id) if i in out
            )


def _below_issuer(document, unit: OrgUnit) -> bool:
    """Whether ``unit`` lies strictly inside the issuing unit's subtree: a
    unit there has only the goal it was assigned, never the document's."""
    return goals.below_issuer(document, unit)


def _unit_series_value(t: Target, per_end: dict[dt.date, list[Cell]]) -> Decimal | None:
    # Within one period, several source units (a merged unit and its
    # predecessors) combine by the rule across units; then over time. The
    # successor's own figure for a period stands: it reports for its whole
    # territory, so its predecessors' figures are not added to it.
    rule = t.unit_aggregation if t.unit_aggregation != UnitAggregation.COUNT_MEETING else UnitAggregation.SUM
    combined: dict[dt.date, Decimal] = {}
    for end, sources in per_end.items():
        own = [c.value for c in sources if c.own]
        pairs = [(c.value, c.weight) for c in sources]
        if own:
            v = own[0]
        elif rule == UnitAggregation.NONE:
            # Not aggregable: never summed, not even across a merger; only a
            # unit carried over whole (a rename) keeps its figure.
            v = pairs[0][0] if len(pairs) == 1 and pairs[0][1] == 1 else None
        elif rule in (UnitAggregation.MEAN, UnitAggregation.WEIGHTED_MEAN):
            # A part of a split unit is still a whole rate: weight by share.
            v = combine_units(UnitAggregation.WEIGHTED_MEAN, pairs)
        else:
            v = combine_units(rule, pairs)
        if v is not None:
            combined[end] = v
    return combine_time(t.time_aggregation, combined)


def _nest(root: OrgUnit, assigned: dict[int, str]) -> dict[int | None, list[int]]:
    """Each assigned unit of the subtree (the root excluded) under its
    nearest assigned ancestor; ``None`` holds those with none but the root."""
    children: dict[int | None, list[int]] = defaultdict(list)
    stack: list[tuple[str, int]] = []
    for path, pk in sorted((path, pk) for pk, path in assigned.items() if pk != root.pk):
        while stack and not path.startswith(stack[-1][0]):
            stack.pop()
        children[stack[-1][1] if stack else None].append(pk)
        stack.append((path, pk))
    return children


def _roll_target(
    t: Target,
    root: OrgUnit,
    period: Period,
    assigned: dict[int, str],
    series: dict[int, tuple[Decimal | None, int]],
    unit_goal: dict[tuple[int, int], Decimal | None],
    weight: dict[tuple[int, int], Decimal],
    complete: bool,
    below_issuer: bool,
    spans: dict[int, Span] | None = None,
) -> TargetResult:
    target_goal = goal_for_period(t, period)
    # A count of units meeting a criterion: a unit without one of its own
    # is held to the target's level for the year (or the term's), not to
    # a path toward the count.
    criterion = goals.criterion_goal(goals.target_goals(t), period).value
    tpk = t.pk
    # "Number of units meeting the target" judges every unit by the
    # target's own criterion: that is what is counted.
    per_unit_criterion = t.unit_aggregation == UnitAggregation.COUNT_MEETING
    units: dict[int, UnitValue] = {}

    def judged(uid: int, v: Decimal | None, n_cells: int, rolled: bool = False) -> UnitValue:
        own = unit_goal.get((tpk, uid))  # 0 is a goal; None is no goal
        g = own if own is not None else (criterion if per_unit_criterion else None)
        outcome, ach, reason = verdict(
            t, v, g, period, complete=complete, own_goal=g is not None or v is None
        )
        if per_unit_criterion and v is not None and g is not None:
            # The count is of units meeting the criterion on the figures
            # received, so each unit is judged even while provisional.
            outcome = judge(t, v, g, period)
        return UnitValue(uid, _q(v), g, outcome, ach, n_cells, reason=reason, rolled_up=rolled)

    for uid in assigned:
        v, n_cells = series.get(uid, (None, 0))
        units[uid] = judged(uid, v, n_cells)

    # Nested assignments roll through: an assigned unit with no figure of
    # its own (a province that files none) stands for the assigned units
    # below it, so its subtree is not lost to every roll-up above it.
    children = _nest(root, assigned)

    def leaves(kids: list[int]):
        for u in kids:
            if units[u].cells or not children.get(u):
                yield u
            else:
                yield from leaves(children[u])

    def combined(kids: list[int]) -> Decimal | None:
        if per_unit_criterion:
            met = [units[u] for u in leaves(kids) if units[u].outcome != Outcome.NOT_ASSESSED]
            return (
                Decimal(sum(1 for u in met if u.outcome in (Outcome.MET, Outcome.EXCEEDED))) if met else None
            )
        pairs = [
            (units[u].value, weight.get((tpk, u), Decimal(1))) for u in kids if units[u].value is not None
        ]
        if t.unit_aggregation == UnitAggregation.SUM:
            pairs = [(v, Decimal(1)) for v, _ in pairs]
        return _q(combine_units(t.unit_aggregation, pairs))

    def roll_through(uid: int) -> None:
        kids = children.get(uid)
        if not kids:
            return
        for k in kids:
            roll_through(k)
        if units[uid].cells == 0 and not per_unit_criterion:
            v = combined(kids)
            if v is not None:
                units[uid] = judged(uid, v, 0, rolled=True)

    frontier = children.get(None, [])
    for u in frontier:
        roll_through(u)
    root_own = units.get(root.pk)
    if root_own is not None and root_own.value is not None:
        value = root_own.value
        basis = [root.pk]
    else:
        value = combined(frontier)
        basis = [u for u in leaves(frontier) if units[u].cells]
    if t.unit_aggregation == UnitAggregation.SUM and value:
        for u in frontier:
            if units[u].value is not None:
                units[u].share = (units[u].value / value * HUNDRED).quantize(Decimal("0.01"))
    counted = list(leaves(frontier))
    reporting = sum(1 for u in counted if units[u].cells)
    expected = len(counted)
    if root.pk in assigned:
        expected = max(expected, 1)
        reporting = max(reporting, 1 if units[root.pk].cells else 0)
    goal, own_goal = _root_goal(t, root, target_goal, unit_goal, below_issuer)
    outcome, ach, reason = verdict(
        t, value, goal, period, complete=complete, own_goal=own_goal or value is None
    )
    spans = spans or {}
    return TargetResult(
        target=t,
        value=value,
        goal=goal,
        achievement=ach,
        progress=progress(value, t.baseline_value, t.target_value) if own_goal and not below_issuer else None,
        outcome=outcome,
        expected_units=expected,
        reporting_units=reporting,
        units=units,
        provisional=not complete,
        reason=reason,
        cap_used=cap_used(t, value, goal, period),
        period=period,
        spans={u: spans[u] for u in basis if u in spans} if value is not None else {},
    )


def _root_goal(
    t: Target,
    root: OrgUnit,
    target_goal: Decimal | None,
    unit_goal: dict[tuple[int, int], Decimal | None],
    below_issuer: bool,
) -> tuple[Decimal | None, bool]:
    """(goal, whether the root has a goal of its own to be judged against)."""
    if not below_issuer:
        return target_goal, True
    own = unit_goal.get((t.pk, root.pk))
    return own, own is not None


def _roll_ratio(
    t: Target,
    root: OrgUnit,
    period: Period,
    out: dict[int, TargetResult],
    unit_goal: dict[tuple[int, int], Decimal | None],
    complete: bool,
    below_issuer: bool,
) -> TargetResult:
    """A rate recomputed from two other targets at every level:
    numerator / denominator × 100, never a mean of the units' rates."""
    target_goal = goal_for_period(t, period)
    num = out.get(t.numerator_id)
    den = out.get(t.denominator_id)

    def ratio(n: Decimal | None, d: Decimal | None) -> Decimal | None:
        if n is None or d is None or d == 0:
            return None
        return (n / d * HUNDRED).quantize(Decimal("0.0001"))

    units: dict[int, UnitValue] = {}
    if num and den:
        for uid in set(num.units) & set(den.units):
            v = ratio(num.units[uid].value, den.units[uid].value)
            g = unit_goal.get((t.pk, uid))
            outcome, ach, reason = verdict(
                t, v, g, period, complete=complete, own_goal=g is not None or v is None
            )
            units[uid] = UnitValue(uid, v, g, outcome, ach, 1, reason=reason)
    value = ratio(num.value if num else None, den.value if den else None)
    goal, own_goal = _root_goal(t, root, target_goal, unit_goal, below_issuer)
    outcome, ach, reason = verdict(
        t, value, goal, period, complete=complete, own_goal=own_goal or value is None
    )
    return TargetResult(
        target=t,
        value=value,
        goal=goal,
        achievement=ach,
        progress=progress(value, t.baseline_value, t.target_value) if not below_issuer else None,
        outcome=outcome,
        expected_units=num.expected_units if num else 0,
        reporting_units=min(num.reporting_units, den.reporting_units) if num and den else 0,
        units=units,
        note="" if num and den else "Thiếu chỉ tiêu tử số hoặc mẫu số.",
        period=period,
        # A rate compares like with like when its numerator does (the two
        # are reported together).
        spans=dict(num.spans) if num and value is not None else {},
        provisional=not complete,
        reason=reason,
    )


def _months(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _months_text(first: dt.date, last: dt.date) -> str:
    """ "tháng 10/2025", "từ tháng 1 đến tháng 9/2026", "từ tháng 7/2025 đến tháng 3/2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"tháng {first.month}/{first.year}"
    if first.year == last.year:
        return f"từ tháng {first.month} đến tháng {last.month}/{last.year}"
    return f"từ tháng {first.month}/{first.year} đến tháng {last.month}/{last.year}"


def not_comparable(now: TargetResult, before: TargetResult) -> str:
    """Why two roll-ups of one target over two periods (this year and the
    same period last year, a quarter and the one before…) cannot be set
    side by side; empty when they can, or when either has no figure.

    Like with like: the same units, each with figures for the same months
    of its period (2026 with Q1–Q3 reported is not compared with 2025 with
    Q4 alone)."""
    if now.value is None or before.value is None or now.period is None or before.period is None:
        return ""

    def shape(r: TargetResult) -> dict[int, tuple[int, int, int]]:
        p = r.period
        return {u: (s.cells, _months(p.start, s.first), _months(p.end, s.last)) for u, s in r.spans.items()}

    a, b = shape(now), shape(before)
    if a == b:
        return ""
    label_now, label_before = now.period.label, before.period.label
    label_before = label_before[0].lower() + label_before[1:]
    if set(a) != set(b):
        if len(a) != len(b):
            return (
                f"không cùng các đơn vị: {label_now} có số liệu của {format_number(len(a))} đơn vị, "
                f"{label_before} của {format_number(len(b))} đơn vị"
            )
        return f"không cùng các đơn vị: {label_now} và {label_before} có số liệu của những đơn vị khác nhau"

    def cover(r: TargetResult) -> tuple[dt.date, dt.date]:
        return min(x.first for x in r.spans.values()), max(x.last for x in r.spans.values())

    (f_now, l_now), (f_before, l_before) = cover(now), cover(before)
    if (_months(now.period.start, f_now), _months(now.period.end, l_now)) != (
        _months(before.period.start, f_before),
        _months(before.period.end, l_before),
    ):
        return (
            f"không cùng các tháng: {label_now} có số liệu {_months_text(f_now, l_now)}, "
            f"{label_before} có số liệu {_months_text(f_before, l_before)}"
        )
    changed = sum(1 for u in a if a[u] != b[u])
    return (
        f"không cùng các tháng: {format_number(changed)} đơn vị có số liệu của những tháng khác nhau "
        f"giữa {label_now[0].lower()}{label_now[1:]} và {label_before}"
    )


def add_parent_share(
    result: TargetResult, document, unit: OrgUnit, period: Period, *, user=None, as_of_today: bool = True
) -> TargetResult:
    """For a unit with no goal of its own, its figure's share of its
    parent's (%): what it shows instead of a verdict. One more roll-up of
    this one target over the parent; additive targets only. With ``user``,
    only when that user may see the parent: the share and the unit's own
    figure would tell the parent's total."""
    t = result.target
    if (
        result.goal is not None
        or result.value is None
        or unit.parent_id is None
        or t.unit_aggregation != UnitAggregation.SUM
        # A rate is no part of its parent's rate.
        or t.time_aggregation == TimeAggregation.RATIO
    ):
        return result
    parent = OrgUnit.objects.get(pk=unit.parent_id)
    if user is not None and not has_role(user, parent, Role.VIEWER):
        return result
    up = rollup(document, parent, period, targets=[t], as_of_today=as_of_today).targets[0]
    if up.value:
        result.share_of_parent = (result.value / up.value * HUNDRED).quantize(Decimal("0.01"))
    return result


# -- who has reported ----------------------------------------------------------


@dataclass
class ReportingStatus:
    unit: OrgUnit
    expected: int
    submitted: int
    drafts: int

    @property
    def missing(self) -> int:
        return self.expected - self.submitted


@read_snapshot()
def reporting_status(
    documents, unit: OrgUnit, period: Period, today: dt.date | None = None
) -> list[ReportingStatus]:
    """For each current unit of the subtree assigned targets of ``documents``
    (one document or several) that fall due in ``period``: how many results
    it should have submitted and how many it has (approved ones count as
    submitted). Units with nothing submitted come first. Two grouped
    queries and one for the units, whatever the number of documents."""
    docs = [documents] if isinstance(documents, models.Model) else list(documents)
    today = today or timezone.localdate()
    in_subtree = subtree_q(unit, "unit__path")
    expected: dict[int, int] = defaultdict(int)
    due: dict[str, int] = {}
    for uid, kind, n in (
        Assignment.objects.filter(in_subtree, target__document__in=docs, unit__valid_to__isnull=True)
        .values("unit_id", "target__report_every")
        .annotate(n=Count("id"))
        .values_list("unit_id", "target__report_every", "n")
    ):
        if kind not in due:
            due[kind] = len(_due_periods(kind, period, today))
        if due[kind]:
            expected[uid] += due[kind] * n
    submitted: dict[int, int] = defaultdict(int)
    drafts: dict[int, int] = defaultdict(int)
    for uid, status, n in (
        Result.objects.filter(
            in_subtree,
            target__document__in=docs,
            period_start__gte=period.start,
            period_end__lte=period.end,
            period_kind=F("target__report_every"),
        )
        .values("unit_id", "status")
        .annotate(n=Count("id"))
        .values_list("unit_id", "status", "n")
    ):
        (submitted if status in COUNTED_STATUSES else drafts)[uid] += n
    units = OrgUnit.objects.in_bulk(list(expected))
    out = [
        ReportingStatus(units[uid], expected[uid], min(submitted[uid], expected[uid]), drafts[uid])
        for uid in expected
    ]
    out.sort(key=lambda s: (s.submitted > 0, s.submitted / s.expected, s.unit.sort_key))
    return out


def _due_periods(kind: str, period: Period, today: dt.date | None = None) -> list[Period]:
    """The reporting periods of ``kind`` inside ``period`` that have begun."""
    today = today or timezone.localdate()
    try:
        parts = period.subperiods(kind)
    except PeriodError:
        return []
    return [p for p in parts if p.start <= today]


def lagging_units(result: TargetResult, n: int = 5) -> list[UnitValue]:
    """The units furthest behind on one target: lowest achievement first."""
    judged = [u for u in result.units.values() if u.achievement is not None]
    return sorted(judged, key=lambda u: u.achievement)[:n]
