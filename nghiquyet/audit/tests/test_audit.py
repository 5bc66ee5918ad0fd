"""Every action writes its audit row in the same transaction as its change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction

from nghiquyet.audit.actions import record
from nghiquyet.audit.models import AuditEntry
from nghiquyet.documents.actions import do_create_document, do_link_documents
from nghiquyet.meetings.actions import do_create_meeting
from nghiquyet.meetings.models import MeetingKind
from nghiquyet.orgs.actions import (
    do_add_position,
    do_create_person,
    do_create_unit,
    do_merge_units,
    do_move_unit,
    do_rename_unit,
    do_split_unit,
)
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.actions import do_assign_target, do_save_result
from nghiquyet.tasks.actions import do_create_task, do_set_task_status
from nghiquyet.tasks.models import TaskStatus

pytestmark = pytest.mark.django_db
D = dt.date(2026, 1, 1)


def _actions(tree, users, resolution):
    admin = users.province_admin
    new = lambda name: do_create_unit(  # noqa: E731
        name=name, kind=UnitKind.COMMUNE, parent=tree.province, acting_user=admin
    )
    person = lambda: do_create_person(full_name="Phan Văn Bình", acting_user=admin)  # noqa: E731
    task = lambda: do_create_task(title="Rà soát", lead_unit=tree.commune_a, acting_user=admin)  # noqa: E731
    doc = lambda s: do_create_document(kind="ke_hoach", sign=s, title="Kế hoạch", acting_user=admin)  # noqa: E731
    return {
        "create_unit": lambda: new("Đảng ủy xã Mới"),
        "move_unit": lambda: do_move_unit(
            tree.commune_a, tree.other_province, effective=D, acting_user=admin
        ),
        "rename_unit": lambda: do_rename_unit(
            tree.commune_a, "Đảng ủy xã Đức Thọ 2", effective=D, acting_user=admin
        ),
        "merge_units": lambda: do_merge_units(
            [tree.commune_a, tree.commune_b], name="AB", effective=D, acting_user=admin
        ),
        "split_unit": lambda: do_split_unit(
            tree.commune_a,
            [(new("X"), Decimal("0.5")), (new("Y"), Decimal("0.5"))],
            effective=D,
            acting_user=admin,
        ),
        "create_person": person,
        "add_position": lambda: do_add_position(
            person(), title="Bí thư", unit=tree.province, start=D, acting_user=admin
        ),
        "create_document": lambda: doc("1-KH/TU"),
        "link_documents": lambda: do_link_documents(doc("2-KH/TU"), resolution.doc, acting_user=admin),
        "assign_target": lambda: do_assign_target(resolution.new_members, [tree.province], acting_user=admin),
        "save_result": lambda: do_save_result(
            resolution.new_members, tree.commune_a, "Quý IV/2026", 5, acting_user=users.reporter
        ),
        "create_task": task,
        "set_task_status": lambda: do_set_task_status(task(), TaskStatus.IN_PROGRESS, acting_user=admin),
        "create_meeting": lambda: do_create_meeting(
            kind=MeetingKind.STANDING, title="Hội nghị", date=D, organiser=tree.province, acting_user=admin
        ),
    }


ACTIONS = [
    "create_unit", "move_unit", "rename_unit", "merge_units", "split_unit", "create_person", "add_position",
    "create_document", "link_documents", "assign_target", "save_result", "create_task", "set_task_status",
    "create_meeting",
]  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_writes_an_audit_row(tree, users, resolution, action):
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        _actions(tree, users, resolution)[action]()
    entry = AuditEntry.objects.filter(action=action).latest("id")
    assert entry.actor in (users.province_admin, users.reporter)
    assert entry.after is not None
    assert entry.at is not None


def test_audit_outside_a_transaction_is_refused(transactional_db):
    unit = OrgUnit.objects.create(name="Tỉnh ủy Hà Tĩnh", kind=UnitKind.PROVINCE)
    with pytest.raises(RuntimeError):
        record("x", unit, acting_user=None)
    with transaction.atomic():
        record("x", unit, acting_user=None)
    assert AuditEntry.objects.filter(action="x").count() == 1


def test_before_and_after_are_recorded(tree, users, resolution):
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        do_save_result(resolution.new_members, tree.commune_a, "Quý IV/2026", 5, acting_user=users.reporter)
        do_save_result(resolution.new_members, tree.commune_a, "Quý IV/2026", 7, acting_user=users.reporter)
    entry = AuditEntry.objects.filter(action="save_result").latest("id")
    assert Decimal(entry.before["value"]) == 5
    assert Decimal(entry.after["value"]) == 7
