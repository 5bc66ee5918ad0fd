"""One writer of results: the single-cell and the bulk form follow the same
state machine, and every write states the version it read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen  # noqa: E402
from nghiquyet.targets.actions import (
    ANY_VERSION,
    CellWrite,
    StaleResultError,
    do_approve_results,
    do_return_result,
    do_save_result,
    do_save_results,
)
from nghiquyet.targets.models import Result, ResultRevision, ResultStatus

pytestmark = pytest.mark.django_db
Q3 = Period.quarter(2026, 3)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of the third quarter are written after its reporting window
    closed: entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q3)


# -- expected_version ------------------------------------------------------------


def test_none_or_zero_means_the_cell_must_not_exist_yet(tree, users, resolution):
    t, u = resolution.new_members, tree.commune_a
    first = do_save_result(t, u, Q3, 5, acting_user=users.reporter, expected_version=None)
    assert first.version == 1
    for expected in (None, 0):
        with pytest.raises(StaleResultError) as exc:
            do_save_result(t, u, Q3, 6, acting_user=users.reporter, expected_version=expected)
        (conflict,) = exc.value.conflicts
        assert (conflict.result_id, conflict.current_value, conflict.current_version) == (first.pk, 5, 1)
    assert "đã có (giá trị hiện tại: 5, phiên bản 1)" in _message(t, u, None)
    assert Result.objects.get().value == 5


def _message(t, u, expected) -> str:
    try:
        do_save_result(t, u, Q3, 99, acting_user=None, expected_version=expected)
    except StaleResultError as exc:
        return " ".join(exc.messages)
    raise AssertionError("not refused")


def test_a_version_read_is_enforced_and_any_version_skips_the_check(tree, users, resolution):
    t, u = resolution.new_members, tree.commune_a
    do_save_result(t, u, Q3, 5, acting_user=None)
    with pytest.raises(StaleResultError):
        do_save_result(t, u, Q3, 6, acting_user=None, expected_version=2)
    assert do_save_result(t, u, Q3, 6, acting_user=None, expected_version=1).version == 2
    assert do_save_result(t, u, Q3, 7, acting_user=None, expected_version=ANY_VERSION).version == 3


def test_a_write_that_changes_nothing_is_never_stale(tree, users, resolution):
    """A retried request (its answer lost) is harmless: nothing can be lost by it."""
    t, u = resolution.new_members, tree.commune_a
    do_save_result(t, u, Q3, 5, acting_user=None, submit=True)
    again = do_save_result(t, u, Q3, 5, acting_user=None, submit=True, expected_version=0)
    assert (again.version, ResultRevision.objects.count()) == (1, 0)
    # Asking for another status is a change: then the version counts.
    with pytest.raises(StaleResultError):
        do_save_result(t, u, Q3, 5, acting_user=None, submit=False, expected_version=0)


def test_submit_none_keeps_the_status(tree, users, resolution):
    t, u = resolution.new_members, tree.commune_a
    r = do_save_result(t, u, Q3, 5, acting_user=None, submit=None)
    assert r.status == ResultStatus.DRAFT
    r = do_save_result(t, u, Q3, 5, acting_user=None, submit=True, expected_version=1)
    r = do_save_result(t, u, Q3, 8, acting_user=None, submit=None, expected_version=r.version)
    assert (r.status, r.value, r.version) == (ResultStatus.SUBMITTED, 8, 3)
    # Kept as submitted, it still needs a value.
    with pytest.raises(ValidationError, match="Chưa nhập giá trị"):
        do_save_result(t, u, Q3, "", acting_user=None, submit=None, expected_version=3)


def test_note_none_keeps_the_stored_note(tree, resolution):
    t, u = resolution.new_members, tree.commune_a
    do_save_result(t, u, Q3, 5, acting_user=None, note="Ước tính")
    r = do_save_result(t, u, Q3, 6, acting_user=None, note=None, expected_version=1)
    assert (r.value, r.note) == (6, "Ước tính")


def test_bulk_lists_every_stale_cell_and_writes_nothing(tree, users, resolution):
    t = resolution.new_members
    for u in (tree.commune_a, tree.commune_b):
        do_save_result(t, u, Q3, 5, acting_user=None)
    before = (list(Result.objects.values_list("value", "version")), AuditEntry.objects.count())
    cells = [
        CellWrite(t, tree.commune_a, 6, expected_version=0, ref="a"),
        CellWrite(t, tree.commune_b, 6, expected_version=0, ref="b"),
        CellWrite(resolution.poverty, tree.commune_a, 2, expected_version=0, ref="c"),
    ]
    with pytest.raises(StaleResultError) as exc:
        do_save_results(cells, Q3, acting_user=None, submit=False)
    assert [k.cell.ref for k in exc.value.conflicts] == ["a", "b"]
    assert (list(Result.objects.values_list("value", "version")), AuditEntry.objects.count()) == before


def test_bulk_refuses_a_cell_given_twice(tree, resolution):
    t, u = resolution.new_members, tree.commune_a
    with pytest.raises(ValidationError, match="hai lần"):
        do_save_results([CellWrite(t, u, 1), CellWrite(t, u, 2)], Q3, acting_user=None, submit=False)


# -- the same rules, one cell at a time or in bulk -------------------------------

OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("write"),
            st.sampled_from([None, "1", "2", "3"]),  # value
            st.sampled_from(["", "ghi chú"]),  # note
            st.sampled_from([True, False, None]),  # submit
            st.sampled_from(["read", "any", "none", "stale"]),  # the version stated
        ),
        st.tuples(st.sampled_from(["approve", "return"])),
    ),
    min_size=1,
    max_size=8,
)


def _value(value: str | None, i: int) -> str | None:
    """The figure for the i-th target: the two cells of a unit differ."""
    return value if value is None or i == 0 else value + ",5"


def _expected(kind: str, result: Result | None):
    version = result.version if result else 0
    return {"read": version, "any": ANY_VERSION, "none": None, "stale": version + 3}[kind]


def _outcome(fn, unit) -> str:
    try:
        with transaction.atomic():
            fn()
    except StaleResultError:
        return "stale"
    except ValidationError as exc:
        return "invalid: " + " ".join(exc.messages).replace(unit.name, "<đơn vị>")
    return "ok"


def _history(result: Result | None):
    """A cell's state, revisions and audit rows, without what tells the two
    cells apart (ids, unit, target)."""
    if result is None:
        return None
    result.refresh_from_db()
    skip = {"id", "unit", "target"}
    audit = [
        (
            e.action,
            e.actor_id,
            {k: v for k, v in (e.before or {}).items() if k not in skip},
            {k: v for k, v in (e.after or {}).items() if k not in skip},
        )
        for e in AuditEntry.objects.filter(object_type="targets.result", object_id=str(result.pk)).order_by(
            "id"
        )
    ]
    revisions = list(
        result.revisions.order_by("version").values_list("version", "value", "note", "status", "changed_by")
    )
    state = (
        result.value,
        result.note,
        result.status,
        result.version,
        result.submitted_at,
        result.reported_by_id,
        result.approved_by_id,
        result.returned_reason,
    )
    return state, revisions, audit


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_single_and_bulk_writers_leave_the_same_history(tree, users, resolution, ops):
    """Two cells of commune A written one call at a time, the same two of
    commune B in one bulk call each time, by the same sequence of writes,
    approvals and returns: same outcomes, same states, revisions and audit."""
    Result.objects.all().delete()
    AuditEntry.objects.all().delete()
    targets = [resolution.new_members, resolution.poverty]
    user, approver = users.reporter, users.province_admin

    def cells(unit):
        return [Result.objects.filter(target=t, unit=unit, period_key=Q3.key()).first() for t in targets]

    for op in ops:
        outcomes = []
        for unit, bulk in ((tree.commune_a, False), (tree.commune_b, True)):
            current = cells(unit)
            if op[0] == "write":
                _, value, note, submit, kind = op
                if bulk:

                    def run(unit=unit, current=current, value=value, note=note, submit=submit, kind=kind):
                        do_save_results(
                            [
                                CellWrite(t, unit, _value(value, i), note, _expected(kind, r))
                                for i, (t, r) in enumerate(zip(targets, current, strict=True))
                            ],
                            Q3,
                            acting_user=user,
                            submit=submit,
                        )
                else:

                    def run(unit=unit, current=current, value=value, note=note, submit=submit, kind=kind):
                        for i, (t, r) in enumerate(zip(targets, current, strict=True)):
                            do_save_result(
                                t,
                                unit,
                                Q3,
                                _value(value, i),
                                acting_user=user,
                                note=note,
                                submit=submit,
                                expected_version=_expected(kind, r),
                            )
            elif op[0] == "approve":

                def run(current=current):
                    do_approve_results([r for r in current if r], acting_user=approver)
            else:

                def run(current=current):
                    for r in current:
                        if r:
                            do_return_result(r, reason="Số liệu chưa khớp", acting_user=approver)

            outcomes.append(_outcome(run, unit))
        assert outcomes[0] == outcomes[1], op
    for a, b in zip(cells(tree.commune_a), cells(tree.commune_b), strict=True):
        assert _history(a) == _history(b)


def test_the_bulk_import_form_may_leave_new_cells_to_the_callers_audit(tree, resolution):
    with transaction.atomic():
        saved = do_save_results(
            [CellWrite(resolution.new_members, tree.commune_a, 4, expected_version=0)],
            Q3,
            acting_user=None,
            submit=True,
            audit_created=False,
        )
    assert len(saved.created) == 1 and not AuditEntry.objects.exists()
    r = Result.objects.get()
    assert (r.value, r.status, r.version) == (Decimal(4), ResultStatus.SUBMITTED, 1)


def test_bulk_audit_rows_are_the_snapshots_every_other_action_writes(tree, users, resolution):
    from nghiquyet.audit.actions import snapshot

    r = do_save_result(
        resolution.new_members, tree.commune_a, Q3, "2.989", acting_user=users.reporter, submit=True
    )
    r = do_save_result(
        resolution.new_members, tree.commune_a, Q3, 3000, acting_user=users.reporter, expected_version=1
    )
    entry = AuditEntry.objects.filter(action="save_result").latest("id")
    assert entry.after == snapshot(Result.objects.get(pk=r.pk))
    assert entry.before["value"] == "2989.0000" and entry.before["status"] == ResultStatus.SUBMITTED
    assert entry.object_repr == str(r) and entry.actor == users.reporter and entry.unit == tree.commune_a


def test_a_cell_created_by_someone_else_between_read_and_insert_is_a_conflict(tree, resolution, monkeypatch):
    """The unique constraint catches the insert; the cell is listed with the
    figure now stored, like any stale version, and nothing is written."""
    from nghiquyet.targets import actions

    t, u = resolution.new_members, tree.commune_a
    do_save_result(t, u, Q3, 5, acting_user=None)
    read = actions._current_rows
    monkeypatch.setattr(
        actions, "_current_rows", lambda cells, key, lock: {} if lock else read(cells, key, lock=lock)
    )
    with pytest.raises(StaleResultError) as exc:
        do_save_results(
            [CellWrite(t, u, 6, expected_version=0), CellWrite(resolution.poverty, u, 2, expected_version=0)],
            Q3,
            acting_user=None,
            submit=False,
        )
    ((conflict),) = exc.value.conflicts
    assert (conflict.cell.target, conflict.current_value, conflict.current_version) == (t, 5, 1)
    assert list(Result.objects.values_list("target", "value")) == [(t.pk, 5)]
