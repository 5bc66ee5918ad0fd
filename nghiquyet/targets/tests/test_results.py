"""Reporting a result: validation, history, no duplicates, no lost updates, audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen  # noqa: E402
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.actions import (
    StaleResultError,
    clean_value,
    do_assign_target,
    do_assign_target_to_communes,
    do_save_result,
)
from nghiquyet.targets.models import Assignment, Result, ResultStatus

pytestmark = pytest.mark.django_db
Q = Period.quarter


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of the third quarter are written after its reporting window
    closed: entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Period.quarter(2026, 3))


def test_vietnamese_values_are_read(resolution):
    t = resolution.new_members
    assert clean_value(t, "2.989") == Decimal(2989)
    assert clean_value(t, "2.989 đảng viên") == Decimal(2989)
    assert clean_value(t, 15) == Decimal(15)
    assert clean_value(t, "") is None
    assert clean_value(resolution.poverty, "48,93") == Decimal("48.93")


@pytest.mark.parametrize(
    ("target", "raw", "message"),
    [
        ("new_members", "abc", "số"),
        ("new_members", "12,5", "số nguyên"),
        ("poverty", "120", "lớn hơn mức tối đa"),
        ("poverty", "-1", "nhỏ hơn mức tối thiểu"),
        ("new_members", True, "phải là số"),
    ],
)
def test_bad_values_are_refused_in_vietnamese(resolution, target, raw, message):
    with pytest.raises(ValidationError, match=message):
        clean_value(getattr(resolution, target), raw)


def test_write_twice_updates_with_history_never_duplicates(tree, users, resolution):
    t = resolution.new_members
    r1 = do_save_result(t, tree.commune_a, "Quý III/2026", "12", acting_user=users.reporter)
    r2 = do_save_result(t, tree.commune_a, Q(2026, 3), "15", acting_user=users.reporter, submit=True)
    assert r1.pk == r2.pk
    assert Result.objects.count() == 1
    assert (r2.value, r2.version, r2.status) == (Decimal(15), 2, ResultStatus.SUBMITTED)
    assert list(r2.revisions.values_list("value", "version")) == [(Decimal(12), 1)]
    # The same value again changes nothing.
    r3 = do_save_result(t, tree.commune_a, Q(2026, 3), "15", acting_user=users.reporter, submit=True)
    assert r3.version == 2
    actions = list(AuditEntry.objects.filter(action="save_result").values_list("actor__username", "before"))
    assert len(actions) == 2
    assert actions[0][0] == "bc_ductho"


def test_stale_form_is_refused_and_nothing_overwritten(tree, users, resolution):
    t = resolution.new_members
    r = do_save_result(t, tree.commune_a, Q(2026, 3), "12", acting_user=users.reporter)
    # Two people opened the form at version 1; the first saves.
    do_save_result(
        t, tree.commune_a, Q(2026, 3), "13", acting_user=users.reporter, expected_version=r.version
    )
    with pytest.raises(StaleResultError, match="vừa được người khác cập nhật"):
        do_save_result(
            t, tree.commune_a, Q(2026, 3), "99", acting_user=users.province_admin, expected_version=r.version
        )
    r.refresh_from_db()
    assert r.value == Decimal(13)


def test_form_opened_on_an_empty_cell_that_someone_filled(tree, users, resolution):
    t = resolution.new_members
    do_save_result(t, tree.commune_a, Q(2026, 3), "12", acting_user=users.reporter, expected_version=0)
    with pytest.raises(StaleResultError):
        do_save_result(t, tree.commune_a, Q(2026, 3), "14", acting_user=users.reporter, expected_version=0)


def test_unassigned_target_is_refused(tree, users, resolution):
    with pytest.raises(ValidationError, match="không được giao cho Đảng ủy phường Vinh Phú"):
        do_save_result(resolution.new_members, tree.other_commune, Q(2026, 3), 3, acting_user=users.outsider)
    assert not Result.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("Quý 5/2026", "Không hiểu kỳ báo cáo"),
        ("Năm 2026", "không nhận số liệu cho kỳ"),  # quarterly target
        ("Quý IV/2027", "chưa bắt đầu"),
    ],
)
def test_bad_periods_are_refused(tree, users, resolution, period, message):
    with pytest.raises(ValidationError, match=message):
        do_save_result(resolution.new_members, tree.commune_a, period, 3, acting_user=users.reporter)


def test_submit_needs_a_value(tree, users, resolution):
    with pytest.raises(ValidationError, match="Chưa nhập giá trị"):
        do_save_result(
            resolution.new_members, tree.commune_a, Q(2026, 3), "", acting_user=users.reporter, submit=True
        )


def test_assign_to_every_commune_in_one_step_twice_is_a_noop(tree, resolution):
    extra = OrgUnit.objects.create(name="Đảng ủy xã Hòa Lạc", kind=UnitKind.COMMUNE, parent=tree.province)
    new = do_assign_target_to_communes(resolution.new_members, tree.province, acting_user=None)
    assert [a.unit for a in new] == [extra]
    assert do_assign_target_to_communes(resolution.new_members, tree.province, acting_user=None) == []
    assert Assignment.objects.filter(target=resolution.new_members).count() == 3
    assert AuditEntry.objects.filter(action="assign_target").count() == 1


def test_assign_to_closed_unit_is_refused(tree, resolution):
    OrgUnit.objects.filter(pk=tree.other_commune.pk).update(valid_to=dt.date(2025, 6, 30))
    tree.other_commune.refresh_from_db()
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        do_assign_target(resolution.new_members, [tree.other_commune], acting_user=None)
