"""A whole reporting round through the JSON API alone (issue 13, item 3):
open with deadlines, report on time, a late unit locked out then let in by
an exception, approval locking and its withdrawal from above, a signed
written report, the round's page, the review provisional until the round
closes, and everything locked after."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from nghiquyet.accounts.models import ApiToken, Role
from nghiquyet.targets.models import Result, ResultStatus

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 9):
    """Vietnam's wall clock on ``day`` (the server runs in UTC)."""
    d = dt.date.fromisoformat(day)
    return time_machine.travel(
        dt.datetime(d.year, d.month, d.day, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    )


@pytest.fixture
def h(users):
    def header(user):
        _, key = ApiToken.issue(user, "thử nghiệm")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return header


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def figure(client, resolution, unit, value, headers, version=0):
    return post(
        client,
        "/api/results",
        {
            "target": resolution.new_members.pk,
            "unit": unit.pk,
            "period": "2026-Q3",
            "value": value,
            "submit": True,
            "expected_version": version,
        },
        headers,
    )


def test_a_whole_round_through_the_api(client, tree, users, resolution, h, django_user_model):
    admin = h(users.province_admin)
    rep_a, rep_b = h(users.reporter), h(users.reporter_b)
    approver = make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER)
    appr = h(approver)

    # 1. The province opens the round for Q3/2026: communes by 05/10, the province by 10/10, 2 days' grace.
    with at("2026-09-20"):
        r = post(
            client,
            "/api/rounds",
            {
                "documents": [resolution.doc.pk],
                "unit": tree.province.pk,
                "period": "Quý III/2026",
                "deadlines": {"commune": "2026-10-05", "province": "2026-10-10"},
                "grace_days": 2,
            },
            admin,
        )
        assert r.status_code == 201, r.content
        rid = r.json()["id"]
        assert r.json()["period"] == "2026-Q3"

    # 2. Đức Thọ reports on 03/10: on time.
    with at("2026-10-03"):
        r = figure(client, resolution, tree.commune_a, "12", rep_a)
        assert r.status_code == 200, r.content
        assert r.json()["on_time"] is True
        result_a = r.json()

        # The signed written report, before the deadline.
        pdf = b"%PDF-1.4\n% bao cao da ky\n%%EOF\n"
        r = client.post(
            f"/api/rounds/{rid}/reports",
            {"unit": tree.commune_a.pk, "file": SimpleUploadedFile("bao-cao-quy-3.pdf", pdf)},
            **rep_a,
        )
        assert r.status_code == 201, r.content
        assert r.json()["on_time"] is True
        # A file that is not what it says is refused in Vietnamese.
        r = client.post(
            f"/api/rounds/{rid}/reports",
            {"unit": tree.commune_a.pk, "file": SimpleUploadedFile("bao-cao.pdf", b"not a pdf")},
            **rep_a,
        )
        assert r.status_code == 422 and r.json()["detail"] == "Tệp không phải là PDF."

    # 3. Approved on 04/10, it is locked: the reporter's change is 423 with the reason.
    with at("2026-10-04"):
        r = post(client, f"/api/results/{result_a['id']}/approve", {}, appr)
        assert r.status_code == 200 and r.json()["status"] == "approved"
        r = figure(client, resolution, tree.commune_a, "13", rep_a, version=r.json()["version"])
        assert r.status_code == 423
        assert "đã được duyệt nên đã khóa" in r.json()["detail"]
        # Only a unit above withdraws: the commune's own reporter cannot (403).
        r = post(
            client, f"/api/rounds/{rid}/withdraw", {"unit": tree.commune_a.pk, "reason": "Sai số"}, rep_a
        )
        assert r.status_code == 403
        r = post(
            client,
            f"/api/rounds/{rid}/withdraw",
            {"unit": tree.commune_a.pk, "reason": "Cần sửa số liệu"},
            appr,
        )
        assert r.status_code == 200, r.content
        assert [x["status"] for x in r.json()] == ["submitted"]
        version = r.json()[0]["version"]
        r = figure(client, resolution, tree.commune_a, "13", rep_a, version=version)
        assert r.status_code == 200 and r.json()["status"] == "submitted"
        assert r.json()["on_time"] is True

    # 4. Tùng Ảnh is late: on 07/10 (in the grace) still accepted, but its
    # first figure on 08/10 is refused; the province grants until 09/10.
    with at("2026-10-08"):
        r = figure(client, resolution, tree.commune_b, "7", rep_b)
        assert r.status_code == 423
        detail = r.json()["detail"]
        assert "Đã quá hạn báo cáo của Đảng ủy xã Tùng Ảnh" in detail
        assert "hạn ngày 05/10/2026, ân hạn đến hết ngày 07/10/2026" in detail
        # The commune cannot grant itself time; the province's approver can.
        r = post(
            client, f"/api/rounds/{rid}/exceptions", {"unit": tree.commune_b.pk, "until": "2026-10-09"}, rep_b
        )
        assert r.status_code == 403
        r = post(
            client, f"/api/rounds/{rid}/exceptions", {"unit": tree.commune_b.pk, "until": "2026-10-09"}, appr
        )
        assert r.status_code == 201, r.content
        assert r.json()["until"] == "2026-10-09"
        r = figure(client, resolution, tree.commune_b, "7", rep_b)
        assert r.status_code == 200, r.content
        assert r.json()["on_time"] is False

    # 5. The round's page.
    with at("2026-10-09"):
        r = client.get(f"/api/rounds/{rid}", **admin)
        units = {u["unit_id"]: u for u in r.json()["units"]}
        assert units[tree.commune_a.pk]["state"] == "dung_han"
        assert units[tree.commune_a.pk]["report_sent"] is True
        assert units[tree.commune_b.pk]["state"] == "tre_han"
        assert units[tree.commune_b.pk]["report_sent"] is False
        assert units[tree.commune_b.pk]["deadline"] == "2026-10-05"

    # 6. After the window the reporting default would close (15/10), the
    # review stays provisional while the round is open; final once closed.
    rollup_url = f"/api/targets/{resolution.new_members.pk}/rollup?unit={tree.province.pk}&period=2026-Q3"
    with at("2026-10-20"):
        assert client.get(rollup_url, **admin).json()["provisional"] is True
        r = post(client, f"/api/rounds/{rid}/close", {}, appr)
        assert r.status_code == 403  # closing is the round owner's (admin) decision
        r = post(client, f"/api/rounds/{rid}/close", {}, admin)
        assert r.status_code == 200 and r.json()["closed_at"]
        assert client.get(rollup_url, **admin).json()["provisional"] is False
        # Closed: no write, no exception, no change of approval.
        cell_b = Result.objects.get(unit=tree.commune_b, target=resolution.new_members, period_key="2026-Q3")
        r = figure(client, resolution, tree.commune_b, "8", rep_b, version=cell_b.version)
        assert r.status_code == 423 and "đã kết thúc" in r.json()["detail"]
        r = post(client, f"/api/results/{cell_b.pk}/approve", {}, appr)
        assert r.status_code == 423
        r = post(
            client, f"/api/rounds/{rid}/exceptions", {"unit": tree.commune_b.pk, "until": "2026-10-25"}, appr
        )
        assert r.status_code == 422
    cell_b.refresh_from_db()
    assert (cell_b.value, cell_b.status) == (7, ResultStatus.SUBMITTED)


@pytest.fixture
def round_id(client, tree, users, resolution, h):
    with at("2026-09-20"):
        r = post(
            client,
            "/api/rounds",
            {
                "documents": [resolution.doc.pk],
                "unit": tree.province.pk,
                "period": "2026-Q3",
                "deadlines": {"commune": "2026-10-05"},
            },
            h(users.province_admin),
        )
    assert r.status_code == 201, r.content
    return r.json()["id"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("viewer", {"get": 200, "open": 403, "exc": 403, "close": 403, "report": 403, "withdraw": 403}),
     ("reporter_b", {"get": 200, "open": 404, "exc": 404, "close": 403, "report": 404, "withdraw": 404}),
     ("outsider", {"get": 404, "open": 404, "exc": 404, "close": 404, "report": 404, "withdraw": 404})],
)  # fmt: skip
def test_every_round_route_refuses_who_must_be_refused(
    client, tree, users, resolution, h, round_id, who, expected
):
    headers = h(getattr(users, who))
    with at("2026-10-03"):
        got = {
            "get": client.get(f"/api/rounds/{round_id}", **headers).status_code,
            "open": post(
                client,
                "/api/rounds",
                {
                    "documents": [resolution.doc.pk],
                    "unit": tree.province.pk,
                    "period": "2026-Q3",
                    "deadlines": {"commune": "2026-10-05"},
                },
                headers,
            ).status_code,  # fmt: skip
            "exc": post(
                client,
                f"/api/rounds/{round_id}/exceptions",
                {"unit": tree.commune_a.pk, "until": "2026-10-09"},
                headers,
            ).status_code,
            "close": post(client, f"/api/rounds/{round_id}/close", {}, headers).status_code,
            "report": client.post(
                f"/api/rounds/{round_id}/reports",
                {"unit": tree.commune_a.pk, "file": _pdf()},
                **headers,
            ).status_code,
            "withdraw": post(
                client,
                f"/api/rounds/{round_id}/withdraw",
                {"unit": tree.commune_a.pk, "reason": "x"},
                headers,
            ).status_code,
        }
    assert got == expected
    assert client.get(f"/api/rounds/{round_id}").status_code == 401


def _pdf():
    return SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n%%EOF\n")


def test_the_outsider_does_not_see_the_round_in_the_list(client, users, h, round_id):
    assert client.get("/api/rounds", **h(users.outsider)).json() == []
    assert [r["id"] for r in client.get("/api/rounds", **h(users.reporter)).json()] == [round_id]


def test_a_round_refuses_deadlines_out_of_order_in_vietnamese(client, tree, users, resolution, h):
    with at("2026-09-20"):
        r = post(
            client,
            "/api/rounds",
            {
                "documents": [resolution.doc.pk],
                "unit": tree.province.pk,
                "period": "2026-Q3",
                "deadlines": {"commune": "2026-10-12", "province": "2026-10-10", "cell": "2026-09-01"},
            },
            h(users.province_admin),
        )
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "Hạn của chi bộ (ngày 01/09/2026) trước khi kỳ Quý III/2026 kết thúc." in detail
    assert "cấp dưới phải báo cáo trước" in detail
