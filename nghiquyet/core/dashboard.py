"""What the home page reads: a unit's documents in force with their
outcomes, the units that have not reported, and tasks falling due.

Read-only; every query is scoped to a unit the caller has already
accessed and to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q

from nghiquyet.core.periods import Period, PeriodError
from nghiquyet.documents.access import visible_documents
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import PATH_END, OrgUnit
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.models import COUNTED_STATUSES, Assignment, Result, Target
from nghiquyet.targets.rollup import Outcome, Rollup
from nghiquyet.tasks.access import visible_tasks
from nghiquyet.tasks.models import OPEN_STATUSES

OUTCOME_ORDER = [Outcome.EXCEEDED, Outcome.MET, Outcome.NOT_MET, Outcome.NOT_ASSESSED]


@dataclass
class OutcomeBar:
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def segments(self) -> list[tuple[str, str, int, float]]:
        """(css key, label, count, percent width) for a stacked bar."""
        total = self.total or 1
        return [
            (k, Outcome.LABELS[k], self.counts.get(k, 0), 100 * self.counts.get(k, 0) / total)
            for k in OUTCOME_ORDER
        ]


@dataclass
class DocumentSummary:
    document: Document
    rollup: Rollup | None
    bar: OutcomeBar


def in_force(qs, today: dt.date):
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today)).filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today.year)
    )


def documents_in_force(user, unit: OrgUnit, today: dt.date, limit: int = 20) -> list[Document]:
    """Visible documents in force that concern ``unit``: issued by it, or with
    targets assigned in its subtree."""
    assigned = Assignment.objects.filter(
        unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END
    ).values("target__document_id")
    qs = in_force(visible_documents(user), today).filter(Q(issuing_unit=unit) | Q(pk__in=assigned))
    return list(qs.select_related("issuing_unit").order_by("-issued", "-id")[:limit])


def document_summaries(
    docs: list[Document], unit: OrgUnit, period: Period, request=None
) -> list[DocumentSummary]:
    """Each document's targets rolled up over ``unit`` and ``period``; the
    targets of all documents are read in one query."""
    targets: dict[int, list[Target]] = defaultdict(list)
    for t in Target.objects.filter(document__in=docs).prefetch_related("milestones").order_by("order", "id"):
        targets[t.document_id].append(t)
    out = []
    for d in docs:
        if not targets.get(d.pk):
            out.append(DocumentSummary(d, None, OutcomeBar({})))
            continue
        r = cached_rollup(d, unit, period, targets=targets[d.pk], request=request)
        out.append(DocumentSummary(d, r, OutcomeBar(r.counts())))
    return out


@dataclass
class Missing:
    unit: OrgUnit
    expected: int
    submitted: int


def _due(kind: str, period: Period, today: dt.date) -> int:
    try:
        return sum(1 for p in period.subperiods(kind) if p.start <= today)
    except PeriodError:
        return 0


def units_not_reported(docs: list[Document], unit: OrgUnit, period: Period, today: dt.date) -> list[Missing]:
    """Current units of ``unit``'s subtree with fewer submitted results than
    fall due in ``period`` for these documents' targets. Two queries and one
    for the units' names, whatever the number of documents."""
    lo, hi = unit.path, unit.path + PATH_END
    expected: dict[int, int] = defaultdict(int)
    rows = (
        Assignment.objects.filter(
            target__document__in=docs, unit__path__gte=lo, unit__path__lt=hi, unit__valid_to__isnull=True
        )
        .values("unit_id", "target__report_every")
        .annotate(n=Count("id"))
        .values_list("unit_id", "target__report_every", "n")
    )
    due = {}
    for uid, kind, n in rows:
        if kind not in due:
            due[kind] = _due(kind, period, today)
        expected[uid] += due[kind] * n
    submitted = dict(
        Result.objects.filter(
            target__document__in=docs,
            unit__path__gte=lo,
            unit__path__lt=hi,
            status__in=COUNTED_STATUSES,
            period_start__gte=period.start,
            period_end__lte=period.end,
            period_kind=F("target__report_every"),
        )
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    missing_ids = [uid for uid, n in expected.items() if n and submitted.get(uid, 0) < n]
    units = OrgUnit.objects.in_bulk(missing_ids)
    out = [Missing(units[u], expected[u], min(submitted.get(u, 0), expected[u])) for u in missing_ids]
    out.sort(key=lambda m: (m.submitted > 0, m.unit.sort_key))
    return out


def tasks_for(user, unit: OrgUnit):
    """Visible tasks led by a unit of ``unit``'s subtree."""
    return (
        visible_tasks(user)
        .filter(lead_unit__path__gte=unit.path, lead_unit__path__lt=unit.path + PATH_END)
        .select_related("lead_unit")
    )


def overdue_tasks(user, unit: OrgUnit, today: dt.date, limit: int = 10):
    return list(tasks_for(user, unit).overdue(today).order_by("deadline", "id")[:limit])


def next_deadlines(user, unit: OrgUnit, today: dt.date, limit: int = 10):
    return list(
        tasks_for(user, unit)
        .filter(status__in=OPEN_STATUSES, deadline__gte=today)
        .order_by("deadline", "id")[:limit]
    )
