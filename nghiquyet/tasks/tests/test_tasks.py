from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
from nghiquyet.meetings.models import MeetingKind, Participant
from nghiquyet.orgs.actions import do_create_person
from nghiquyet.tasks.actions import do_create_task, do_set_task_status
from nghiquyet.tasks.models import Task, TaskKind, TaskStatus

pytestmark = pytest.mark.django_db


def test_overdue_is_derived_from_the_date(tree):
    t = do_create_task(
        title="Rà soát quy hoạch cán bộ",
        lead_unit=tree.commune_a,
        deadline=dt.date(2026, 6, 30),
        kind=TaskKind.KEY,
        cooperating_units=[tree.commune_b, tree.commune_a],
        acting_user=None,
    )
    assert list(t.cooperating_units.all()) == [tree.commune_b]  # the lead is not also a co-operator
    assert t.is_overdue(dt.date(2026, 7, 1))
    assert not t.is_overdue(dt.date(2026, 6, 30))
    assert t.status_label(dt.date(2026, 7, 1)) == "Chưa thực hiện (quá hạn)"
    assert list(Task.objects.overdue(dt.date(2026, 7, 1))) == [t]


def test_finishing_late_is_recorded_as_late(tree):
    t = do_create_task(title="X", lead_unit=tree.commune_a, deadline=dt.date(2026, 6, 30), acting_user=None)
    do_set_task_status(t, TaskStatus.IN_PROGRESS, acting_user=None, on=dt.date(2026, 6, 1))
    t = do_set_task_status(t, TaskStatus.DONE, acting_user=None, on=dt.date(2026, 7, 5))
    assert t.status == TaskStatus.DONE_LATE
    assert t.completed_on == dt.date(2026, 7, 5)
    assert not t.is_overdue(dt.date(2026, 8, 1))
    history = list(t.status_changes.values_list("old_status", "new_status"))
    assert history == [
        ("", TaskStatus.NOT_STARTED),
        (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS),
        (TaskStatus.IN_PROGRESS, TaskStatus.DONE_LATE),
    ]
    assert AuditEntry.objects.filter(action="set_task_status").count() == 2


def test_meeting_conclusions_create_tasks_all_or_nothing(tree):
    chair = do_create_person(full_name="Nguyễn Văn An", acting_user=None)
    m = do_create_meeting(
        kind=MeetingKind.STANDING,
        title="Hội nghị Ban Thường vụ Tỉnh ủy tháng 10/2026",
        date=dt.date(2026, 10, 12),
        organiser=tree.province,
        bridge_points=12,
        participants=[(chair, Participant.Role.CHAIR, "Bí thư Tỉnh ủy")],
        conclusions=[
            ConclusionSpec(
                "Đẩy nhanh tiến độ sáp nhập thôn, tổ dân phố.",
                [("Hoàn thành sáp nhập thôn", tree.commune_a, dt.date(2026, 12, 31), TaskKind.BREAKTHROUGH)],
            )
        ],
        acting_user=None,
    )
    assert m.online and m.bridge_points == 12
    assert [p.person for p in m.chairs] == [chair]
    task = Task.objects.get()
    assert task.source_conclusion.meeting == m
    assert task.kind == TaskKind.BREAKTHROUGH
    with pytest.raises(ValidationError):
        do_create_meeting(
            kind=MeetingKind.STANDING,
            title="Y",
            date=dt.date(2026, 10, 12),
            organiser=tree.province,
            conclusions=[ConclusionSpec("Giao nhiệm vụ", [("", tree.commune_a, None, TaskKind.ROUTINE)])],
            acting_user=None,
        )
    assert Task.objects.count() == 1  # the failed meeting left nothing behind


def test_task_given_to_every_commune_at_once(tree):
    from nghiquyet.orgs.models import OrgUnit, UnitKind
    from nghiquyet.tasks.actions import do_create_task_for_units

    communes = OrgUnit.objects.subtree(tree.province).filter(kind=UnitKind.COMMUNE)
    tasks = do_create_task_for_units(
        title="Kiện toàn tổ chức cơ sở đảng", units=communes, deadline=dt.date(2026, 12, 31), acting_user=None
    )
    assert sorted(t.lead_unit.name for t in tasks) == ["Đảng ủy xã Tùng Ảnh", "Đảng ủy xã Đức Thọ"]
    assert len({t.pk for t in tasks}) == 2
    with pytest.raises(ValidationError):
        do_create_task_for_units(title="", units=communes, acting_user=None)
    assert Task.objects.count() == 2
