"""Units: tree, accent-insensitive search, a unit beside its siblings, history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import Q3, TODAY, submit
from nghiquyet.orgs.actions import do_merge_units
from nghiquyet.orgs.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_anonymous_redirects(client, tree):
    assert client.get("/don-vi/").status_code == 302
    assert client.get(f"/don-vi/{tree.province.pk}/").status_code == 302


def test_tree_starts_at_the_users_units(client, users, tree):
    client.force_login(users.viewer)
    html = client.get("/don-vi/").content.decode()
    assert "Tỉnh ủy Hà Tĩnh" in html and "Đảng ủy xã Đức Thọ" in html
    assert "Nghệ An" not in html


@pytest.mark.parametrize("q", ["duc tho", "ĐỨC THỌ", "Duc  Tho", "đức thọ"])
def test_search_ignores_accents_and_case(client, users, tree, q):
    client.force_login(users.viewer)
    html = client.get("/don-vi/", {"q": q}).content.decode()
    assert "Đảng ủy xã Đức Thọ" in html and "Tùng Ảnh" not in html


def test_search_old_and_new_tone_placement(client, users, tree):
    client.force_login(users.viewer)
    assert "Tỉnh ủy Hà Tĩnh" in client.get("/don-vi/", {"q": "Tỉnh uỷ"}).content.decode()
    OrgUnit.objects.create(name="Ban Tổ chức Tỉnh uỷ", kind=UnitKind.BOARD, parent=tree.province)
    assert "Ban Tổ chức Tỉnh uỷ" in client.get("/don-vi/", {"q": "tỉnh ủy"}).content.decode()


def test_search_stays_in_scope(client, users, tree):
    client.force_login(users.reporter)
    html = client.get("/don-vi/", {"q": "dang uy"}).content.decode()
    assert "Đức Thọ" in html and "Tùng Ảnh" not in html and "Vinh Phú" not in html


def test_search_query_count_is_pinned(client, users, tree, django_assert_num_queries):
    client.force_login(users.viewer)
    client.get("/don-vi/?q=duc")
    with django_assert_num_queries(4):  # session, user, memberships, the search itself
        client.get("/don-vi/?q=duc", HTTP_HX_REQUEST="true")


def test_tree_query_count_is_pinned(client, users, tree, django_assert_num_queries):
    client.force_login(users.viewer)
    client.get("/don-vi/")
    with django_assert_num_queries(5):  # session, user, memberships, roots, children
        client.get("/don-vi/")


def test_children_partial_and_refusal(client, users, tree):
    client.force_login(users.viewer)
    assert "Tùng Ảnh" in client.get(f"/don-vi/{tree.province.pk}/truc-thuoc/").content.decode()
    client.force_login(users.outsider)
    assert client.get(f"/don-vi/{tree.province.pk}/truc-thuoc/").status_code == 404


def test_unit_beside_its_siblings(client, users, tree, resolution):
    submit(resolution.new_members, tree.commune_a, Q3, 150)
    submit(resolution.new_members, tree.commune_b, Q3, 50)
    client.force_login(users.viewer)
    html = client.get(f"/don-vi/{tree.commune_a.pk}/?ky={Q3.key()}").content.decode()
    assert "Kết nạp đảng viên mới" in html
    assert "1/2" in html  # first of two communes
    assert 'data-chart="chart-siblings"' in html


def test_reporter_sees_no_neighbour_figures(client, users, tree, resolution):
    submit(resolution.new_members, tree.commune_b, Q3, 50)
    client.force_login(users.reporter)
    html = client.get(f"/don-vi/{tree.commune_a.pk}/?ky={Q3.key()}").content.decode()
    assert "Tùng Ảnh" not in html
    assert client.get(f"/don-vi/{tree.commune_b.pk}/").status_code == 404


def test_outsider_gets_404(client, users, tree):
    client.force_login(users.outsider)
    assert client.get(f"/don-vi/{tree.commune_a.pk}/").status_code == 404


def test_history_of_a_merged_unit(client, users, tree):
    new = do_merge_units(
        [tree.commune_a, tree.commune_b],
        name="Đảng ủy xã Đức Thọ mới",
        kind=UnitKind.COMMUNE,
        parent=tree.province,
        effective=dt.date(2026, 7, 1),
        acting_user=None,
    )
    client.force_login(users.viewer)
    html = client.get(f"/don-vi/{new.pk}/").content.decode()
    assert "Hình thành từ" in html and "Đảng ủy xã Tùng Ảnh" in html and "01/07/2026" in html
    html = client.get(f"/don-vi/{tree.commune_b.pk}/").content.decode()
    assert "Chuyển thành" in html and "Đảng ủy xã Đức Thọ mới" in html
