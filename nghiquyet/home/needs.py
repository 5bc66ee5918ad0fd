"""What needs the signed-in person, read for their home page.

Counts and the first few items of each queue, each with the link that
opens the work: figures to enter or resubmit (with the reason they were
returned), figures to approve, the open rounds and their deadlines,
overdue tasks, suggestions from articles to review. Every query is
narrowed to the subtree of ``unit`` (already accessed) and to the user's
own roles there. Read-only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from nghiquyet.accounts.access import has_role, path_q, scope_paths
from nghiquyet.accounts.models import Membership, Role
from nghiquyet.core.dashboard import documents_in_force
from nghiquyet.core.periods import PeriodKind, current_period, parse_period_key
from nghiquyet.documents.access import visible_documents
from nghiquyet.ingestion.access import visible_sources
from nghiquyet.ingestion.models import Suggestion
from nghiquyet.orgs.models import OrgUnit, subtree_q
from nghiquyet.rounds.access import visible_rounds
from nghiquyet.rounds.status import MISSING, round_status
from nghiquyet.targets.locks import reporting_closes
from nghiquyet.targets.models import Assignment, Result, ResultStatus
from nghiquyet.targets.rollup import reporting_status
from nghiquyet.tasks.access import visible_tasks

LIST_LIMIT = 10


@dataclass
class RoundLine:
    round: object
    deadline: dt.date | None  # the deadline of the units the person reports for
    on_time: int = 0
    late: int = 0
    missing: int = 0
    url: str = ""


@dataclass
class ToEnter:
    unit: OrgUnit
    round: object  # None: the period's reporting window, no round
    reported: int
    expected: int
    deadline: dt.date
    locked: bool
    url: str
    label: str = ""  # what is due: the round's title, or the period's

    def __post_init__(self) -> None:
        if not self.label and self.round is not None:
            self.label = self.round.title


@dataclass
class Needs:
    returned: list = field(default_factory=list)
    returned_count: int = 0
    to_enter: list[ToEnter] = field(default_factory=list)
    to_approve: list = field(default_factory=list)  # (unit, period label, count, url)
    to_approve_count: int = 0
    rounds: list[RoundLine] = field(default_factory=list)
    overdue_count: int = 0
    overdue_url: str = ""
    suggestions_count: int = 0
    suggestions_url: str = ""
    empty: bool = False  # nothing set up yet in the unit: show the first steps
    can_admin: bool = False  # the first steps are the unit's administrators' to take

    @property
    def total(self) -> int:
        return (
            self.returned_count
            + len(self.to_enter)
            + self.to_approve_count
            + self.overdue_count
            + (self.suggestions_count)
        )


def _within(paths: list[str], unit: OrgUnit, field_name: str) -> Q:
    """Rows under both ``unit`` and one of the role's subtree roots."""
    return subtree_q(unit, field_name) & path_q(paths, field_name)


def _ancestor_ids(unit: OrgUnit) -> list[int]:
    """The unit and those above it (read from its path)."""
    return [int(seg, 16) for seg in unit.path.strip("/").split("/") if seg]


def is_empty(user, unit: OrgUnit) -> bool:
    """No document issued in the unit's subtree, none assigned to it: a
    province that has not started."""
    assigned = Assignment.objects.filter(subtree_q(unit, "unit__path")).values("target__document_id")
    return (
        not visible_documents(user)
        .filter(subtree_q(unit, "issuing_unit__path") | Q(pk__in=assigned))
        .exists()
    )


def needs_for(user, unit: OrgUnit, today: dt.date) -> Needs:
    """What ``user`` has to do inside ``unit``'s subtree on ``today``."""
    out = Needs()
    reporter_paths = scope_paths(user, Role.REPORTER)
    approver_paths = scope_paths(user, Role.APPROVER)

    if reporter_paths:
        returned = (
            Result.objects.filter(_within(reporter_paths, unit, "unit__path"), status=ResultStatus.DRAFT)
            .exclude(returned_reason="")
            .select_related("target", "unit", "returned_by")
            .order_by("-returned_at", "-pk")
        )
        out.returned_count = returned.count()
        report = reverse("targets:report")
        out.returned = [(r, f"{report}?don_vi={r.unit_id}&ky={r.period_key}") for r in returned[:LIST_LIMIT]]

    if approver_paths:
        waiting = (
            Result.objects.filter(_within(approver_paths, unit, "unit__path"), status=ResultStatus.SUBMITTED)
            .exclude(reported_by=user)  # nobody approves their own figure
            .values("unit_id", "period_key")
            .annotate(n=Count("pk"))
            .order_by("period_key", "unit_id")
        )
        groups = list(waiting)
        out.to_approve_count = sum(g["n"] for g in groups)
        units = OrgUnit.objects.in_bulk([g["unit_id"] for g in groups[:LIST_LIMIT]])
        approve = reverse("targets:approve")
        out.to_approve = [
            (
                units[g["unit_id"]],
                parse_period_key(g["period_key"]).label,
                g["n"],
                f"{approve}?don_vi={g['unit_id']}&ky={g['period_key']}",
            )
            for g in groups[:LIST_LIMIT]
        ]

    # The units this person reports for: where they hold reporter or above
    # on the unit itself (a province's administrator chases its communes
    # through the round's page, they are not "theirs to enter").
    own_units = set(
        Membership.objects.filter(
            user=user,
            role__in=[Role.REPORTER, Role.APPROVER, Role.ADMIN],
            unit__in=OrgUnit.objects.subtree(unit),
        ).values_list("unit_id", flat=True)
    )
    open_rounds = (
        visible_rounds(user)
        .filter(closed_at__isnull=True)
        .filter(Q(unit_id__in=_ancestor_ids(unit)) | subtree_q(unit, "unit__path"))
        .select_related("unit")
        .order_by("period_end", "pk")
    )
    for r in open_rounds[:LIST_LIMIT]:
        url = reverse("rounds:round", args=[r.pk])
        levels = round_status(r, within=unit)
        line = RoundLine(round=r, deadline=None, url=url)
        for level in levels:
            for row in level.rows:
                line.on_time += row.state == "dung_han"
                line.late += row.state == "tre_han"
                line.missing += row.state == MISSING
                if row.unit.pk in own_units:
                    line.deadline = row.deadline
                    if row.reported < row.expected:
                        out.to_enter.append(
                            ToEnter(
                                unit=row.unit,
                                round=r,
                                reported=row.reported,
                                expected=row.expected,
                                deadline=row.deadline,
                                locked=row.locked,
                                url=f"{reverse('targets:report')}?don_vi={row.unit.pk}&ky={r.period_key}",
                            )
                        )
        out.rounds.append(line)

    # Without a round, the quarter just ended is due until its reporting
    # window closes (targets.locks): the person's own units still short of it.
    report_period = current_period(PeriodKind.QUARTER, today).previous()
    closes = reporting_closes(report_period)
    in_rounds = {e.unit.pk for e in out.to_enter if e.round.period_key == report_period.key()}
    if (
        own_units
        and today <= closes
        and not any(line.round.period_key == report_period.key() for line in out.rounds)
    ):
        docs = documents_in_force(user, unit, today)
        for st in reporting_status(docs, unit, report_period, today):
            if st.unit.pk in own_units and st.unit.pk not in in_rounds and st.submitted < st.expected:
                out.to_enter.append(
                    ToEnter(
                        unit=st.unit,
                        round=None,
                        reported=st.submitted,
                        expected=st.expected,
                        deadline=closes,
                        locked=False,
                        url=f"{reverse('targets:report')}?don_vi={st.unit.pk}&ky={report_period.key()}",
                        label=f"Kỳ {report_period.label}",
                    )
                )

    overdue = visible_tasks(user).filter(subtree_q(unit, "lead_unit__path")).overdue(today)
    out.overdue_count = overdue.count()
    out.overdue_url = f"{reverse('tasks:index')}?don_vi={unit.pk}&trang_thai=qua_han"

    if reporter_paths:
        out.suggestions_count = Suggestion.objects.filter(
            status=Suggestion.Status.PENDING,
            source__in=visible_sources(user, Role.REPORTER).filter(subtree_q(unit, "unit__path")),
        ).count()
        out.suggestions_url = reverse("ingestion:index")

    out.empty = is_empty(user, unit)
    out.can_admin = has_role(user, unit, Role.ADMIN)
    return out
