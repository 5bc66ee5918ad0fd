"""Who reported in a round: on time, late, or not at all, level by level."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from nghiquyet.orgs.models import OrgUnit, UnitKind, subtree_q
from nghiquyet.targets.locks import entry_windows, vn_today
from nghiquyet.targets.models import COUNTED_STATUSES, Assignment, ReportingRound, Result, RoundReport

ON_TIME, LATE, MISSING = "dung_han", "tre_han", "chua_bao_cao"
LABELS = {ON_TIME: "Đúng hạn", LATE: "Trễ hạn", MISSING: "Chưa báo cáo"}


@dataclass
class UnitRow:
    unit: OrgUnit
    deadline: dt.date
    closes: dt.date
    state: str
    reported: int  # figures sent
    expected: int  # targets assigned
    report: RoundReport | None = None
    exception_until: dt.date | None = None
    locked: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass
class Level:
    kind: str
    label: str
    rows: list[UnitRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def on_time(self) -> int:
        return self.count(ON_TIME)

    @property
    def late(self) -> int:
        return self.count(LATE)

    @property
    def missing(self) -> int:
        return self.count(MISSING)


def round_status(r: ReportingRound, within: OrgUnit | None = None) -> list[Level]:
    """The units of ``r`` (those assigned a target of its documents inside
    its subtree, or inside ``within`` when given), by level from the top.
    A unit is on time when every figure it sent was sent by its deadline,
    late when one was sent after, and missing when it sent none."""
    scope = within if within is not None and within.path.startswith(r.unit.path) else r.unit
    doc_ids = list(r.documents.values_list("pk", flat=True))
    assigned: dict[int, set[int]] = defaultdict(set)
    for tid, uid in Assignment.objects.filter(
        subtree_q(scope, "unit__path"), target__document_id__in=doc_ids, unit__valid_to__isnull=True
    ).values_list("target_id", "unit_id"):
        assigned[uid].add(tid)
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=assigned)}
    target_doc = dict(
        Assignment.objects.filter(unit_id__in=units, target__document_id__in=doc_ids).values_list(
            "target_id", "target__document_id"
        )
    )
    sent: dict[int, list[bool | None]] = defaultdict(list)
    for uid, on_time in Result.objects.filter(
        unit_id__in=units,
        target_id__in=target_doc,
        period_end=r.period_end,
        period_start__gte=r.period_start,
        status__in=COUNTED_STATUSES,
    ).values_list("unit_id", "on_time"):
        sent[uid].append(on_time)
    reports = {x.unit_id: x for x in RoundReport.objects.filter(round=r, unit_id__in=units)}
    today = vn_today()
    first_doc = doc_ids[0] if doc_ids else 0
    windows = entry_windows([(first_doc, u) for u in units.values()], r.period, today)
    kinds = dict(UnitKind.choices)
    levels: dict[tuple[int, str], Level] = {}
    for u in sorted(units.values(), key=lambda u: (u.depth, u.sort_key, u.pk)):
        flags = sent.get(u.pk, [])
        state = MISSING if not flags else LATE if any(f is False for f in flags) else ON_TIME
        w = windows[(first_doc, u.pk)]
        level = levels.setdefault((u.depth, u.kind), Level(u.kind, kinds.get(u.kind, u.kind)))
        level.rows.append(
            UnitRow(
                unit=u,
                deadline=w.deadline,
                closes=w.closes,
                state=state,
                reported=len(flags),
                expected=len(assigned[u.pk]),
                report=reports.get(u.pk),
                exception_until=w.exception_until,
                locked=bool(w.lock_reason(u, r.period, today)),
            )
        )
    return [levels[k] for k in sorted(levels)]
