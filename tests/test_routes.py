"""Every route, present and future, refuses those who must be refused.

The URL tree is walked, not listed by hand: a new page or API endpoint is
tried here the day it is added. Anonymous visitors are sent to sign-in
(pages) or get 401 (API); a user from another province gets 404 for any
record of Hà Tĩnh — never 403, never the record.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from nghiquyet.ingestion.actions import do_ingest
from nghiquyet.meetings.actions import do_create_meeting
from nghiquyet.meetings.models import MeetingKind
from nghiquyet.rounds.actions import do_attach_round_report, do_open_round
from nghiquyet.targets.actions import do_save_result
from nghiquyet.tasks.actions import do_create_task

pytestmark = pytest.mark.django_db

# Open to everyone by design.
PUBLIC = {"login", "logout", "healthz", "openapi-json", "api-root"}


def routes() -> list[tuple[str, str]]:
    """(pattern, name) of every route but the Django admin's."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name or ""

    return [(r, n) for r, n in walk(get_resolver().url_patterns) if not r.startswith("quan-tri/")]


@pytest.fixture
def records(tree, users, resolution):
    """One record of each kind, all in Hà Tĩnh."""
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        # Q4: still open on 21/11 (Q3's reporting window closed on 15/10, issue 13).
        result = do_save_result(
            resolution.new_members, tree.commune_a, "Quý IV/2026", 5, acting_user=users.reporter, submit=True
        )
        rnd = do_open_round(
            documents=[resolution.doc],
            unit=tree.province,
            period="2026-Q4",
            deadlines={"commune": dt.date(2027, 1, 5)},
            acting_user=users.province_admin,
        )
        report = do_attach_round_report(
            rnd, tree.commune_a, b"%PDF-1.4\n%%EOF\n", filename="bao-cao.pdf", acting_user=users.reporter
        )
    task = do_create_task(title="Rà soát", lead_unit=tree.commune_a, acting_user=users.province_admin)
    meeting = do_create_meeting(
        kind=MeetingKind.STANDING, title="Hội nghị", date=dt.date(2026, 10, 1), organiser=tree.province,
        acting_user=users.province_admin,
    )  # fmt: skip
    source, _ = do_ingest(
        "Đồng chí Trần Văn Quảng, Bí thư Tỉnh ủy chủ trì hội nghị.".encode(),
        name="tin.txt",
        unit=tree.province,
        acting_user=users.province_admin,
    )
    return {
        "unit": tree.commune_a.pk,
        "document": resolution.doc.pk,
        "target": resolution.new_members.pk,
        "result": result.pk,
        "task": task.pk,
        "meeting": meeting.pk,
        "source": source.pk,
        "suggestion": source.suggestions.first().pk,
        "token": "khong-ton-tai",
        "user": users.reporter.pk,
        "role": users.reporter.memberships.get().pk,
        "assignment": resolution.new_members.assignments.get(unit=tree.commune_a).pk,
        "round": rnd.pk,
        "report": report.pk,
    }


def _kind_of(route: str, param: str) -> str:
    """Which record a URL parameter names, from its name or its place."""
    if param != "pk":
        return param.removesuffix("_id")
    for prefix, kind in (
        ("don-vi/", "unit"),
        ("van-ban/", "document"),
        ("so-lieu/chi-tieu/", "target"),
        ("so-lieu/duyet/so-lieu/", "result"),
        ("so-lieu/ket-qua/", "result"),
        ("nguoi-dung/", "user"),
        ("nhiem-vu/", "task"),
        ("hoi-nghi/", "meeting"),
        ("thu-nhan/goi-y/", "suggestion"),
        ("thu-nhan/", "source"),
        ("dot-bao-cao/", "round"),
    ):
        if route.startswith(prefix):
            return kind
    raise AssertionError(f"Không biết tham số {param} của {route} chỉ bản ghi nào: thêm vào bảng trên.")


# What a route requires besides its path, so the request gets as far as the
# access check (a malformed request is refused before any lookup).
QUERY = {"target_rollup": "?unit={unit}&period=2026-Q3"}
BODY = {
    "return_result": {"reason": "Số liệu chưa khớp"},
    "set_status": {"status": "dang_thuc_hien"},
    "accept": {},
    "reject": {"reason": "Không liên quan"},
    "grant_role": {"unit": 1, "role": "viewer"},
    "assign_target": {"units": [1]},
    "grant_exception": {"unit": 1, "until": "2026-12-01"},
    "withdraw_approval": {"unit": 1, "reason": "Sai số liệu"},
    "create_target": {"code": "9", "name": "Chỉ tiêu thử", "group": "kinh_te"},
}


def _url(route: str, records: dict, name: str = "") -> str:
    def fill(m: re.Match) -> str:
        param = m.group(2)
        return str(records[_kind_of(route, param)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route) + QUERY.get(name, "").format(**records)


def test_the_walk_finds_the_routes():
    names = {n for _, n in routes()}
    assert {"home", "detail", "report", "review", "list_results", "accept"} <= names
    assert len(routes()) > 40


def test_anonymous_is_sent_to_sign_in_or_refused(client, records):
    for route, name in routes():
        if name in PUBLIC:
            continue
        url = _url(route, records, name)
        statuses: set[int] = set()
        for method in ("get", "post"):
            r = getattr(client, method)(url)
            if route.startswith("api/"):
                # 405: the method does not exist there, whoever asks.
                assert r.status_code in (401, 405), (method, url, r.status_code)
                statuses.add(r.status_code)
            else:
                assert r.status_code in (302, 405), (method, url, r.status_code)
                if r.status_code == 302:
                    assert r["Location"].startswith("/dang-nhap/"), (method, url, r["Location"])
        if route.startswith("api/"):
            assert 401 in statuses, (url, statuses)


def test_outsider_gets_404_for_every_record(client, users, records):
    from nghiquyet.accounts.models import ApiToken

    client.force_login(users.outsider)
    _, key = ApiToken.issue(users.outsider, "thử")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    tried = 0
    for route, name in routes():
        if name in PUBLIC or "<" not in route:
            continue
        url = _url(route, records, name)
        statuses = set()
        for method in ("get", "post"):
            if route.startswith("api/"):
                extra = dict(auth)
                if method == "post":
                    extra.update(data=BODY.get(name, {}), content_type="application/json")
            else:
                extra = {}
            r = getattr(client, method)(url, **extra)
            statuses.add(r.status_code)
            # Never the record, never a telltale 403.
            assert r.status_code in (404, 405), (method, url, r.status_code)
        assert 404 in statuses, (url, statuses)
        tried += 1
    assert tried >= 20
