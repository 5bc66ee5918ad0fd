"""Helpers shared by the view and API tests (fixtures stay in conftest.py)."""

from __future__ import annotations

import datetime as dt

from nghiquyet.core.periods import Period
from nghiquyet.documents.actions import do_create_document
from nghiquyet.targets.actions import do_save_result
from nghiquyet.tasks.actions import do_create_task

TODAY = dt.datetime(2026, 11, 21, 9, 0)
Q3 = Period.quarter(2026, 3)
Q2 = Period.quarter(2026, 2)


def submit(target, unit, period, value, user=None):
    return do_save_result(target, unit, period, value, acting_user=user, submit=True)


def reopen(unit, *periods, until=dt.date(2026, 12, 31)):
    """Entry reopened for ``unit``'s subtree for ``periods`` (an exception
    granted from above, as an administrator would for late corrections):
    the tests that use it write figures of a period whose reporting window
    has closed (issue 13), and test something else than the lock."""
    from nghiquyet.targets.models import EntryException

    for p in periods:
        EntryException.objects.create(unit=unit, period_key=p.key(), until=until, reason="thử nghiệm")


def make_task(unit, title="Rà soát dữ liệu đảng viên", deadline=dt.date(2026, 9, 30), document=None):
    return do_create_task(
        title=title, lead_unit=unit, deadline=deadline, acting_user=None, source_document=document
    )


def make_program(unit, implements, sign="12-CTr/ĐU", title="Chương trình hành động của Đảng ủy xã"):
    return do_create_document(
        kind="chuong_trinh",
        sign=sign,
        title=title,
        issuing_unit=unit,
        issued=dt.date(2025, 12, 1),
        acting_user=None,
        implements=[implements],
    )
