"""The ingestion API: the same actions and scoping as the pages, by token."""

from __future__ import annotations

import io

import pytest

from nghiquyet.accounts.models import ApiToken
from nghiquyet.ingestion.actions import do_ingest
from nghiquyet.ingestion.models import Source, Suggestion
from nghiquyet.orgs.models import Person
from nghiquyet.targets.models import Result

from .test_ingest import ARTICLE

pytestmark = pytest.mark.django_db

BASE = "/api/ingestion"


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "thử nghiệm")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def ingest(unit, text=ARTICLE):
    return do_ingest(text.encode("utf-8"), name="tin.txt", unit=unit, acting_user=None)[0]


def pick(source, kind, pred=lambda s: True) -> Suggestion:
    return next(s for s in source.suggestions.filter(kind=kind).order_by("order") if pred(s))


def test_without_a_token_everything_is_401(client, tree):
    source = ingest(tree.province)
    s = source.suggestions.first()
    assert client.get(f"{BASE}/sources").status_code == 401
    assert client.get(f"{BASE}/sources/{source.pk}").status_code == 401
    assert client.post(f"{BASE}/sources", {"text": "x", "unit": tree.province.pk}).status_code == 401
    for action in ("accept", "reject"):
        r = client.post(f"{BASE}/suggestions/{s.pk}/{action}", {}, content_type="application/json")
        assert r.status_code == 401
    assert client.get(f"{BASE}/sources", HTTP_AUTHORIZATION="Bearer nq_sai").status_code == 401


def test_ingest_by_text_then_same_text_returns_the_source(client, users, tree):
    auth = bearer(users.reporter)
    r = client.post(f"{BASE}/sources", {"text": ARTICLE, "unit": tree.commune_a.pk, "origin": "Báo"}, **auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["created"] and body["source"]["unit_id"] == tree.commune_a.pk
    assert body["source"]["pending"] == Source.objects.get().suggestions.count() > 0
    r = client.post(f"{BASE}/sources", {"text": ARTICLE, "unit": tree.commune_a.pk}, **auth)
    assert r.status_code == 200 and not r.json()["created"]
    assert r.json()["source"]["id"] == body["source"]["id"]


def test_ingest_a_file_and_refusals(client, users, tree):
    auth = bearer(users.reporter)
    f = io.BytesIO(ARTICLE.encode("utf-16"))
    f.name = "tin.txt"
    r = client.post(f"{BASE}/sources", {"file": f, "unit": tree.commune_a.pk}, **auth)
    assert r.status_code == 200 and r.json()["source"]["file_kind"] == "text"
    r = client.post(f"{BASE}/sources", {"unit": tree.commune_a.pk}, **auth)
    assert r.status_code == 422
    # Receiving for a unit: reporter there (viewer → 403, elsewhere → 404).
    r = client.post(
        f"{BASE}/sources", {"text": "Đồng chí A", "unit": tree.province.pk}, **bearer(users.viewer)
    )
    assert r.status_code == 403
    r = client.post(f"{BASE}/sources", {"text": "Đồng chí A", "unit": tree.commune_b.pk}, **auth)
    assert r.status_code == 404
    assert Source.objects.count() == 1


def test_list_and_get_are_scoped(client, users, tree):
    mine = ingest(tree.commune_a)
    other = ingest(tree.other_commune, "Đồng chí Lê Văn Bình, Bí thư Đảng ủy phường chủ trì.")
    r = client.get(f"{BASE}/sources", **bearer(users.reporter))
    assert [s["id"] for s in r.json()] == [mine.pk]
    assert r.json()[0]["pending"] == mine.suggestions.count()
    r = client.get(f"{BASE}/sources/{mine.pk}", **bearer(users.viewer))
    body = r.json()
    assert r.status_code == 200 and body["text"] == mine.text
    for s in body["suggestions"]:
        assert body["text"][s["span_start"] : s["span_end"]] == s["quote"]
    assert client.get(f"{BASE}/sources/{other.pk}", **bearer(users.reporter)).status_code == 404
    assert client.get(f"{BASE}/sources/{mine.pk}", **bearer(users.outsider)).status_code == 404


def test_accept_and_reject_round_trip(client, users, tree):
    source = ingest(tree.commune_a)
    auth = bearer(users.reporter)
    person = pick(source, "person", lambda s: s.data["name"] == "Trần Văn Quảng")
    r = client.post(
        f"{BASE}/suggestions/{person.pk}/accept",
        {"edits": {"titles": ["Bí thư Tỉnh ủy"]}},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "accepted" and body["record_type"] == "orgs.person" and body["created_record"]
    assert list(Person.objects.get().positions.values_list("title", flat=True)) == ["Bí thư Tỉnh ủy"]
    figure = pick(source, "figure")
    r = client.post(
        f"{BASE}/suggestions/{figure.pk}/reject", {"reason": ""}, content_type="application/json", **auth
    )
    assert r.status_code == 422 and "lý do" in r.json()["detail"]
    r = client.post(
        f"{BASE}/suggestions/{figure.pk}/reject",
        {"reason": "Số liệu toàn quốc"},
        content_type="application/json",
        **auth,
    )
    assert r.json()["status"] == "rejected" and r.json()["reason"] == "Số liệu toàn quốc"
    r = client.post(f"{BASE}/suggestions/{figure.pk}/accept", {}, content_type="application/json", **auth)
    assert r.status_code == 422 and "đã được xử lý" in r.json()["detail"]


def test_viewer_and_outsider_cannot_decide(client, users, tree):
    source = ingest(tree.province)
    s = pick(source, "person")
    for user in (
        users.viewer,
        users.outsider,
        users.reporter,
    ):  # reporter of a commune, source of the province
        for action, payload in (("accept", {}), ("reject", {"reason": "x"})):
            r = client.post(
                f"{BASE}/suggestions/{s.pk}/{action}",
                payload,
                content_type="application/json",
                **bearer(user),
            )
            assert r.status_code == 404
    s.refresh_from_db()
    assert s.status == Suggestion.Status.PENDING


def test_accept_checks_what_each_kind_needs(client, users, tree, resolution):
    source = ingest(tree.commune_a)
    auth = bearer(users.reporter)
    person = pick(source, "person")
    r = client.post(
        f"{BASE}/suggestions/{person.pk}/accept",
        {"edits": {"record_type": "x"}},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 422
    figure = pick(source, "figure", lambda s: s.data["value"] == 1245)
    url = f"{BASE}/suggestions/{figure.pk}/accept"
    r = client.post(url, {}, content_type="application/json", **auth)
    assert r.status_code == 422
    payload = {"target": resolution.new_members.pk, "unit": tree.commune_b.pk, "period": "2026-Q2"}
    r = client.post(url, payload, content_type="application/json", **auth)
    assert r.status_code == 404  # not a unit they report for
    payload["unit"] = tree.commune_a.pk
    r = client.post(url, payload, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["record_type"] == "targets.result"
    assert Result.objects.get().value == 1245
    meeting = pick(source, "meeting")
    r = client.post(
        f"{BASE}/suggestions/{meeting.pk}/accept",
        {"unit": tree.province.pk},
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 404  # an organiser outside their subtree
