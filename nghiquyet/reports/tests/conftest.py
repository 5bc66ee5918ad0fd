"""A resolution with results for the first halves of 2025 and 2026, and a task."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from nghiquyet.core.periods import Period
from nghiquyet.orgs.models import OrgUnit
from nghiquyet.targets.actions import do_save_result
from nghiquyet.tasks.actions import do_create_task
from nghiquyet.tasks.models import TaskKind

TODAY = dt.date(2026, 8, 10)

# (target attribute, unit attribute, quarter, value)
VALUES = [
    ("new_members", "commune_a", Period.quarter(2026, 1), "30"),
    ("new_members", "commune_a", Period.quarter(2026, 2), "40"),
    ("new_members", "commune_b", Period.quarter(2026, 1), "25"),
    ("new_members", "commune_b", Period.quarter(2026, 2), "25"),
    # Like with like: both communes, both quarters, in 2025 as in 2026.
    ("new_members", "commune_a", Period.quarter(2025, 1), "25"),
    ("new_members", "commune_a", Period.quarter(2025, 2), "25"),
    ("new_members", "commune_b", Period.quarter(2025, 1), "25"),
    ("new_members", "commune_b", Period.quarter(2025, 2), "25"),
    ("poverty", "commune_a", Period.quarter(2026, 2), "2,8"),
    ("poverty", "commune_b", Period.quarter(2026, 2), "2,5"),
    ("poverty", "commune_a", Period.quarter(2025, 2), "3,2"),
    ("poverty", "commune_b", Period.quarter(2025, 2), "3,0"),
    ("forest", "commune_a", Period.quarter(2026, 2), "52"),
    ("forest", "commune_b", Period.quarter(2026, 2), "48"),
]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 8, 10, 9, 0), tick=False):
        yield


@pytest.fixture
def review(tree, users, resolution):
    """The resolution with submitted results and one overdue task."""
    # The communes report for 2025, so they existed then: the shared tree's
    # communes date from the 01/7/2025 merger, and a figure for a period
    # before a unit existed is refused (#11).
    for unit in (tree.commune_a, tree.commune_b):
        unit.valid_from = dt.date(2020, 1, 1)
        OrgUnit.objects.filter(pk=unit.pk).update(valid_from=unit.valid_from)
    for attr, unit_attr, period, value in VALUES:
        do_save_result(
            getattr(resolution, attr),
            getattr(tree, unit_attr),
            period,
            value,
            acting_user=None,  # history loaded by the system: entry windows govern people
            submit=True,
        )
    task = do_create_task(
        title="Rà soát, kiện toàn chi bộ thôn, tổ dân phố",
        lead_unit=tree.commune_a,
        deadline=dt.date(2026, 6, 30),
        kind=TaskKind.KEY,
        source_document=resolution.doc,
        acting_user=users.province_admin,
    )
    return SimpleNamespace(**vars(resolution), task=task, period=Period.half(2026, 1))
