"""The JSON API: bearer tokens, the same scoping as the pages, the same actions."""

from __future__ import annotations

import pytest
import time_machine

from nghiquyet.accounts.models import ApiToken
from nghiquyet.core.tests.webhelpers import Q3, TODAY, make_task, reopen, submit
from nghiquyet.meetings.actions import do_create_meeting
from nghiquyet.targets.models import Result, ResultStatus

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def auth(users):
    def header(user):
        _, key = ApiToken.issue(user, "thử nghiệm")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return header


def test_schema_is_served_without_a_docs_page(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200 and "/api/results" in r.json()["paths"]
    assert client.get("/api/docs").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/units",
        "/api/documents",
        "/api/targets?document=1",
        "/api/results?unit=1&period=2026-Q3",
        "/api/tasks",
        "/api/meetings",
    ],
)
def test_no_token_is_401(client, tree, url):
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer nq_sai").status_code == 401


def test_revoked_token_is_401(client, users):
    token, key = ApiToken.issue(users.viewer, "cũ")
    token.revoked = True
    token.save()
    assert client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_session_alone_is_not_enough(client, users):
    client.force_login(users.viewer)
    assert client.get("/api/units").status_code == 401


def test_units_search_and_scope(client, users, tree, auth):
    h = auth(users.viewer)
    names = [u["name"] for u in client.get("/api/units?q=duc tho", **h).json()]
    assert names == ["Đảng ủy xã Đức Thọ"]
    assert (
        client.get(f"/api/units/{tree.province.pk}", **h)
        .json()["children"][0]["name"]
        .startswith("Đảng ủy xã")
    )
    h = auth(users.outsider)
    assert client.get(f"/api/units/{tree.province.pk}", **h).status_code == 404
    assert client.get("/api/units?q=duc tho", **h).json() == []


def test_documents_and_targets(client, users, resolution, auth):
    h = auth(users.reporter)
    docs = client.get("/api/documents", **h).json()
    assert [d["sign"] for d in docs] == ["01-NQ/ĐH"]
    detail = client.get(f"/api/documents/{resolution.doc.pk}", **h).json()
    assert len(detail["targets"]) == 3
    targets = client.get(f"/api/targets?document={resolution.doc.pk}", **h).json()
    assert targets[0]["name"] == "Kết nạp đảng viên mới"
    h = auth(users.outsider)
    assert client.get(f"/api/documents/{resolution.doc.pk}", **h).status_code == 404
    assert client.get(f"/api/targets?document={resolution.doc.pk}", **h).status_code == 404
    assert client.get(f"/api/targets/{resolution.new_members.pk}", **h).status_code == 404


def test_submit_result_then_rollup(client, users, tree, resolution, auth):
    h = auth(users.reporter)
    body = {
        "target": resolution.new_members.pk,
        "unit": tree.commune_a.pk,
        "period": "Quý III/2026",
        "value": "2.989",
        "submit": True,
        "expected_version": 0,
    }
    r = client.post("/api/results", body, content_type="application/json", **h)
    assert r.status_code == 200, r.content
    assert r.json()["value"] == "2989.0000" and r.json()["status"] == ResultStatus.SUBMITTED
    roll = client.get(
        f"/api/targets/{resolution.new_members.pk}/rollup?unit={tree.province.pk}&period=2026-Q3",
        **auth(users.viewer),
    ).json()
    assert roll["value"] == "2989.0000" and roll["reporting_units"] == 1
    mine = client.get(f"/api/results?unit={tree.commune_a.pk}&period=2026-Q3", **h).json()
    assert mine[0]["version"] == 1


def test_stale_submit_is_409(client, users, tree, resolution, auth):
    submit(resolution.new_members, tree.commune_a, Q3, 5)
    h = auth(users.reporter)
    body = {
        "target": resolution.new_members.pk,
        "unit": tree.commune_a.pk,
        "period": "2026-Q3",
        "value": 6,
        "expected_version": 0,
    }
    r = client.post("/api/results", body, content_type="application/json", **h)
    assert r.status_code == 409 and "vừa được người khác cập nhật" in r.json()["detail"]
    assert Result.objects.get().value == 5


def test_invalid_value_is_422_in_vietnamese(client, users, tree, resolution, auth):
    body = {
        "target": resolution.new_members.pk,
        "unit": tree.commune_a.pk,
        "period": "2026-Q3",
        "value": "abc",
    }
    r = client.post("/api/results", body, content_type="application/json", **auth(users.reporter))
    assert r.status_code == 422 and "Không đọc được số" in r.json()["detail"]


def test_viewer_cannot_submit(client, users, tree, resolution, auth):
    body = {"target": resolution.new_members.pk, "unit": tree.commune_a.pk, "period": "2026-Q3", "value": 1}
    r = client.post("/api/results", body, content_type="application/json", **auth(users.viewer))
    assert r.status_code == 403 and not Result.objects.exists()


def test_reporter_a_cannot_read_or_write_commune_b(client, users, tree, resolution, auth):
    h = auth(users.reporter)
    body = {"target": resolution.new_members.pk, "unit": tree.commune_b.pk, "period": "2026-Q3", "value": 1}
    assert client.post("/api/results", body, content_type="application/json", **h).status_code == 404
    assert client.get(f"/api/results?unit={tree.commune_b.pk}&period=2026-Q3", **h).status_code == 404
    r = client.get(
        f"/api/targets/{resolution.new_members.pk}/rollup?unit={tree.commune_b.pk}&period=2026", **h
    )
    assert r.status_code == 404
    assert not Result.objects.exists()


def test_tasks(client, users, tree, auth):
    t = make_task(tree.commune_a)
    other = make_task(tree.commune_b)
    h = auth(users.reporter)
    assert [x["id"] for x in client.get("/api/tasks?status=qua_han", **h).json()] == [t.pk]
    r = client.post(
        f"/api/tasks/{t.pk}/status", {"status": "dang_thuc_hien"}, content_type="application/json", **h
    )
    assert r.status_code == 200 and r.json()["status"] == "dang_thuc_hien"
    r = client.post(
        f"/api/tasks/{other.pk}/status", {"status": "hoan_thanh"}, content_type="application/json", **h
    )
    assert r.status_code == 404
    r = client.post(
        f"/api/tasks/{t.pk}/status",
        {"status": "hoan_thanh"},
        content_type="application/json",
        **auth(users.viewer),
    )
    assert r.status_code == 403


def test_meetings(client, users, tree, resolution, auth):
    import datetime as dt

    m = do_create_meeting(
        kind="btv",
        title="Hội nghị thử",
        date=dt.date(2026, 10, 1),
        organiser=tree.province,
        acting_user=None,
        documents=[resolution.doc],
    )
    got = client.get(f"/api/meetings/{m.pk}", **auth(users.viewer)).json()
    assert got["documents"] == [resolution.doc.pk]
    assert client.get(f"/api/meetings/{m.pk}", **auth(users.outsider)).status_code == 404
    assert client.get("/api/meetings", **auth(users.outsider)).json() == []
