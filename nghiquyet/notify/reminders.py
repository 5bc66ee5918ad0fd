"""Which reminders are due on a day, and to whom (read-only).

- A round's deadline (``rounds.status.round_status``): a unit that has not
  sent every figure assigned to it is reminded 5 days before (sent when 2
  to 5 days are left) and 1 day before (1 day left or the day itself); the
  day after its deadline it is told it is late, and so is the level above
  (the approvers of its parent, who chase it and may grant an exception),
  in one message per deadline naming its late units.
- A figure returned by an approver: to the person who entered it.
- Figures waiting for approval: to the approvers of the nearest unit above
  the reporting unit that has approvers (the level that signs off), one
  message per approving unit counting what waits.
- A task: to its lead unit's people, from 3 days before its deadline, and
  once more when it is overdue.

"The unit's people" are those holding reporter (or a higher role) on that
unit itself: a province's administrator is not reminded of each commune's
figures. Returns and overdue tasks older than ``LOOKBACK_DAYS`` are not
news: a first run on an old database does not flood everyone.

Each reminder has a key naming its subject and stage; ``actions`` sends a
key once (``SentReminder``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from nghiquyet.accounts.models import ROLE_RANK, Membership, Role
from nghiquyet.core.dates import format_date
from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import parse_period_key
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.rounds.status import round_status
from nghiquyet.targets.models import ReportingRound, Result, ResultStatus
from nghiquyet.tasks.models import OPEN_STATUSES, Task

from .models import Kind

BEFORE_DAYS = (5, 1)
TASK_DUE_DAYS = 3
LOOKBACK_DAYS = 30
LIST_NAMES = 20  # late units named in the message to the level above


@dataclass
class Reminder:
    key: str
    kind: str
    title: str
    body: str
    url: str
    users: list = field(default_factory=list)


def _roles_from(min_role: str) -> list[str]:
    need = ROLE_RANK[Role(min_role)]
    return [r.value for r in Role if ROLE_RANK[r] >= need]


def members(unit_ids, min_role: str) -> dict[int, list]:
    """Active users holding at least ``min_role`` on each unit itself."""
    out: dict[int, list] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for m in (
        Membership.objects.filter(
            unit_id__in=set(unit_ids), role__in=_roles_from(min_role), user__is_active=True
        )
        .select_related("user")
        .order_by("unit_id", "user_id")
    ):
        if (m.unit_id, m.user_id) not in seen:
            seen.add((m.unit_id, m.user_id))
            out[m.unit_id].append(m.user)
    return out


def _ancestors(unit: OrgUnit) -> list[int]:
    """The units above ``unit``, nearest first (read from its path)."""
    return [int(seg, 16) for seg in reversed(unit.path.strip("/").split("/")[:-1])]


def nearest_approvers(units) -> dict[int, tuple[int | None, list]]:
    """For each unit: the nearest unit above it that has approvers (or
    administrators), and those people; (None, []) when none has."""
    units = list(units)
    above = {u.pk: _ancestors(u) for u in units}
    found = members({a for ids in above.values() for a in ids}, Role.APPROVER)
    out: dict[int, tuple[int | None, list]] = {}
    for u in units:
        out[u.pk] = next(((a, found[a]) for a in above[u.pk] if found.get(a)), (None, []))
    return out


def _day_word(days: int) -> str:
    return "hôm nay là hạn cuối" if days == 0 else f"còn {days} ngày"


def round_reminders(today: dt.date) -> list[Reminder]:
    out: list[Reminder] = []
    rounds = ReportingRound.objects.filter(closed_at__isnull=True).select_related("unit")
    for r in rounds:
        if today < (r.opens_on or r.period_start):
            continue
        url = reverse("rounds:round", args=[r.pk])
        late_rows, soon_rows = [], []
        for level in round_status(r):
            for row in level.rows:
                if row.reported >= row.expected:
                    continue
                days = (row.deadline - today).days
                if days < 0:
                    late_rows.append(row)
                elif days <= BEFORE_DAYS[0]:
                    soon_rows.append((row, "before1" if days <= BEFORE_DAYS[1] else "before5", days))
        own = members(
            [row.unit.pk for row, _, _ in soon_rows] + [row.unit.pk for row in late_rows], Role.REPORTER
        )
        parents = members([row.unit.parent_id for row in late_rows], Role.APPROVER)
        for row, stage, days in soon_rows:
            out.append(
                Reminder(
                    key=f"round:{r.pk}:unit:{row.unit.pk}:{stage}",
                    kind=Kind.DEADLINE_SOON,
                    title=f"{r.title}: {_day_word(days)} ({row.unit.name})",
                    body=(
                        f"{row.unit.name} đã gửi {row.reported}/{row.expected} chỉ tiêu kỳ {r.period.label}. "
                        f"Hạn báo cáo: hết ngày {format_date(row.deadline)}."
                    ),
                    url=url,
                    users=own.get(row.unit.pk, []),
                )
            )
        by_parent: dict[tuple[int, dt.date], list] = defaultdict(list)
        for row in late_rows:
            by_parent[(row.unit.parent_id, row.deadline)].append(row)
            out.append(
                Reminder(
                    key=f"round:{r.pk}:unit:{row.unit.pk}:late",
                    kind=Kind.LATE,
                    title=f"{r.title}: {row.unit.name} quá hạn báo cáo",
                    body=(
                        f"Đã quá hạn báo cáo (hết ngày {format_date(row.deadline)}); {row.unit.name} mới gửi "
                        f"{row.reported}/{row.expected} chỉ tiêu kỳ {r.period.label}."
                    ),
                    url=url,
                    users=own.get(row.unit.pk, []),
                )
            )
        # The level above gets one message per deadline listing its late
        # units, not one per unit (a province has a hundred communes).
        for (parent_id, deadline), rows in by_parent.items():
            names = ", ".join(row.unit.name for row in rows[:LIST_NAMES])
            more = f" và {len(rows) - LIST_NAMES} đơn vị khác" if len(rows) > LIST_NAMES else ""
            out.append(
                Reminder(
                    key=f"round:{r.pk}:above:{parent_id}:late:{deadline.isoformat()}",
                    kind=Kind.LATE,
                    title=f"{r.title}: {len(rows)} đơn vị trực thuộc quá hạn báo cáo",
                    body=(
                        f"Hạn báo cáo kỳ {r.period.label} (hết ngày {format_date(deadline)}) đã qua; "
                        f"chưa gửi đủ số liệu: {names}{more}."
                    ),
                    url=url,
                    users=parents.get(parent_id, []),
                )
            )
    return out


def returned_reminders(today: dt.date) -> list[Reminder]:
    since = timezone.now() - dt.timedelta(days=LOOKBACK_DAYS)
    rows = (
        Result.objects.filter(
            status=ResultStatus.DRAFT,
            returned_at__gte=since,
            reported_by__isnull=False,
            reported_by__is_active=True,
        )
        .exclude(returned_reason="")
        .select_related("target", "unit", "reported_by")
        .order_by("pk")
    )
    out = []
    for res in rows:
        url = reverse("targets:report") + f"?don_vi={res.unit_id}&ky={res.period_key}"
        out.append(
            Reminder(
                key=f"returned:{res.pk}:{int(res.returned_at.timestamp())}",
                kind=Kind.RETURNED,
                title=f"Số liệu bị trả lại: {res.target.name} ({res.unit.name}, {res.period.label})",
                body=f"Lý do: {res.returned_reason}",
                url=url,
                users=[res.reported_by],
            )
        )
    return out


def approval_reminders(today: dt.date) -> list[Reminder]:
    """One message per approving unit: how many figures wait, from which
    units; sent again when a new figure is submitted (the key holds the
    latest submission time)."""
    groups = list(
        Result.objects.filter(status=ResultStatus.SUBMITTED)
        .values("unit_id", "period_key")
        .annotate(n=Count("pk"), last=Max("submitted_at"))
        .order_by("period_key", "unit_id")
    )
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in={g["unit_id"] for g in groups})}
    approvers = nearest_approvers(units.values())
    by_above: dict[int, list[dict]] = defaultdict(list)
    for g in groups:
        above_id, _ = approvers[g["unit_id"]]
        if above_id is not None:
            by_above[above_id].append(g)
    out = []
    for above_id, rows in by_above.items():
        people = next(approvers[g["unit_id"]][1] for g in rows)
        total = sum(g["n"] for g in rows)
        stamp = max(int(g["last"].timestamp()) if g["last"] else 0 for g in rows)
        latest = max(rows, key=lambda g: g["last"].timestamp() if g["last"] else 0)
        lines = [
            f"{units[g['unit_id']].name}, {parse_period_key(g['period_key']).label}: {format_number(g['n'])}"
            for g in rows[:LIST_NAMES]
        ]
        more = f"\n… và {len(rows) - LIST_NAMES} nhóm khác" if len(rows) > LIST_NAMES else ""
        n_units = len({g["unit_id"] for g in rows})
        out.append(
            Reminder(
                key=f"approve:{above_id}:{stamp}",
                kind=Kind.TO_APPROVE,
                title=f"{format_number(total)} số liệu chờ duyệt ({format_number(n_units)} đơn vị)",
                body="Số liệu đã gửi, đang chờ duyệt:\n" + "\n".join(lines) + more,
                url=reverse("targets:approve") + f"?don_vi={above_id}&ky={latest['period_key']}",
                users=people,
            )
        )
    return out


def task_reminders(today: dt.date) -> list[Reminder]:
    tasks = list(
        Task.objects.filter(
            status__in=OPEN_STATUSES,
            deadline__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
            deadline__lte=today + dt.timedelta(days=TASK_DUE_DAYS),
        )
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    own = members([t.lead_unit_id for t in tasks], Role.REPORTER)
    out = []
    for t in tasks:
        overdue = t.deadline < today
        days = (t.deadline - today).days
        out.append(
            Reminder(
                key=f"task:{t.pk}:{'overdue' if overdue else 'due'}:{t.deadline.isoformat()}",
                kind=Kind.TASK_DUE,
                title=(
                    f"Nhiệm vụ quá hạn: {t.title}"
                    if overdue
                    else f"Nhiệm vụ đến hạn ({_day_word(days)}): {t.title}"
                ),
                body=f"Đơn vị chủ trì: {t.lead_unit.name}. Thời hạn: {format_date(t.deadline)}.",
                url=reverse("tasks:detail", args=[t.pk]),
                users=own.get(t.lead_unit_id, []),
            )
        )
    return out


def due_reminders(today: dt.date) -> list[Reminder]:
    """Every reminder due on ``today`` (Vietnam's date), sent or not yet."""
    return (
        round_reminders(today) + returned_reminders(today) + approval_reminders(today) + task_reminders(today)
    )
