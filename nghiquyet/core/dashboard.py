"""What the home page reads: a unit's documents in force with their
outcomes, the units that have not reported, and tasks falling due.

Read-only; every query is scoped to a unit the caller has already
accessed and to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from nghiquyet.core.periods import Period
from nghiquyet.documents.access import visible_documents
from nghiquyet.documents.models import Document
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.models import Assignment, Target
from nghiquyet.targets.rollup import Outcome, ReportingStatus, Rollup, reporting_status
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
    assigned = Assignment.objects.filter(subtree_q(unit, "unit__path")).values("target__document_id")
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


def units_not_reported(
    docs: list[Document], unit: OrgUnit, period: Period, today: dt.date
) -> list[ReportingStatus]:
    """Current units of ``unit``'s subtree with fewer submitted results than
    fall due in ``period`` for these documents' targets."""
    return [s for s in reporting_status(docs, unit, period, today) if s.submitted < s.expected]


def tasks_for(user, unit: OrgUnit):
    """Visible tasks led by a unit of ``unit``'s subtree."""
    return visible_tasks(user).filter(subtree_q(unit, "lead_unit__path")).select_related("lead_unit")


def overdue_tasks(user, unit: OrgUnit, today: dt.date, limit: int = 10):
    return list(tasks_for(user, unit).overdue(today).order_by("deadline", "id")[:limit])


def next_deadlines(user, unit: OrgUnit, today: dt.date, limit: int = 10):
    return list(
        tasks_for(user, unit)
        .filter(status__in=OPEN_STATUSES, deadline__gte=today)
        .order_by("deadline", "id")[:limit]
    )
