"""The tasks a review report states: those of the period, each in the state
it had at the period's end (not today), grouped by document, and the same
task given to many units stated once ("12 đơn vị: 8 hoàn thành, …").

A task counts for a period once it existed by the period's end (from its
document's issue date, or from when it was recorded if that is earlier)
and had not been finished before the period began. Its state at the end
comes from its status history: a completion counts from its completion
date, any other change from the day it was recorded (Vietnam's date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from nghiquyet.core.dates import VN_TZ, format_date_official
from nghiquyet.core.periods import Period
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.tasks.models import OPEN_STATUSES, Task, TaskKind, TaskStatus

DONE_STATUSES = (TaskStatus.DONE, TaskStatus.DONE_LATE)
# The order states are counted in, as reports list them.
STATE_ORDER = (TaskStatus.DONE, TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED)
STATE_WORDS = {
    TaskStatus.DONE: "hoàn thành",
    TaskStatus.DONE_LATE: "hoàn thành quá hạn",
    TaskStatus.IN_PROGRESS: "đang thực hiện",
    TaskStatus.NOT_STARTED: "chưa thực hiện",
}
# Documents followed down the "thực hiện" chain below the reviewed one.
MAX_CHAIN_DEPTH = 4


def _vn_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, VN_TZ).date()


def status_on(task: Task, day: dt.date) -> str | None:
    """The task's status at the end of ``day``: that of the last change in
    effect by then (a completion from its completion date, which may be
    earlier than when it was recorded; any other change from the day it
    was recorded); before any, "chưa thực hiện" if the task existed (its
    document issued or itself recorded by then), else None. Needs
    ``status_changes`` (prefetched) and ``source_document``."""
    changes = list(task.status_changes.all())
    status: str | None = None
    last = len(changes) - 1
    for i, c in enumerate(changes):
        when = _vn_date(c.changed_at)
        if i == last and c.new_status in DONE_STATUSES and task.completed_on:
            when = task.completed_on
        if when <= day:
            status = c.new_status
    if status is None:
        doc = task.source_document
        issued = doc.issued if doc is not None else None
        if issued is not None and issued <= day:
            status = TaskStatus.NOT_STARTED  # given by the document, recorded later
    return status


def overdue_on(task: Task, status: str, day: dt.date) -> bool:
    """Still open at the end of ``day`` with its deadline on or before it."""
    return status in OPEN_STATUSES and task.deadline is not None and task.deadline <= day


@dataclass
class TaskLine:
    """One task, or the same task (same title) given to several units."""

    title: str
    kind: str
    deadline: dt.date | None
    units: list[OrgUnit]
    states: dict[str, int]
    overdue: int
    overdue_units: list[OrgUnit] = field(default_factory=list)

    @property
    def notable(self) -> bool:
        """Key and breakthrough tasks, and any late or overdue, are named in the report."""
        return (
            self.kind in (TaskKind.KEY, TaskKind.BREAKTHROUGH)
            or self.overdue > 0
            or self.states.get(TaskStatus.DONE_LATE, 0) > 0
        )

    @property
    def open(self) -> int:
        return sum(n for s, n in self.states.items() if s in OPEN_STATUSES)

    def text(self) -> str:
        """ "Rà soát … (Đảng ủy xã Đức Thọ, thời hạn 30/6/2026): chưa thực hiện (quá hạn)."
        or, given to 12 units, "Rà soát … (12 đơn vị, thời hạn …): 8 đơn vị hoàn thành, 4 đơn vị chưa thực hiện (2 quá hạn)."."""
        deadline = f", thời hạn {format_date_official(self.deadline)}" if self.deadline else ""
        if len(self.units) == 1:
            (state,) = self.states
            label = STATE_WORDS[state] + (" (quá hạn)" if self.overdue else "")
            return f"{self.title} ({self.units[0].name}{deadline}): {label}."
        parts = [f"{self.states[s]} đơn vị {STATE_WORDS[s]}" for s in STATE_ORDER if self.states.get(s)]
        text = f"{self.title} ({len(self.units)} đơn vị{deadline}): {', '.join(parts)}"
        if self.overdue:
            names = ", ".join(u.name for u in self.overdue_units[:5])
            more = f" và {self.overdue - 5} đơn vị khác" if self.overdue > 5 else ""
            text += f"; quá hạn chưa hoàn thành: {names}{more}"
        return text + "."


@dataclass
class DocumentTasks:
    """The tasks of one document, counted by state at the period's end."""

    document: object
    lines: list[TaskLine]

    @property
    def total(self) -> int:
        return sum(len(line.units) for line in self.lines)

    def count(self, *states: str) -> int:
        return sum(line.states.get(s, 0) for line in self.lines for s in states)

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.lines)

    @property
    def notable(self) -> list[TaskLine]:
        return [line for line in self.lines if line.notable]

    def counts_text(self) -> str:
        """ "14 nhiệm vụ: 5 hoàn thành (1 quá hạn), 6 đang thực hiện, 3 chưa thực hiện; 2 nhiệm vụ quá hạn"."""
        parts = []
        done = self.count(*DONE_STATUSES)
        if done:
            late = self.count(TaskStatus.DONE_LATE)
            parts.append(f"{done} hoàn thành" + (f" ({late} hoàn thành quá hạn)" if late else ""))
        for s in (TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED):
            if self.count(s):
                parts.append(f"{self.count(s)} {STATE_WORDS[s]}")
        text = f"{self.total} nhiệm vụ: " + ", ".join(parts)
        if self.overdue:
            text += f"; trong đó {self.overdue} nhiệm vụ đã quá hạn"
        return text


def _chain(document) -> list:
    """The document and those implementing it, level by level (bounded)."""
    from nghiquyet.documents.models import Document

    out = [document]
    seen = {document.pk}
    level = [document.pk]
    for _ in range(MAX_CHAIN_DEPTH):
        below = list(
            Document.objects.filter(implements__in=level)
            .exclude(pk__in=seen)
            .select_related("issuing_unit")
            .distinct()
            .order_by("issued", "id")
        )
        if not below:
            break
        out += below
        seen |= {d.pk for d in below}
        level = [d.pk for d in below]
    return out


def period_tasks(
    document, unit: OrgUnit, period: Period, *, chain: list | None = None
) -> list[DocumentTasks]:
    """The tasks of ``document`` (and of the documents implementing it) led
    by units of ``unit``'s subtree, as they stood at ``period``'s end.
    Three queries and one per level of the document chain."""
    chain = chain if chain is not None else _chain(document)
    day = period.end
    tasks = (
        Task.objects.filter(subtree_q(unit, "lead_unit__path"), source_document__in=chain)
        .select_related("lead_unit", "source_document")
        .prefetch_related("status_changes")
        .order_by("deadline", "id")
    )
    by_doc: dict[int, dict[tuple, TaskLine]] = {d.pk: {} for d in chain}
    for task in tasks:
        if task.completed_on is not None and task.completed_on < period.start:
            continue  # finished before the period: an earlier period's result
        status = status_on(task, day)
        if status is None:
            continue  # did not exist yet at the period's end
        key = (task.title.strip().casefold(), task.deadline)
        line = by_doc[task.source_document_id].get(key)
        if line is None:
            line = TaskLine(task.title, task.kind, task.deadline, [], {}, 0)
            by_doc[task.source_document_id][key] = line
        line.units.append(task.lead_unit)
        line.states[status] = line.states.get(status, 0) + 1
        if task.kind != line.kind and task.kind in (TaskKind.KEY, TaskKind.BREAKTHROUGH):
            line.kind = task.kind
        if overdue_on(task, status, day):
            line.overdue += 1
            line.overdue_units.append(task.lead_unit)
    return [DocumentTasks(d, list(by_doc[d.pk].values())) for d in chain if by_doc[d.pk]]
