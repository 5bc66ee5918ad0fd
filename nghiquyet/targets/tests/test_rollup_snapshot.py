"""The roll-up reads one state of the database: a figure written between
two of its queries neither breaks it nor shows half-counted."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections, transaction

from nghiquyet.core.db import read_snapshot
from nghiquyet.core.tests.webhelpers import Q3, TODAY, reopen
from nghiquyet.targets.actions import do_return_result, do_save_result
from nghiquyet.targets.models import Result
from nghiquyet.targets.rollup import rollup

from .test_rollup import by_code


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of Q3 are written after their reporting window closed:
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q3)


def submit(target, unit, value):
    return do_save_result(target, unit, Q3, value, acting_user=None, submit=True)


@contextmanager
def before_query(marker: str, action):
    """Run ``action`` once, just before the first query whose SQL holds
    ``marker`` (the roll-up's "latest value per unit" query holds
    ROW_NUMBER, run after the grouped sums)."""
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        if not state["done"] and marker in sql:
            state["done"] = True
            action()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield state


def in_other_thread(fn):
    """``fn`` on its own connection, as another request would run it."""
    errors: list[BaseException] = []

    def run():
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout=60)
    assert not t.is_alive()
    if errors:
        raise errors[0]


@pytest.mark.django_db
def test_a_figure_counted_between_queries_does_not_break_the_rollup(tree, resolution):
    """Inside an outer transaction (no snapshot possible) a row that appears
    between the grouped query and the latest-value query is tolerated: it
    used to raise KeyError."""
    submit(resolution.poverty, tree.commune_a, Decimal("3.2"))
    with before_query("ROW_NUMBER", lambda: submit(resolution.poverty, tree.commune_b, Decimal("2.0"))) as s:
        r = rollup(resolution.doc, tree.province, Q3)
    assert s["done"]
    poverty = by_code(r, "2")
    assert poverty.units[tree.commune_b.pk].value == Decimal("2.0")
    # The same figures as a roll-up read after the write.
    again = by_code(rollup(resolution.doc, tree.province, Q3), "2")
    assert poverty.value == again.value
    assert poverty.reporting_units == again.reporting_units == 2


@pytest.mark.django_db(transaction=True)
def test_rollup_reads_one_snapshot(tree, resolution):
    """A figure sent by another request while the roll-up runs is in none of
    its queries, and in the next roll-up."""
    submit(resolution.poverty, tree.commune_a, Decimal("3.2"))
    submit(resolution.new_members, tree.commune_a, 10)

    def write():
        submit(resolution.poverty, tree.commune_b, Decimal("2.0"))
        submit(resolution.new_members, tree.commune_b, 20)

    with before_query("ROW_NUMBER", lambda: in_other_thread(write)) as s:
        r = rollup(resolution.doc, tree.province, Q3)
    assert s["done"]
    assert Result.objects.filter(unit=tree.commune_b).count() == 2  # the write did happen
    assert by_code(r, "1").value == 10
    assert by_code(r, "2").value == Decimal("3.2")
    assert by_code(r, "2").units[tree.commune_b.pk].value is None
    assert by_code(r, "2").reporting_units == 1
    after = rollup(resolution.doc, tree.province, Q3)
    assert by_code(after, "1").value == 30
    assert by_code(after, "2").reporting_units == 2


@pytest.mark.django_db(transaction=True)
def test_a_rollup_does_not_wait_for_a_writer(tree, resolution):
    """On SQLite the roll-up begins DEFERRED: a writer holding the write lock
    (BEGIN IMMEDIATE) does not hold up dashboards. Were the read to take the
    write lock too, it would wait out the busy timeout and fail."""
    submit(resolution.new_members, tree.commune_a, 10)
    holding, release = threading.Event(), threading.Event()

    def writer():
        with transaction.atomic():
            submit(resolution.new_members, tree.commune_b, 20)
            holding.set()
            release.wait(timeout=60)

    t = threading.Thread(target=lambda: (writer(), connections.close_all()))
    t.start()
    try:
        assert holding.wait(timeout=60)
        r = rollup(resolution.doc, tree.province, Q3)
        assert by_code(r, "1").value == 10  # the writer has not committed yet
    finally:
        release.set()
        t.join(timeout=60)
    assert by_code(rollup(resolution.doc, tree.province, Q3), "1").value == 30


@pytest.mark.django_db(transaction=True)
def test_snapshot_statements(tree):
    """What read_snapshot asks of each database, and the settings' write
    mode left as it was."""
    seen: list[str] = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    mode = getattr(connection, "transaction_mode", None)
    with connection.execute_wrapper(wrapper), read_snapshot():
        list(tree.province.descendants())
    if connection.vendor == "sqlite":
        assert seen[0] == "BEGIN DEFERRED"
        assert connection.transaction_mode == mode == "IMMEDIATE"
    else:
        assert seen[0] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
    assert connection.get_autocommit()


@pytest.mark.django_db
def test_snapshot_inside_a_transaction_runs_in_it(tree):
    with transaction.atomic(), read_snapshot():
        assert connection.in_atomic_block
        assert tree.province.descendants().count() == 2


@pytest.mark.django_db(transaction=True)
def test_readers_and_a_returned_figure_in_a_loop(tree, users, resolution):
    """The testers' case, bounded: one cell submitted and returned over and
    over while dashboards are read. Counts errors, never durations."""
    from nghiquyet.accounts.models import Membership, Role

    Membership.objects.create(user=users.province_admin, unit=tree.province, role=Role.APPROVER)
    submit(resolution.poverty, tree.commune_a, Decimal("3.2"))
    cell = submit(resolution.poverty, tree.commune_b, Decimal("2.0"))
    rounds, readers = 15, 3
    errors: list[str] = []
    stop = threading.Event()

    def write():
        try:
            for i in range(rounds):
                current = Result.objects.get(pk=cell.pk)
                do_return_result(
                    current,
                    reason="Kiểm tra lại",
                    acting_user=users.province_admin,
                    expected_version=current.version,
                )
                do_save_result(
                    resolution.poverty,
                    tree.commune_b,
                    Q3,
                    Decimal("2.0") + i,
                    acting_user=users.reporter_b,
                    submit=True,
                    expected_version=current.version + 1,
                )
        except Exception as exc:  # noqa: BLE001 - counted
            errors.append(f"writer: {exc!r}")
        finally:
            stop.set()
            connections.close_all()

    def read():
        try:
            n = 0
            while not stop.is_set() or n == 0:
                r = rollup(resolution.doc, tree.province, Q3)
                poverty = by_code(r, "2")
                # Commune A always counts; commune B counts or not, never half.
                assert poverty.reporting_units in (1, 2)
                assert (poverty.units[tree.commune_b.pk].value is None) == (poverty.reporting_units == 1)
                n += 1
        except Exception as exc:  # noqa: BLE001 - counted
            errors.append(f"reader: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert Result.objects.get(pk=cell.pk).value == Decimal("2.0") + rounds - 1
