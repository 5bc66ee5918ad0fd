"""Meetings: list, page, and creating one with its conclusions as tasks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import TODAY
from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
from nghiquyet.meetings.models import Meeting
from nghiquyet.orgs.actions import do_add_position, do_create_person
from nghiquyet.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def meeting(tree, resolution):
    chair = do_create_person(full_name="Nguyễn Văn An", acting_user=None)
    do_add_position(
        chair, title="Bí thư Tỉnh ủy", unit=tree.province, start=dt.date(2025, 10, 1), acting_user=None
    )
    return do_create_meeting(
        kind="bch",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba",
        date=dt.date(2026, 10, 5),
        organiser=tree.province,
        acting_user=None,
        bridge_points=70,
        documents=[resolution.doc],
        participants=[(chair, "chair", "")],
        conclusions=[
            ConclusionSpec(
                "Đẩy mạnh kết nạp đảng viên",
                [("Rà soát quần chúng ưu tú", tree.commune_a, dt.date(2026, 12, 15), "trong_tam")],
            ),
            ConclusionSpec("Tập trung giảm nghèo", [("Kế hoạch giảm nghèo", tree.commune_b, None, "")]),
        ],
    )


def test_anonymous_redirects(client, meeting):
    for url in ("/hoi-nghi/", f"/hoi-nghi/{meeting.pk}/", "/hoi-nghi/tao-moi/"):
        assert client.get(url).status_code == 302


def test_list_and_query_count(client, users, meeting, django_assert_num_queries):
    client.force_login(users.viewer)
    client.get("/hoi-nghi/")
    with django_assert_num_queries(5):  # session, user, memberships, count, page
        html = client.get("/hoi-nghi/").content.decode()
    assert "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba" in html and "70 điểm cầu" in html


def test_meeting_page(client, users, meeting):
    client.force_login(users.viewer)
    html = client.get(f"/hoi-nghi/{meeting.pk}/").content.decode()
    assert "Nguyễn Văn An" in html and "Bí thư Tỉnh ủy" in html  # position held that day
    assert "70 điểm cầu" in html and "01-NQ/ĐH" in html
    assert "Rà soát quần chúng ưu tú" in html and "15/12/2026" in html


def test_commune_sees_the_meeting_that_tasked_it_but_not_neighbours_tasks(client, users, meeting):
    client.force_login(users.reporter)
    html = client.get(f"/hoi-nghi/{meeting.pk}/").content.decode()
    assert "Rà soát quần chúng ưu tú" in html and "Kế hoạch giảm nghèo" not in html


def test_outsider_gets_404(client, users, meeting):
    client.force_login(users.outsider)
    assert client.get(f"/hoi-nghi/{meeting.pk}/").status_code == 404
    assert "lần thứ ba" not in client.get("/hoi-nghi/").content.decode()


def test_create_meeting_with_conclusions_as_tasks(client, users, tree, resolution):
    client.force_login(users.province_admin)
    assert client.get("/hoi-nghi/tao-moi/").status_code == 200
    r = client.post(
        "/hoi-nghi/tao-moi/",
        {
            "kind": "btv",
            "title": "Hội nghị Ban Thường vụ tháng 11",
            "date": "20/11/2026",
            "organiser": tree.province.pk,
            "bridge_points": "",
            "documents": [resolution.doc.pk],
            "ten_1": "Trần Thị Bình",
            "vai_tro_1": "chair",
            "chuc_vu_1": "Phó Bí thư Thường trực",
            "ket_luan_1": "Hoàn thành chỉ tiêu kết nạp đảng viên",
            "nhiem_vu_1": "Đôn đốc các xã",
            "chu_tri_1": tree.province.pk,
            "han_1": "31/12/2026",
            "loai_1": "trong_tam",
            "ket_luan_2": "Ghi nhận kết quả quý III",
        },
    )
    assert r.status_code == 302, r.content.decode()
    m = Meeting.objects.get(title="Hội nghị Ban Thường vụ tháng 11")
    assert m.date == dt.date(2026, 11, 20)
    assert m.conclusions.count() == 2
    task = Task.objects.get(source_conclusion__meeting=m)
    assert task.deadline == dt.date(2026, 12, 31) and task.lead_unit == tree.province
    assert m.participants.get().title == "Phó Bí thư Thường trực"


def test_create_meeting_errors_are_vietnamese(client, users, tree):
    client.force_login(users.province_admin)
    r = client.post(
        "/hoi-nghi/tao-moi/",
        {
            "kind": "btv",
            "title": "",
            "date": "31/02/2026",
            "organiser": tree.province.pk,
            "ket_luan_1": "",
            "nhiem_vu_1": "Một nhiệm vụ",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Chưa nhập tên hội nghị." in html and "Ngày không hợp lệ" in html
    assert not Meeting.objects.exists()


def test_organiser_outside_scope_is_refused(client, users, tree):
    client.force_login(users.reporter)
    r = client.post(
        "/hoi-nghi/tao-moi/",
        {"kind": "btv", "title": "X", "date": "20/11/2026", "organiser": tree.commune_b.pk},
    )
    assert r.status_code == 400 and not Meeting.objects.exists()


def test_viewer_cannot_create(client, users):
    client.force_login(users.viewer)
    assert client.get("/hoi-nghi/tao-moi/").status_code == 403
    assert client.post("/hoi-nghi/tao-moi/", {"title": "X"}).status_code == 403
    assert client.get("/hoi-nghi/tao-moi/them-dong/?loai=ket_luan&i=4").status_code == 403


def test_new_row_partial(client, users):
    client.force_login(users.province_admin)
    html = client.get("/hoi-nghi/tao-moi/them-dong/?loai=ket_luan&i=4").content.decode()
    assert 'name="ket_luan_4"' in html
