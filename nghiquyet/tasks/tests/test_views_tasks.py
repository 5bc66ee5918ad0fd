"""Tasks: list with filters, status change, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import TODAY, make_task
from nghiquyet.tasks.models import Task, TaskKind, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def tasks(tree):
    return {
        "late_a": make_task(tree.commune_a, title="Nhiệm vụ A quá hạn", deadline=dt.date(2026, 9, 30)),
        "soon_b": make_task(tree.commune_b, title="Nhiệm vụ B sắp đến hạn", deadline=dt.date(2026, 12, 31)),
        "prov": make_task(tree.province, title="Nhiệm vụ của Tỉnh ủy", deadline=None),
        "other": make_task(tree.other_commune, title="Nhiệm vụ ở Nghệ An"),
    }


def test_anonymous_redirects(client, tasks):
    assert client.get("/nhiem-vu/").status_code == 302
    assert (
        client.post(f"/nhiem-vu/{tasks['late_a'].pk}/trang-thai/", {"trang_thai": "hoan_thanh"}).status_code
        == 302
    )


def test_list_is_scoped(client, users, tasks):
    client.force_login(users.viewer)
    html = client.get("/nhiem-vu/").content.decode()
    assert "Nhiệm vụ A quá hạn" in html and "Nhiệm vụ B sắp đến hạn" in html and "Nghệ An" not in html
    client.force_login(users.reporter)
    html = client.get("/nhiem-vu/").content.decode()
    assert "Nhiệm vụ A quá hạn" in html and "Nhiệm vụ B" not in html and "Tỉnh ủy</a>" not in html


def test_filters(client, users, tree, tasks):
    client.force_login(users.viewer)
    html = client.get("/nhiem-vu/?trang_thai=qua_han").content.decode()
    assert "Nhiệm vụ A quá hạn" in html and "sắp đến hạn" not in html
    html = client.get(f"/nhiem-vu/?don_vi={tree.commune_b.pk}").content.decode()
    assert "Nhiệm vụ B" in html and "Nhiệm vụ A" not in html
    html = client.get("/nhiem-vu/?han_tu=01/12/2026&han_den=31/12/2026").content.decode()
    assert "Nhiệm vụ B" in html and "Nhiệm vụ A" not in html
    Task.objects.filter(pk=tasks["prov"].pk).update(kind=TaskKind.KEY)
    html = client.get("/nhiem-vu/?loai=trong_tam").content.decode()
    assert "Nhiệm vụ của Tỉnh ủy" in html and "Nhiệm vụ A" not in html


def test_unit_filter_outside_scope_is_404(client, users, tree, tasks):
    client.force_login(users.reporter)
    assert client.get(f"/nhiem-vu/?don_vi={tree.commune_b.pk}").status_code == 404


def test_list_query_count_is_pinned(client, users, tasks, django_assert_num_queries):
    client.force_login(users.viewer)
    client.get("/nhiem-vu/")
    # session, user, memberships, count, page, units for the filter
    with django_assert_num_queries(6):
        client.get("/nhiem-vu/")


def test_reporter_changes_status_with_htmx(client, users, tasks):
    client.force_login(users.reporter)
    t = tasks["late_a"]
    r = client.post(f"/nhiem-vu/{t.pk}/trang-thai/", {"trang_thai": "hoan_thanh"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Hoàn thành quá hạn" in r.content.decode()
    t.refresh_from_db()
    assert t.status == TaskStatus.DONE_LATE


def test_invalid_status_is_told_in_vietnamese(client, users, tasks):
    client.force_login(users.reporter)
    r = client.post(
        f"/nhiem-vu/{tasks['late_a'].pk}/trang-thai/", {"trang_thai": "x"}, HTTP_HX_REQUEST="true"
    )
    assert "Trạng thái nhiệm vụ không hợp lệ." in r.content.decode()


def test_viewer_cannot_change_status(client, users, tasks):
    client.force_login(users.viewer)
    r = client.post(f"/nhiem-vu/{tasks['late_a'].pk}/trang-thai/", {"trang_thai": "hoan_thanh"})
    assert r.status_code == 403
    assert "Chỉ xem" in client.get("/nhiem-vu/").content.decode()


def test_reporter_a_cannot_touch_commune_b(client, users, tasks):
    client.force_login(users.reporter)
    t = tasks["soon_b"]
    assert client.post(f"/nhiem-vu/{t.pk}/trang-thai/", {"trang_thai": "hoan_thanh"}).status_code == 404
    assert client.get(f"/nhiem-vu/{t.pk}/").status_code == 404
    t.refresh_from_db()
    assert t.status == TaskStatus.NOT_STARTED


def test_outsider_gets_404(client, users, tasks):
    client.force_login(users.outsider)
    assert client.get(f"/nhiem-vu/{tasks['late_a'].pk}/").status_code == 404


def test_detail_shows_history(client, users, tasks):
    client.force_login(users.province_admin)
    html = client.get(f"/nhiem-vu/{tasks['late_a'].pk}/").content.decode()
    assert "Quá trình thực hiện" in html and "Chưa thực hiện" in html and "30/09/2026" in html
