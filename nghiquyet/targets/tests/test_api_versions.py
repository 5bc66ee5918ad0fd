"""POST /api/results states the version it read: no silent overwrite, and an
omitted ``submit`` does not turn a submitted figure back into a draft."""

from __future__ import annotations

import pytest
import time_machine

from nghiquyet.accounts.models import ApiToken
from nghiquyet.core.tests.webhelpers import Q3, TODAY, reopen, submit
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
def post(client, users, resolution, tree):
    _, key = ApiToken.issue(users.reporter, "thử nghiệm")

    def send(**body):
        data = {"target": resolution.new_members.pk, "unit": tree.commune_a.pk, "period": "2026-Q3", **body}
        return client.post(
            "/api/results", data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    return send


def test_changing_an_existing_result_without_expected_version_is_409_with_the_current(post, resolution, tree):
    first = submit(resolution.new_members, tree.commune_a, Q3, 5)
    r = post(value=6)
    assert r.status_code == 409
    body = r.json()
    assert "đã có (giá trị hiện tại: 5, phiên bản 1)" in body["detail"]
    assert body["current"]["id"] == first.pk
    assert (body["current"]["value"], body["current"]["version"], body["current"]["status"]) == (
        "5.0000",
        1,
        ResultStatus.SUBMITTED,
    )
    assert Result.objects.get().value == 5


def test_a_stale_expected_version_is_409_with_the_current(post, resolution, tree):
    submit(resolution.new_members, tree.commune_a, Q3, 5)
    assert post(value=6, expected_version=1).status_code == 200
    r = post(value=7, expected_version=1)
    assert r.status_code == 409
    assert "vừa được người khác cập nhật (giá trị hiện tại: 6)" in r.json()["detail"]
    assert (r.json()["current"]["value"], r.json()["current"]["version"]) == ("6.0000", 2)
    assert Result.objects.get().value == 6


def test_creating_needs_no_version_and_an_omitted_submit_makes_a_draft(post):
    r = post(value="2.989")
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["version"]) == (ResultStatus.DRAFT, 1)


def test_an_omitted_submit_keeps_a_submitted_figure_submitted(post, resolution, tree):
    submit(resolution.new_members, tree.commune_a, Q3, 5)
    r = post(value=8, expected_version=1)
    assert r.status_code == 200, r.content
    assert (r.json()["value"], r.json()["status"], r.json()["version"]) == (
        "8.0000",
        ResultStatus.SUBMITTED,
        2,
    )
    # false still saves a draft, on purpose.
    r = post(value=9, expected_version=2, submit=False)
    assert r.json()["status"] == ResultStatus.DRAFT


def test_an_omitted_note_keeps_the_stored_note(post):
    post(value=5, note="Ước tính")
    assert post(value=6, expected_version=1).json()["note"] == "Ước tính"


def test_resending_the_same_figure_is_not_a_conflict(post, resolution, tree):
    """A client whose answer was lost sends again: nothing to lose, 200."""
    assert post(value=5, submit=True).status_code == 200
    r = post(value=5, submit=True)
    assert r.status_code == 200 and r.json()["version"] == 1


def test_openapi_declares_the_409_and_its_body(client):
    spec = client.get("/api/openapi.json").json()
    responses = spec["paths"]["/api/results"]["post"]["responses"]
    assert {"200", "409"} <= set(responses)
    ref = responses["409"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {"detail", "current"}
