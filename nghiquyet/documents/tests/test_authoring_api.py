"""Authoring through the API (issue 13 item 1): documents and their chain,
targets with every attribute the roll-up reads, tasks. Each route is tried
as an administrator of the unit, a viewer, a reporter of another commune
and an outsider from another province; a refused request writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from conftest import make_user
from nghiquyet.accounts.models import ApiToken
from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.tests.webhelpers import Q3, TODAY, submit
from nghiquyet.documents.models import Document
from nghiquyet.targets.models import Milestone, Target, TargetRevision
from nghiquyet.targets.target_history import goal_on, target_on
from nghiquyet.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def api(client, users):
    keys = {name: ApiToken.issue(getattr(users, name), "thử")[1] for name in vars(users)}

    def call(method, who, url, body=None):
        return getattr(client, method)(
            url, body or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {keys[who]}"
        )

    return call


def written():
    """What a refused request must leave as it was."""
    return (
        Document.objects.count(),
        Target.objects.count(),
        Milestone.objects.count(),
        Task.objects.count(),
        AuditEntry.objects.count(),
        list(Document.objects.order_by("pk").values_list("version", "title")),
        list(Target.objects.order_by("pk").values_list("version", "target_value")),
    )


def programme(tree, **extra):
    return {
        "kind": "chuong_trinh",
        "sign": "15 - CTr/TU",
        "title": "Chương trình hành động thực hiện Nghị quyết 57-NQ/TW",
        "issuing_unit_id": tree.province.pk,
        "issued": "2026-03-02",
        "term_start": 2025,
        "term_end": 2030,
        **extra,
    }


# --- Documents -------------------------------------------------------------


def test_an_administrator_creates_a_document_implementing_another(api, tree, resolution):
    r = api("post", "province_admin", "/api/documents", programme(tree, implements=[resolution.doc.pk]))
    assert r.status_code == 201, r.content
    body = r.json()
    doc = Document.objects.get(pk=body["id"])
    assert (body["sign"], body["number"], body["version"], body["created"]) == ("15-CTr/TU", "15", 1, True)
    assert list(doc.implements.all()) == [resolution.doc]
    assert list(AuditEntry.objects.filter(object_id=str(doc.pk)).values_list("action", flat=True)) == [
        "link_documents",
        "create_document",
    ]
    detail = api("get", "province_admin", f"/api/documents/{resolution.doc.pk}").json()
    assert detail["implemented_by"] == [doc.pk]


def test_a_central_document_is_recorded_once_whoever_records_it(api, tree, users):
    first = api(
        "post",
        "province_admin",
        "/api/documents",
        {"kind": "nghi_quyet", "sign": "04-NQ/TW", "title": "Về tăng cường xây dựng, chỉnh đốn Đảng"},
    )
    assert first.status_code == 201 and first.json()["created"] is True
    # Nghệ An's administrator types it another way, under the central unit: the same record.
    again = api(
        "post",
        "outsider",
        "/api/documents",
        {"kind": "nghi_quyet", "sign": "04 - NQ/TW", "title": "NQ 04", "issuing_unit_id": tree.root.pk},
    )
    assert again.status_code == 200, again.content
    assert (again.json()["id"], again.json()["created"]) == (first.json()["id"], False)
    assert Document.objects.filter(sign="04-NQ/TW").count() == 1
    # …and links its own programme to it.
    own = api(
        "post",
        "outsider",
        "/api/documents",
        {
            "kind": "chuong_trinh",
            "sign": "20-CTr/TU",
            "title": "Chương trình thực hiện Nghị quyết 04",
            "issuing_unit_id": tree.other_province.pk,
            "implements": [first.json()["id"]],
        },
    )
    assert own.status_code == 201, own.content
    assert Document.objects.get(pk=own.json()["id"]).implements.get().sign == "04-NQ/TW"


def test_a_central_document_needs_its_sign(api):
    r = api("post", "province_admin", "/api/documents", {"kind": "nghi_quyet", "title": "Không số"})
    assert r.status_code == 422
    assert "04-NQ/TW" in r.json()["detail"]


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("viewer", "province", 403),
        ("reporter", "commune_a", 403),
        ("reporter_b", "commune_a", 404),
        ("outsider", "province", 404),
        ("viewer", None, 403),  # only administrators record shared documents
        ("reporter", None, 403),
    ],
)
def test_creating_a_document_is_refused_and_writes_nothing(api, tree, resolution, who, unit, status):
    before = written()
    body = programme(tree, issuing_unit_id=getattr(tree, unit).pk if unit else None, sign="04-NQ/TW")
    if unit:
        body["sign"] = "15-CTr/TU"
    r = api("post", who, "/api/documents", body)
    assert r.status_code == status, r.content
    assert written() == before


def test_a_commune_administrator_writes_inside_its_subtree_only(tree, users, django_user_model):
    api_keys = ApiToken.issue(make_user(django_user_model, "qt_ductho", tree.commune_a, "admin"), "thử")[1]
    c = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_keys}", "content_type": "application/json"}
    ok = c.post("/api/documents", programme(tree, issuing_unit_id=tree.commune_a.pk, sign="3-CTr/ĐU"), **auth)
    assert ok.status_code == 201, ok.content
    assert (
        c.post("/api/documents", programme(tree, issuing_unit_id=tree.commune_b.pk), **auth).status_code
        == 404
    )
    assert (
        c.post("/api/documents", programme(tree, issuing_unit_id=tree.province.pk), **auth).status_code == 404
    )


def test_a_document_link_that_closes_a_cycle_is_refused(api, tree, resolution):
    child = api("post", "province_admin", "/api/documents", programme(tree, implements=[resolution.doc.pk]))
    before = written()
    r = api(
        "patch",
        "province_admin",
        f"/api/documents/{resolution.doc.pk}",
        {"expected_version": 1, "implements": [child.json()["id"]]},
    )
    assert r.status_code == 422 and "vòng lặp" in r.json()["detail"]
    assert written() == before


def test_patching_a_document_needs_the_version_read(api, tree, resolution):
    url = f"/api/documents/{resolution.doc.pk}"
    r = api("patch", "province_admin", url, {"expected_version": 1, "title": "Nghị quyết Đại hội (sửa)"})
    assert r.status_code == 200, r.content
    assert (r.json()["title"], r.json()["version"]) == ("Nghị quyết Đại hội (sửa)", 2)
    audit = AuditEntry.objects.get(action="update_document")
    assert (audit.before["title"][:9], audit.after["title"], audit.after["version"]) == (
        "Nghị quyế",
        "Nghị quyết Đại hội (sửa)",
        2,
    )
    before = written()
    stale = api("patch", "province_admin", url, {"expected_version": 1, "title": "Lần khác"})
    assert stale.status_code == 409
    assert "phiên bản 2" in stale.json()["detail"]
    assert (stale.json()["current"]["title"], stale.json()["current"]["version"]) == (
        "Nghị quyết Đại hội (sửa)",
        2,
    )
    missing = api("patch", "province_admin", url, {"title": "Lần khác"})
    assert missing.status_code == 409 and missing.json()["current"]["version"] == 2
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_patching_a_document_is_refused_and_writes_nothing(api, resolution, who, status):
    # The commune reporters see the resolution (it is assigned to them), so 403, not 404.
    before = written()
    r = api("patch", who, f"/api/documents/{resolution.doc.pk}", {"expected_version": 1, "title": "X"})
    assert r.status_code == status
    assert written() == before


def test_a_shared_central_document_is_not_rewritten_by_a_province(api, tree, resolution):
    ref = api(
        "post", "province_admin", "/api/documents", {"kind": "nghi_quyet", "sign": "04-NQ/TW", "title": "T"}
    )
    api(
        "patch",
        "province_admin",
        f"/api/documents/{resolution.doc.pk}",
        {"expected_version": 1, "implements": [ref.json()["id"]]},
    )
    r = api(
        "patch",
        "province_admin",
        f"/api/documents/{ref.json()['id']}",
        {"expected_version": 1, "title": "Khác"},
    )
    assert r.status_code == 403
    assert Document.objects.get(pk=ref.json()["id"]).title == "T"


# --- Targets ---------------------------------------------------------------

TARGET = {
    "code": "4",
    "name": "Số đảng viên mới được kết nạp",
    "group": "xay_dung_dang",
    "measure": "đảng viên",
    "value_type": "integer",
    "direction": "higher",
    "baseline_value": 180,
    "target_value": "1.100",
    "milestones": {"2026": 200, "2027": "210"},
    "report_every": "half",
    "time_aggregation": "sum",
    "unit_aggregation": "sum",
    "judged": "year_end",
    "min_value": 0,
    "max_value": "5.000",
}


def test_an_administrator_adds_a_target_with_every_attribute(api, resolution):
    r = api("post", "province_admin", f"/api/documents/{resolution.doc.pk}/targets", TARGET)
    assert r.status_code == 201, r.content
    body = r.json()
    t = Target.objects.get(pk=body["id"])
    assert (t.target_value, t.baseline_value, t.max_value, t.min_value) == (1100, 180, 5000, 0)
    assert (
        body["judged"],
        body["report_every"],
        body["value_type"],
        body["order"] if "order" in body else 4,
    ) == (
        "year_end",
        "half",
        "integer",
        4,
    )
    assert body["milestones"] == {"2026": "200.0000", "2027": "210.0000"}
    assert (body["min_value"], body["max_value"], body["version"]) == ("0.0000", "5000.0000", 1)
    assert t.order == 4  # after the resolution's three targets
    assert AuditEntry.objects.get(action="create_target").after["milestones"] == {
        "2026": "200.0000",
        "2027": "210.0000",
    }
    listed = api("get", "viewer", f"/api/targets?document={resolution.doc.pk}").json()
    assert [x["milestones"] for x in listed][:2] == [{"2026": "200.0000"}, {"2026": "3.0000"}]


def test_a_ratio_target_names_its_numerator_and_denominator(api, resolution):
    url = f"/api/documents/{resolution.doc.pk}/targets"
    base = {"group": "van_hoa_xa_hoi", "time_aggregation": "sum"}
    poor = api("post", "province_admin", url, {**base, "code": "5a", "name": "Số hộ nghèo"}).json()["id"]
    homes = api("post", "province_admin", url, {**base, "code": "5b", "name": "Tổng số hộ"}).json()["id"]
    ratio = {
        **base,
        "code": "5",
        "name": "Tỷ lệ hộ nghèo",
        "value_type": "percent",
        "time_aggregation": "ratio",
        "numerator": poor,
        "denominator": homes,
    }
    r = api("post", "province_admin", url, ratio)
    assert r.status_code == 201, r.content
    assert (r.json()["numerator_id"], r.json()["denominator_id"]) == (poor, homes)
    before = written()
    alone = api("post", "province_admin", url, {**ratio, "code": "6", "numerator": None})
    assert alone.status_code == 422 and "tử số" in alone.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"milestones": {"2031": 5}}, "Năm 2031 nằm ngoài nhiệm kỳ 2025–2030"),
        ({"min_value": 10, "max_value": 5}, "Giá trị nhỏ nhất"),
        ({"code": "1"}, "đã có chỉ tiêu mã “1”"),
        ({"direction": "sideways"}, "không hợp lệ"),
        ({"target_value": "abc"}, "không phải là số"),
        ({"max_value": 1000}, "Mục tiêu cả nhiệm kỳ 1.100 nằm ngoài giới hạn"),
    ],
)
def test_a_target_breaking_a_rule_is_refused_in_vietnamese(api, resolution, change, words):
    before = written()
    r = api("post", "province_admin", f"/api/documents/{resolution.doc.pk}/targets", {**TARGET, **change})
    assert r.status_code == 422
    assert words in r.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_adding_a_target_is_refused_and_writes_nothing(api, resolution, who, status):
    before = written()
    r = api("post", who, f"/api/documents/{resolution.doc.pk}/targets", TARGET)
    assert r.status_code == status
    assert written() == before


def test_a_target_changed_after_figures_keeps_the_goal_then_in_force(api, resolution, tree, users):
    t = resolution.new_members
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0), tick=False):
        submit(t, tree.commune_a, Q3, 40)
    url = f"/api/targets/{t.pk}"
    r = api(
        "patch",
        "province_admin",
        url,
        {"expected_version": 1, "target_value": 1200, "milestones": {"2027": 260}},
    )
    assert r.status_code == 200, r.content
    assert (r.json()["target_value"], r.json()["milestones"], r.json()["version"]) == (
        "1200.0000",
        {"2027": "260.0000"},
        2,
    )
    rev = TargetRevision.objects.get(target=t)
    assert (rev.version, rev.data["target_value"], rev.data["milestones"]) == (
        1,
        "1000.0000",
        {"2026": "200.0000"},
    )
    # Read as of a day before the change, the old goals; as of today, the new.
    then = target_on(t, dt.date(2026, 11, 20))
    assert (then["target_value"], then["milestones"], then["version"]) == (
        "1000.0000",
        {"2026": "200.0000"},
        1,
    )
    assert goal_on(t, 2026, dt.date(2026, 11, 20)) == Decimal(200)
    t.refresh_from_db()
    assert goal_on(t, 2026, TODAY.date()) == Decimal(1200)  # no 2026 milestone now: the term goal
    assert goal_on(t, 2027, TODAY.date()) == Decimal(260)
    audit = AuditEntry.objects.get(action="update_target")
    assert (audit.before["target_value"], audit.after["target_value"]) == ("1000.0000", "1200.0000")


def test_patching_a_target_needs_the_version_read(api, resolution):
    url = f"/api/targets/{resolution.poverty.pk}"
    assert (
        api("patch", "province_admin", url, {"expected_version": 1, "judged": "year_end"}).status_code == 200
    )
    before = written()
    stale = api("patch", "province_admin", url, {"expected_version": 1, "judged": "period"})
    assert stale.status_code == 409
    assert (stale.json()["current"]["judged"], stale.json()["current"]["version"]) == ("year_end", 2)
    assert api("patch", "province_admin", url, {"judged": "period"}).status_code == 409
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_patching_a_target_is_refused_and_writes_nothing(api, resolution, who, status):
    before = written()
    r = api("patch", who, f"/api/targets/{resolution.poverty.pk}", {"expected_version": 1, "target_value": 1})
    assert r.status_code == status
    assert written() == before


# --- Tasks -----------------------------------------------------------------


def test_an_administrator_gives_a_task_with_cooperating_units(api, tree, resolution):
    body = {
        "title": "Rà soát, kết nạp đảng viên ở thôn chưa có đảng viên",
        "lead_unit": tree.commune_a.pk,
        "cooperating_units": [tree.commune_b.pk, tree.commune_a.pk],
        "kind": "trong_tam",
        "deadline": "2026-12-31",
        "source_document": resolution.doc.pk,
    }
    r = api("post", "province_admin", "/api/tasks", body)
    assert r.status_code == 201, r.content
    task = Task.objects.get(pk=r.json()["id"])
    assert list(task.cooperating_units.all()) == [tree.commune_b]  # the lead is not its own partner
    assert (task.kind, task.source_document, r.json()["version"]) == ("trong_tam", resolution.doc, 1)
    assert AuditEntry.objects.filter(action="create_task", object_id=str(task.pk)).exists()
    url = f"/api/tasks/{task.pk}"
    ok = api(
        "patch",
        "province_admin",
        url,
        {"expected_version": 1, "deadline": "2027-03-31", "cooperating_units": []},
    )
    assert ok.status_code == 200, ok.content
    assert (ok.json()["deadline"], ok.json()["version"]) == ("2027-03-31", 2)
    assert not task.cooperating_units.exists()
    audit = AuditEntry.objects.get(action="update_task")
    assert (audit.before["cooperating_units"], audit.after["cooperating_units"]) == ([tree.commune_b.pk], [])
    before = written()
    assert api("patch", "province_admin", url, {"expected_version": 1, "title": "Khác"}).status_code == 409
    assert written() == before


@pytest.mark.parametrize(
    ("who", "lead", "status"),
    [
        ("viewer", "commune_a", 403),
        ("reporter_b", "commune_a", 404),
        ("reporter", "commune_a", 403),
        ("outsider", "commune_a", 404),
    ],
)
def test_giving_a_task_is_refused_and_writes_nothing(api, tree, who, lead, status):
    before = written()
    r = api("post", who, "/api/tasks", {"title": "Rà soát", "lead_unit": getattr(tree, lead).pk})
    assert r.status_code == status
    assert written() == before


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("reporter_b", 404), ("reporter", 403), ("outsider", 404)]
)
def test_changing_a_task_is_refused_and_writes_nothing(api, tree, users, who, status):
    from nghiquyet.tasks.actions import do_create_task

    task = do_create_task(title="Rà soát", lead_unit=tree.commune_a, acting_user=users.province_admin)
    before = written()
    r = api("patch", who, f"/api/tasks/{task.pk}", {"expected_version": 1, "title": "Khác"})
    assert r.status_code == status
    assert written() == before
