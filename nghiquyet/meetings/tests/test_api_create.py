"""Creating a meeting through the API: its conclusions become tasks; only
those who lead the organiser (approver or admin) may, and only for units
they lead."""

from __future__ import annotations

import pytest
import time_machine

from conftest import make_user
from nghiquyet.accounts.models import ApiToken, Role
from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.tests.webhelpers import TODAY
from nghiquyet.meetings.models import Meeting
from nghiquyet.tasks.models import Task

pytestmark = pytest.mark.django_db

URL = "/api/meetings"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def post(client, body, user):
    _, key = ApiToken.issue(user, "thử nghiệm")
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def body(tree, resolution, **over):
    data = {
        "kind": "btv",
        "title": "Hội nghị Ban Thường vụ Tỉnh ủy tháng 11/2026",
        "date": "2026-11-20",
        "organiser": tree.province.pk,
        "bridge_points": 12,
        "documents": [resolution.doc.pk],
        "participants": [
            {"full_name": "Nguyễn Văn An", "role": "chair", "title": "Bí thư Tỉnh ủy"},
            {"full_name": "Trần Thị Bình", "role": "attendee", "title": "Ủy viên Ban Thường vụ"},
        ],
        "conclusions": [
            {
                "text": "Đẩy nhanh tiến độ kết nạp đảng viên mới trong quý IV.",
                "tasks": [
                    {
                        "title": "Kết nạp đảng viên đợt 2",
                        "lead_unit": tree.commune_a.pk,
                        "deadline": "2026-12-31",
                    },
                    {"title": "Rà soát hồ sơ", "lead_unit": tree.commune_b.pk, "kind": "trong_tam"},
                ],
            },
            {"text": "Giao Văn phòng Tỉnh ủy tổng hợp kết quả."},
        ],
    }
    data.update(over)
    return data


def test_admin_creates_a_meeting_with_its_conclusions_as_tasks(client, users, tree, resolution):
    r = post(client, body(tree, resolution), users.province_admin)
    assert r.status_code == 201, r.content
    got = r.json()
    assert got["title"].startswith("Hội nghị Ban Thường vụ") and got["online"] is True
    assert [c["order"] for c in got["conclusions"]] == [1, 2]
    assert len(got["conclusions"][0]["tasks"]) == 2 and got["conclusions"][1]["tasks"] == []
    assert got["documents"] == [resolution.doc.pk]
    assert {p["full_name"] for p in got["participants"]} == {"Nguyễn Văn An", "Trần Thị Bình"}
    tasks = Task.objects.filter(source_conclusion__meeting_id=got["id"]).order_by("title")
    assert [(t.title, t.lead_unit_id, t.kind) for t in tasks] == [
        ("Kết nạp đảng viên đợt 2", tree.commune_a.pk, "thuong_xuyen"),
        ("Rà soát hồ sơ", tree.commune_b.pk, "trong_tam"),
    ]
    assert AuditEntry.objects.filter(action="create_meeting", actor=users.province_admin).count() == 1


def test_commune_approver_may_organise_for_their_commune_only(
    client, users, tree, resolution, django_user_model
):
    approver = make_user(django_user_model, "duyet_ductho", tree.commune_a, Role.APPROVER)
    one_task = [{"text": "Kết luận", "tasks": [{"title": "Việc", "lead_unit": tree.commune_a.pk}]}]
    ok = body(tree, resolution, organiser=tree.commune_a.pk, conclusions=one_task, documents=[])
    assert post(client, ok, approver).status_code == 201
    # The province is above their subtree: it does not exist for them.
    assert post(client, body(tree, resolution, organiser=tree.province.pk), approver).status_code in (
        403,
        404,
    )
    # A task for commune B, outside their subtree, is refused and nothing is written.
    bad = body(
        tree,
        resolution,
        organiser=tree.commune_a.pk,
        documents=[],
        conclusions=[{"text": "K", "tasks": [{"title": "Việc", "lead_unit": tree.commune_b.pk}]}],
    )
    assert post(client, bad, approver).status_code == 404
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize("who", ["reporter", "viewer"])
def test_reporter_and_viewer_are_refused(client, users, tree, resolution, who):
    user = getattr(users, who)
    r = post(client, body(tree, resolution, organiser=tree.commune_a.pk, documents=[]), user)
    assert r.status_code == 403 and "quyền phê duyệt" in r.json()["detail"]
    assert not Meeting.objects.exists() and not Task.objects.exists()


def test_outsider_gets_404(client, users, tree, resolution):
    r = post(client, body(tree, resolution), users.outsider)
    assert r.status_code == 404
    # Their own province, but a task for Hà Tĩnh's commune or its document: 404 too.
    r = post(client, body(tree, resolution, organiser=tree.other_province.pk), users.outsider)
    assert r.status_code == 404
    assert not Meeting.objects.exists() and not Task.objects.exists()


def test_anonymous_is_401(client, tree, resolution):
    r = client.post(URL, body(tree, resolution), content_type="application/json")
    assert r.status_code == 401


@pytest.mark.parametrize(
    "over, message",
    [
        ({"kind": "tiec"}, "Loại hội nghị"),
        ({"title": "   "}, "không được để trống"),
        ({"participants": [{"full_name": "Lê Văn C", "role": "khach"}]}, "Vai trò"),
        (
            {"conclusions": [{"text": "K", "tasks": [{"title": "V", "lead_unit": 999999, "kind": "gap"}]}]},
            "Loại nhiệm vụ",
        ),
    ],
)
def test_bad_input_is_422_in_vietnamese_and_writes_nothing(client, users, tree, resolution, over, message):
    r = post(client, body(tree, resolution, **over), users.province_admin)
    assert r.status_code == 422 and message in r.json()["detail"]
    assert not Meeting.objects.exists() and not Task.objects.exists()
