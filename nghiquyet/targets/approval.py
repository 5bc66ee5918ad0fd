"""What an approver needs beside a figure to sign it off: the previous
period's value, the same period last year, the reporter's note and the
warnings — those the reporter confirmed on submitting, and those the figure
raises now against the previous period (a figure sent by the API or a
sheet never showed the reporter a warning). A flagged figure is never
approved in bulk: it is approved one by one, after its warnings are seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from nghiquyet.core.periods import PeriodError

from .forms import far_from_last
from .models import ConfirmedWarning, Result, ResultStatus


@dataclass
class Context:
    previous: Decimal | None = None
    previous_label: str = ""
    last_year: Decimal | None = None
    last_year_label: str = ""
    confirmed: list[str] = field(default_factory=list)
    raised: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.confirmed or self.raised)


def _values(results: list[Result], keys: list[str]) -> dict[tuple[int, int, str], Decimal]:
    if not keys:
        return {}
    return {
        (t, u, k): v
        for t, u, k, v in Result.objects.filter(
            target_id__in={r.target_id for r in results},
            unit_id__in={r.unit_id for r in results},
            period_key__in=keys,
            value__isnull=False,
        ).values_list("target_id", "unit_id", "period_key", "value")
    }


def approval_context(results: list[Result]) -> dict[int, Context]:
    """Each result's context by id, in a few queries per period present
    (the approval page shows one period at a time)."""
    out: dict[int, Context] = {r.pk: Context() for r in results}
    by_period: dict[str, list[Result]] = {}
    for r in results:
        by_period.setdefault(r.period_key, []).append(r)
    for rows in by_period.values():
        period = rows[0].period
        try:
            prev = period.previous()
        except PeriodError:
            prev = None
        try:
            last = period.same_period_last_year()
        except PeriodError:
            last = None
        values = _values(rows, [p.key() for p in (prev, last) if p])
        for r in rows:
            c = out[r.pk]
            if prev:
                c.previous, c.previous_label = values.get((r.target_id, r.unit_id, prev.key())), prev.label
            if last:
                c.last_year, c.last_year_label = values.get((r.target_id, r.unit_id, last.key())), last.label
    # A warning holds for the version it was confirmed on; approving moves
    # the version on by one without changing the figure.
    by_id = {r.pk: r for r in results}
    for w in ConfirmedWarning.objects.filter(result_id__in=list(out)).order_by("id"):
        r = by_id[w.result_id]
        current = r.version - 1 if r.status == ResultStatus.APPROVED else r.version
        if w.version == current and w.text not in out[r.pk].confirmed:
            out[r.pk].confirmed.append(w.text)
    for r in results:
        c = out[r.pk]
        warning = far_from_last(r.value, c.previous)
        if warning and warning not in c.confirmed:
            c.raised.append(warning)
    return out


def flagged_ids(results: list[Result]) -> set[int]:
    """The results among ``results`` that carry a warning."""
    return {pk for pk, c in approval_context(results).items() if c.flagged}
