"""Whose deadline is which, and why entry is refused (targets.locks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nghiquyet.core.periods import Period
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.rounds.actions import do_grant_exception, do_open_round
from nghiquyet.targets.locks import EntryLocked, check_entry, entry_windows

pytestmark = pytest.mark.django_db
Q3 = Period.quarter(2026, 3)
D = dt.date


@pytest.fixture
def deep(tree):
    """Đức Thọ → a grassroots organisation → a cell."""
    org = OrgUnit.objects.create(
        name="Đảng bộ Trường THPT Đức Thọ", kind=UnitKind.GRASSROOTS, parent=tree.commune_a
    )
    cell = OrgUnit.objects.create(name="Chi bộ Tổ Toán", kind=UnitKind.CELL, parent=org)
    return org, cell


def test_a_kind_without_a_deadline_takes_the_nearest_listed_kind_above(tree, users, resolution, deep):
    org, cell = deep
    do_open_round(
        documents=[resolution.doc],
        unit=tree.province,
        period=Q3,
        deadlines={"grassroots": D(2026, 10, 3), "commune": D(2026, 10, 8)},
        unit_deadlines={tree.commune_b: D(2026, 10, 12)},  # Tùng Ảnh given longer
        grace_days=1,
        acting_user=users.province_admin,
    )
    doc = resolution.doc.pk
    units = [tree.province, tree.commune_a, tree.commune_b, org, cell]
    w = entry_windows([(doc, u) for u in units], Q3, D(2026, 10, 1))
    got = {u.name: (w[(doc, u.pk)].deadline, w[(doc, u.pk)].closes) for u in units}
    assert got == {
        # No province deadline listed, nothing above it listed: the round's latest.
        "Tỉnh ủy Hà Tĩnh": (D(2026, 10, 12), D(2026, 10, 13)),
        "Đảng ủy xã Đức Thọ": (D(2026, 10, 8), D(2026, 10, 9)),
        "Đảng ủy xã Tùng Ảnh": (D(2026, 10, 12), D(2026, 10, 13)),
        "Đảng bộ Trường THPT Đức Thọ": (D(2026, 10, 3), D(2026, 10, 4)),
        # A cell: no deadline of its own; the grassroots organisation above it has one.
        "Chi bộ Tổ Toán": (D(2026, 10, 3), D(2026, 10, 4)),
    }
    # The last day is whole: open on 04/10 (grace), locked on 05/10.
    assert check_entry([(doc, cell)], Q3, D(2026, 10, 4))
    with pytest.raises(EntryLocked, match="Đã quá hạn báo cáo của Chi bộ Tổ Toán"):
        check_entry([(doc, cell)], Q3, D(2026, 10, 5))
    # On time only by the deadline itself; the grace day is late.
    assert w[(doc, cell.pk)].on_time(D(2026, 10, 3)) and not w[(doc, cell.pk)].on_time(D(2026, 10, 4))


def test_no_round_means_the_reporting_window(tree, resolution, settings):
    settings.NGHIQUYET_REPORTING_WINDOW_DAYS = 15
    doc = resolution.doc.pk
    assert check_entry([(doc, tree.commune_a)], Q3, D(2026, 10, 15))
    with pytest.raises(EntryLocked) as exc:
        check_entry([(doc, tree.commune_a)], Q3, D(2026, 10, 16))
    assert exc.value.messages == [
        "Đã hết hạn báo cáo kỳ Quý III/2026 (hết ngày 15/10/2026): số liệu của Đảng ủy xã Đức Thọ đã khóa. "
        "Cấp trên có thể cho phép nhập bổ sung có thời hạn."
    ]


def test_a_round_not_open_yet_says_so(tree, users, resolution):
    do_open_round(
        documents=[resolution.doc],
        unit=tree.province,
        period=Q3,
        deadlines={"commune": D(2026, 10, 8)},
        opens_on=D(2026, 9, 25),
        acting_user=users.province_admin,
    )
    with pytest.raises(
        EntryLocked, match=r"Đợt báo cáo Quý III/2026 chưa mở: nhận số liệu từ ngày 25/09/2026\."
    ):
        check_entry([(resolution.doc.pk, tree.commune_a)], Q3, D(2026, 9, 24))
    assert check_entry([(resolution.doc.pk, tree.commune_a)], Q3, D(2026, 9, 25))


def test_exceptions_come_from_the_level_above_only_within_its_subtree(
    tree, users, resolution, deep, time_machine
):
    time_machine.move_to(dt.datetime(2026, 10, 20, 9, 0))
    org, cell = deep
    # No round: a period's exception. Đức Thọ's reporter is not above Đức Thọ.
    with pytest.raises(ValidationError, match="Chỉ cấp trên của Đảng ủy xã Đức Thọ"):
        do_grant_exception(tree.commune_a, D(2026, 10, 25), period=Q3, acting_user=users.reporter)
    # The Nghệ An admin is above nothing in Hà Tĩnh.
    with pytest.raises(ValidationError):
        do_grant_exception(tree.commune_a, D(2026, 10, 25), period=Q3, acting_user=users.outsider)
    do_grant_exception(tree.commune_a, D(2026, 10, 25), period=Q3, acting_user=users.province_admin)
    doc = resolution.doc.pk
    # It covers the commune's subtree (the cell) and not its neighbour.
    assert check_entry([(doc, tree.commune_a), (doc, cell)], Q3, D(2026, 10, 25))
    with pytest.raises(EntryLocked, match="Tùng Ảnh"):
        check_entry([(doc, tree.commune_b)], Q3, D(2026, 10, 25))
    with pytest.raises(EntryLocked, match="Đức Thọ"):
        check_entry([(doc, tree.commune_a)], Q3, D(2026, 10, 26))
    # Time-boxed: not in the past, not beyond 90 days.
    with pytest.raises(ValidationError, match="đã qua"):
        do_grant_exception(tree.commune_b, D(2026, 10, 19), period=Q3, acting_user=users.province_admin)
    with pytest.raises(ValidationError, match="tối đa 90 ngày"):
        do_grant_exception(tree.commune_b, D(2027, 3, 1), period=Q3, acting_user=users.province_admin)
