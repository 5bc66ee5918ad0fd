"""POST /api/targets/{id}/assignments and PATCH /api/assignments/{id}:
assigning a target with each unit's goals, and changing them with the
version read — only by an administrator of a unit above."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import make_user
from nghiquyet.accounts.models import ApiToken, Role
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.models import Assignment, AssignmentGoal

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def api(client):
    def send(user, method, url, body=None):
        _, key = ApiToken.issue(user, "thử nghiệm")
        return getattr(client, method)(
            url, body or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    return send


@pytest.fixture
def members(resolution, tree):
    """A new target not yet assigned: 1.000 over the term, 200 for 2026."""
    t = resolution.new_members
    Assignment.objects.filter(target=t).delete()
    return t


def test_admin_assigns_with_each_units_goals_and_weights(api, users, tree, members):
    a, b = tree.commune_a.pk, tree.commune_b.pk
    r = api(
        users.province_admin,
        "post",
        f"/api/targets/{members.pk}/assignments",
        {
            "units": [a, b],
            "goals": {str(a): {"term": 400, "2026": "90"}, str(b): {"term": "600"}},
            "weights": {str(a): 1000, str(b): "3.000"},
        },
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert [x["unit_id"] for x in body] == [a, b]
    first, second = body
    assert first["goals"]["term"]["value"] == "400.0000" and first["goals"]["term"]["kind"] == "own"
    assert first["goals"]["2026"]["value"] == "90.0000"
    # 2027 derived: (400 − 90) / 4 = 77,5.
    assert first["goals"]["2027"] == {
        "value": "77.5000",
        "source": "derived",
        "kind": "derived",
        "rule": "",
        "label": first["goals"]["2027"]["label"],
    }
    assert first["goals"]["2027"]["label"].startswith("Suy ra theo quy tắc")
    assert second["weight"] == "3000.0000"
    assert second["goals"]["2026"]["value"] == "120.0000"  # 600 / 5
    assert [h["key"] for h in first["history"]] == ["term", "2026"]


def test_apportion_through_the_api(api, users, tree, members):
    a, b = tree.commune_a.pk, tree.commune_b.pk
    r = api(
        users.province_admin,
        "post",
        f"/api/targets/{members.pk}/assignments",
        {"units": [a, b], "rule": "weight", "weights": {str(a): 1, str(b): 4}},
    )
    assert r.status_code == 201, r.json()
    by_unit = {x["unit_id"]: x for x in r.json()}
    # 1.000 × 1/5 = 200 and × 4/5 = 800; 2026: 40 and 160.
    assert by_unit[a]["goals"]["term"]["value"] == "200.0000"
    assert by_unit[b]["goals"]["2026"]["value"] == "160.0000"
    assert by_unit[b]["goals"]["2026"]["source"] == "apportioned"
    assert by_unit[b]["goals"]["2026"]["rule"] == "weight"


def test_patch_with_expected_version_and_409_on_a_stale_one(api, users, tree, members):
    a = tree.commune_a.pk
    r = api(users.province_admin, "post", f"/api/targets/{members.pk}/assignments", {"units": [a]})
    assert r.status_code == 201
    aid, version = r.json()[0]["id"], r.json()[0]["version"]
    url = f"/api/assignments/{aid}"
    r = api(
        users.province_admin, "patch", url, {"expected_version": version, "goals": {"term": 300}, "weight": 2}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["version"] == version + 1
    assert r.json()["goals"]["2027"]["value"] == "60.0000"  # 300 / 5
    r = api(users.province_admin, "patch", url, {"expected_version": version, "goals": {"term": 999}})
    assert r.status_code == 409
    body = r.json()
    assert "phiên bản" in body["detail"]
    assert body["current"]["goals"]["term"]["value"] == "300.0000"
    assert body["current"]["version"] == version + 1
    assert AssignmentGoal.objects.filter(value=999).count() == 0
    # Without expected_version the body is refused before anything is read.
    assert api(users.province_admin, "patch", url, {"goals": {"term": 1}}).status_code == 422


def test_who_may_not_set_goals(api, users, tree, members, django_user_model):
    a = tree.commune_a.pk
    url = f"/api/targets/{members.pk}/assignments"
    body = {"units": [a], "goals": {str(a): {"term": 5}}}
    # A viewer and a reporter of the province: they see the unit, may not write (403).
    assert api(users.viewer, "post", url, body).status_code == 403
    assert api(users.reporter_b, "post", url, body).status_code in (403, 404)
    # A commune's own administrator does not set the commune's goals.
    own_admin = make_user(django_user_model, "qt_ductho", tree.commune_a, Role.ADMIN)
    assert api(own_admin, "post", url, body).status_code == 403
    # An outsider from another province sees neither the target nor the unit.
    assert api(users.outsider, "post", url, body).status_code == 404
    assert not Assignment.objects.filter(target=members).exists()
    r = api(users.province_admin, "post", url, body)
    aid = r.json()[0]["id"]
    patch = {"expected_version": r.json()[0]["version"], "goals": {"term": 7}}
    assert api(users.viewer, "patch", f"/api/assignments/{aid}", patch).status_code == 403
    assert api(own_admin, "patch", f"/api/assignments/{aid}", patch).status_code == 403
    assert api(users.outsider, "patch", f"/api/assignments/{aid}", patch).status_code == 404
    assert api(users.reporter_b, "patch", f"/api/assignments/{aid}", patch).status_code == 404
    # Reading is for who sees the unit: the viewer and the commune's reporter, not the outsider.
    assert api(users.viewer, "get", f"/api/assignments/{aid}").json()["goals"]["term"]["value"] == "5.0000"
    assert api(users.reporter, "get", f"/api/assignments/{aid}").status_code == 200
    assert api(users.reporter_b, "get", f"/api/assignments/{aid}").status_code == 404
    assert api(users.outsider, "get", f"/api/assignments/{aid}").status_code == 404
    assert AssignmentGoal.objects.get().value == 5


def test_bad_goal_is_refused_and_nothing_assigned(api, users, tree, members):
    a, b = tree.commune_a.pk, tree.commune_b.pk
    r = api(
        users.province_admin,
        "post",
        f"/api/targets/{members.pk}/assignments",
        {"units": [a, b], "goals": {str(a): {"term": 10}, str(b): {"2019": 5}}},
    )
    assert r.status_code in (400, 422)
    assert "ngoài nhiệm kỳ" in str(r.json())
    assert not Assignment.objects.filter(target=members).exists()


def test_a_unit_retired_cannot_be_assigned(api, users, tree, members):
    import datetime as dt

    old = OrgUnit.objects.create(
        name="Đảng ủy xã Cũ", kind=UnitKind.COMMUNE, parent=tree.province, valid_to=dt.date(2025, 6, 30)
    )
    r = api(users.province_admin, "post", f"/api/targets/{members.pk}/assignments", {"units": [old.pk]})
    assert r.status_code in (400, 422) and "hết hiệu lực" in str(r.json())


def test_rollup_api_says_where_the_goal_comes_from(api, users, tree, resolution):
    url = f"/api/targets/{resolution.new_members.pk}/rollup?unit={tree.province.pk}&period=2027"
    body = api(users.viewer, "get", url).json()
    # No 2027 milestone: (1.000 − 200) / 4 years left = 200, derived.
    assert body["goal"] == "200.0000"
    assert body["goal_source"].startswith("Suy ra theo quy tắc")
    body = api(users.viewer, "get", url.replace("2027", "2026")).json()
    assert (body["goal"], body["goal_source"]) == ("200.0000", "Nhập trực tiếp")
