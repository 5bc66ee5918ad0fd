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

from django.db import models
from django.db.models import Avg, Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from nghiquyet.accounts.access import has_role
from nghiquyet.accounts.models import Role
from nghiquyet.core.dates import VN_TZ, format_date
from nghiquyet.core.db import read_snapshot
from nghiquyet.core.numbers import format_number, format_percent
from nghiquyet.core.periods import Period, PeriodError
from nghiquyet.orgs.models import OrgUnit, UnitSuccessor, subtree_q

from . import locks
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

    @property
    def outcome_label(self) -> str:
        return Outcome.LABELS[self.outcome]

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
        """The sentence a report states: "17 chỉ tiêu: 10 đạt và vượt, 4 chưa đạt, 3 chưa đánh giá"."""
        c = self.counts()
        parts = []
        met = c[Outcome.EXCEEDED] + c[Outcome.MET]
        if met:
            parts.append(f"{met} đạt và vượt")
        if c[Outcome.NOT_MET]:
            parts.append(f"{c[Outcome.NOT_MET]} chưa đạt")
        if c[Outcome.NOT_ASSESSED]:
            parts.append(f"{c[Outcome.NOT_ASSESSED]} chưa đánh giá")
        text = (
            f"{len(self.targets)} chỉ tiêu: " + ", ".join(parts) if parts else f"{len(self.targets)} chỉ tiêu"
        )
        return text + " (tạm tính)" if self.provisional else text

    @property
    def provisional(self) -> bool:
        return any(t.provisional for t in self.targets)

    def half_reached(self) -> int:
        """How many targets reached at least half of the annual goal (the
        mid-year count: "07 chỉ tiêu đạt từ 50% trở lên"). A lower-is-better
        flow has no achievement before the year ends (its cap share is not
        progress), so it is not counted."""
        return sum(1 for t in self.targets if t.achievement is not None and t.achievement >= 50)

    def by_group(self) -> list[tuple[str, list[TargetResult]]]:
        groups: dict[str, list[TargetResult]] = defaultdict(list)
        for t in self.targets:
            groups[t.target.group].append(t)
        return [(g.label, groups[g.value]) for g in TargetGroup if groups.get(g.value)]


# -- pure arithmetic -----------------------------------------------------------


def goal_for_period(target: Target, period: Period) -> Decimal | None:
    """The goal a period is judged against: the year's milestone for a
    period within one year, else the term's target value."""
    if period.start.year == period.end.year:
        return target.goal_for(period.end.year)
    return target.target_value


def achievement(direction: str, value: Decimal | None, goal: Decimal | None) -> Decimal | None:
    """Direction-aware ratio to the goal, in percent."""
    if value is None or goal is None:
        return None
    if direction == Direction.LOWER:
        if value == 0:
            return None if goal == 0 else Decimal(999)
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
    ach = None if cap else achievement(target.direction, value, goal)
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


def _frontier(unit: OrgUnit, assigned: dict[int, str]) -> set[int]:
    """Assigned units of the subtree with no assigned unit above them
    inside it (the root excluded): the ones whose figures add up."""
    ids: set[int] = set()
    by_path = sorted(((path, pk) for pk, path in assigned.items() if pk != unit.pk))
    last = None
    for path, pk in by_path:
        if last is not None and path.startswith(last):
            continue
        ids.add(pk)
        last = path
    return ids


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
    by_id = {t.pk: t for t in targets}
    target_ids = list(by_id)

    # 1. Assignments in the subtree.
    assignments = list(
        Assignment.objects.filter(subtree_q(unit, "unit__path"), target_id__in=target_ids).values_list(
            "target_id",
            "unit_id",
            "unit__path",
            "unit__valid_from",
            "unit__valid_to",
            "target_value",
            "weight",
        )
    )
    assigned: dict[int, dict[int, str]] = defaultdict(dict)
    unit_goal: dict[tuple[int, int], Decimal | None] = {}
    weight: dict[tuple[int, int], Decimal] = {}
    for tid, uid, path, valid_from, valid_to, tv, w in assignments:
        if as_of_today and valid_to is not None:
            continue
        if not as_of_today and (
            (valid_to is not None and valid_to < period.start)
            or (valid_from is not None and valid_from > period.end)
        ):
            continue
        assigned[tid][uid] = path
        unit_goal[(tid, uid)] = tv
        weight[(tid, uid)] = w if w is not None else Decimal(1)

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
        status__in=COUNTED_STATUSES,
        period_start__gte=period.start,
        period_end__lte=period.end,
        value__isnull=False,
    )
    # A unit's value over time is computed in SQL (grouped per target and
    # unit) unless it inherits cells from retired units: those cells must be
    # combined period by period first, so they are read row by row.
    cells: dict[int, dict[int, dict[dt.date, list[tuple[Decimal, Decimal]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )

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
                "target_id", "unit_id", "period_end", "value"
            )
            for tid, retired, end, value in inherited.iterator(chunk_size=5000):
                for succ, path, share in lineage[retired]:
                    cells[tid][succ][end].append((value, share))
                    if succ not in assigned[tid]:
                        assigned[tid][succ] = path
                        weight.setdefault((tid, succ), Decimal(1))
    mixed = {(tid, uid) for tid, per_unit in cells.items() for uid in per_unit}

    subtree = OrgUnit.objects.subtree(unit)
    if as_of_today:
        subtree = subtree.filter(valid_to__isnull=True)
    own = base.filter(unit_id__in=subtree.values("pk"))
    if mixed:
        mixed_units = {uid for _, uid in mixed}
        rows = own.filter(unit_id__in=mixed_units).values_list("target_id", "unit_id", "period_end", "value")
        for tid, uid, end, value in rows:
            if (tid, uid) in mixed:
                cells[tid][uid][end].append((value, Decimal(1)))

    series: dict[int, dict[int, tuple[Decimal | None, int]]] = defaultdict(dict)
    rule_of = {t.pk: t.time_aggregation for t in targets}
    grouped = (
        own.values("target_id", "unit_id")
        .annotate(total=Sum("value"), mean=Avg("value"), n=Count("id"))
        .order_by()
        .values_list("target_id", "unit_id", "total", "mean", "n")
    )
    unassigned: list[tuple[int, int]] = []
    for tid, uid, total, mean, n in grouped:
        if (tid, uid) in mixed:
            continue
        rule = rule_of[tid]
        value = total if rule == TimeAggregation.SUM else mean if rule == TimeAggregation.MEAN else None
        series[tid][uid] = (None if value is None else Decimal(value), n)
        if not as_of_today and uid not in assigned[tid]:
            unassigned.append((tid, uid))
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

    out: dict[int, TargetResult] = {}
    for t in targets:
        if t.time_aggregation == TimeAggregation.RATIO:
            continue
        out[t.pk] = _roll_target(
            t, unit, period, assigned[t.pk], series[t.pk], unit_goal, weight, complete, below_issuer
        )
    for t in targets:
        if t.time_aggregation == TimeAggregation.RATIO:
            out[t.pk] = _roll_ratio(t, unit, period, out, unit_goal, complete, below_issuer)
    return Rollup(unit=unit, period=period, targets=[out[t.pk] for t in targets], as_of_today=as_of_today)


def _below_issuer(document, unit: OrgUnit) -> bool:
    """Whether ``unit`` lies strictly inside the issuing unit's subtree: a
    unit there has only the goal it was assigned, never the document's."""
    issuer_id = getattr(document, "issuing_unit_id", None)
    if issuer_id is None or issuer_id == unit.pk:
        return False
    return any(seg and int(seg, 16) == issuer_id for seg in unit.path.strip("/").split("/")[:-1])


def _unit_series_value(t: Target, per_end: dict[dt.date, list[tuple[Decimal, Decimal]]]) -> Decimal | None:
    # Within one period, several source units (a merged unit and its
    # predecessors) combine by the rule across units; then over time.
    rule = t.unit_aggregation if t.unit_aggregation != UnitAggregation.COUNT_MEETING else UnitAggregation.SUM
    if rule == UnitAggregation.NONE:
        rule = UnitAggregation.SUM
    combined: dict[dt.date, Decimal] = {}
    for end, pairs in per_end.items():
        if rule in (UnitAggregation.MEAN, UnitAggregation.WEIGHTED_MEAN):
            # A part of a split unit is still a whole rate: weight by share.
            v = combine_units(UnitAggregation.WEIGHTED_MEAN, pairs)
        else:
            v = combine_units(rule, pairs)
        if v is not None:
            combined[end] = v
    return combine_time(t.time_aggregation, combined)


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
) -> TargetResult:
    target_goal = goal_for_period(t, period)
    tpk = t.pk
    # "Number of units meeting the target" judges every unit by the
    # target's own criterion: that is what is counted.
    per_unit_criterion = t.unit_aggregation == UnitAggregation.COUNT_MEETING
    units: dict[int, UnitValue] = {}
    for uid in assigned:
        v, n_cells = series.get(uid, (None, 0))
        own = unit_goal.get((tpk, uid))  # 0 is a goal; None is no goal
        g = own if own is not None else (target_goal if per_unit_criterion else None)
        outcome, ach, reason = verdict(
            t, v, g, period, complete=complete, own_goal=g is not None or v is None
        )
        if per_unit_criterion and v is not None and g is not None:
            # The count is of units meeting the criterion on the figures
            # received, so each unit is judged even while provisional.
            outcome = judge(t, v, g, period)
        units[uid] = UnitValue(uid, _q(v), g, outcome, ach, n_cells, reason=reason)
    frontier = _frontier(root, assigned)
    root_own = units.get(root.pk)
    if root_own is not None and root_own.value is not None:
        value = root_own.value
    elif t.unit_aggregation == UnitAggregation.COUNT_MEETING:
        judged = [units[u] for u in frontier if units[u].outcome != Outcome.NOT_ASSESSED]
        value = (
            Decimal(sum(1 for u in judged if u.outcome in (Outcome.MET, Outcome.EXCEEDED)))
            if judged
            else None
        )
    else:
        pairs = [
            (units[u].value, weight.get((tpk, u), Decimal(1))) for u in frontier if units[u].value is not None
        ]
        if t.unit_aggregation == UnitAggregation.SUM:
            pairs = [(v, Decimal(1)) for v, _ in pairs]
        value = _q(combine_units(t.unit_aggregation, pairs))
    if t.unit_aggregation == UnitAggregation.SUM and value:
        for u in frontier:
            if units[u].value is not None:
                units[u].share = (units[u].value / value * HUNDRED).quantize(Decimal("0.01"))
    reporting = sum(1 for u in frontier if units[u].cells)
    expected = len(frontier)
    if root.pk in assigned:
        expected = max(expected, 1)
        reporting = max(reporting, 1 if units[root.pk].cells else 0)
    goal, own_goal = _root_goal(t, root, target_goal, unit_goal, below_issuer)
    outcome, ach, reason = verdict(
        t, value, goal, period, complete=complete, own_goal=own_goal or value is None
    )
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
        provisional=not complete,
        reason=reason,
    )


def add_parent_share(
    result: TargetResult, document, unit: OrgUnit, period: Period, *, user=None
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
    ):
        return result
    parent = OrgUnit.objects.get(pk=unit.parent_id)
    if user is not None and not has_role(user, parent, Role.VIEWER):
        return result
    up = rollup(document, parent, period, targets=[t]).targets[0]
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
