"""Documents: the visibility rule, the list, and the document page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import Q3, TODAY, make_program, make_task, submit
from nghiquyet.documents.access import visible_document_ids
from nghiquyet.documents.actions import do_create_document
from nghiquyet.meetings.actions import do_create_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def chain(tree, resolution):
    """Central resolution ← province resolution ← commune A's programme;
    plus a province document that concerns no commune."""
    central = do_create_document(
        kind="nghi_quyet",
        sign="57-NQ/TW",
        title="Nghị quyết về đột phá phát triển khoa học, công nghệ",
        issuing_unit=tree.root,
        issued=dt.date(2024, 12, 22),
        acting_user=None,
    )
    resolution.doc.implements.add(central)
    program_a = make_program(tree.commune_a, resolution.doc)
    internal = do_create_document(
        kind="ke_hoach",
        sign="30-KH/TU",
        title="Kế hoạch nội bộ của Văn phòng Tỉnh ủy",
        issuing_unit=tree.province,
        acting_user=None,
    )
    other = do_create_document(
        kind="nghi_quyet",
        sign="02-NQ/TU",
        title="Nghị quyết của Tỉnh ủy Nghệ An",
        issuing_unit=tree.other_province,
        acting_user=None,
    )
    return type("Chain", (), dict(central=central, program_a=program_a, internal=internal, other=other))


def ids(user):
    user.__dict__.pop("_nq_document_ids", None)
    return visible_document_ids(user)


def test_commune_sees_its_documents_and_the_chain_above(users, resolution, chain):
    seen = ids(users.reporter)
    assert {resolution.doc.pk, chain.central.pk, chain.program_a.pk} <= seen
    assert chain.internal.pk not in seen and chain.other.pk not in seen


def test_neighbour_does_not_see_commune_a_programme(users, resolution, chain):
    seen = ids(users.reporter_b)
    assert resolution.doc.pk in seen and chain.central.pk in seen
    assert chain.program_a.pk not in seen


def test_province_sees_its_subtree_and_above_not_another_province(users, resolution, chain):
    seen = ids(users.viewer)
    assert {resolution.doc.pk, chain.central.pk, chain.program_a.pk, chain.internal.pk} <= seen
    assert chain.other.pk not in seen


def test_task_makes_a_document_visible(users, tree, chain):
    assert chain.internal.pk not in ids(users.reporter_b)
    make_task(tree.commune_b, document=chain.internal)
    assert chain.internal.pk in ids(users.reporter_b)


def test_superuser_sees_all(users, chain):
    assert ids(users.superuser) is None


def test_list_anonymous_redirects(client):
    assert client.get("/van-ban/").status_code == 302


def test_list_shows_only_visible(client, users, chain):
    client.force_login(users.reporter_b)
    html = client.get("/van-ban/").content.decode()
    assert "01-NQ/ĐH" in html and "57-NQ/TW" in html
    assert "12-CTr/ĐU" not in html and "02-NQ/TU" not in html


def test_list_search(client, users, chain):
    client.force_login(users.viewer)
    html = client.get("/van-ban/?q=KẾ HOẠCH nội bộ").content.decode()
    assert "30-KH/TU" in html and "01-NQ/ĐH" not in html
    html = client.get("/van-ban/?q=57-NQ").content.decode()
    assert "57-NQ/TW" in html


def test_list_query_count_is_pinned(client, users, chain, django_assert_num_queries):
    client.force_login(users.viewer)
    client.get("/van-ban/")  # warm caches (content types, session)
    # session, user, memberships, visible ids (rules a–c), chain ×2 levels, count, page
    with django_assert_num_queries(8):
        assert client.get("/van-ban/").status_code == 200


def test_detail_refuses_outsider_and_neighbour(client, users, chain):
    client.force_login(users.outsider)
    assert client.get(f"/van-ban/{chain.program_a.pk}/").status_code == 404
    client.force_login(users.reporter_b)
    assert client.get(f"/van-ban/{chain.program_a.pk}/").status_code == 404
    assert client.get("/van-ban/999999/").status_code == 404


def test_detail_shows_chain_results_tasks_and_meetings(client, users, tree, resolution, chain):
    submit(resolution.new_members, tree.commune_a, Q3, 150)
    make_task(tree.commune_a, title="Tổ chức quán triệt nghị quyết", document=resolution.doc)
    do_create_meeting(
        kind="btv",
        title="Hội nghị Ban Thường vụ sơ kết quý III",
        date=dt.date(2026, 10, 5),
        organiser=tree.province,
        acting_user=None,
        documents=[resolution.doc],
    )
    client.force_login(users.viewer)
    r = client.get(f"/van-ban/{resolution.doc.pk}/?ky={Q3.key()}")
    html = r.content.decode()
    assert r.status_code == 200
    assert "57-NQ/TW" in html  # implements
    assert "12-CTr/ĐU" in html  # implemented by
    assert ">150<" in html
    assert "Tổ chức quán triệt nghị quyết" in html
    assert "Hội nghị Ban Thường vụ sơ kết quý III" in html
    assert 'data-chart="chart-groups"' in html


def test_commune_reader_does_not_see_neighbour_rows(client, users, tree, resolution, chain):
    submit(resolution.new_members, tree.commune_b, Q3, 77)
    client.force_login(users.reporter)
    html = client.get(f"/van-ban/{resolution.doc.pk}/?ky={Q3.key()}").content.decode()
    assert "Tùng Ảnh" not in html and ">77<" not in html
    # Scope above their own subtree: refused.
    assert client.get(f"/van-ban/{resolution.doc.pk}/?don_vi={tree.province.pk}").status_code == 404


def test_htmx_period_change_returns_the_results_partial(client, users, resolution):
    client.force_login(users.viewer)
    r = client.get(f"/van-ban/{resolution.doc.pk}/?ky=2026", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode()
