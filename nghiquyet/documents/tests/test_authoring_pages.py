"""Authoring pages (issue 13 item 1): documents, targets and tasks written
by a unit's administrators inside their subtree. Each page is tried as the
administrator, a viewer, a reporter of another commune and an outsider
from another province; a refused request writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.tests.webhelpers import Q3, TODAY, submit
from nghiquyet.documents.models import Document
from nghiquyet.targets.models import Milestone, Target, TargetRevision
from nghiquyet.tasks.actions import do_create_task
from nghiquyet.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def written():
    return (
        Document.objects.count(),
        Target.objects.count(),
        Milestone.objects.count(),
        Task.objects.count(),
        AuditEntry.objects.count(),
        list(Document.objects.order_by("pk").values_list("version", "title")),
        list(Target.objects.order_by("pk").values_list("version", "target_value")),
        list(Task.objects.order_by("pk").values_list("version", "title")),
    )


def as_user(client, user):
    client.force_login(user)
    return client


def document_form(tree, **extra):
    return {
        "kind": "ke_hoach",
        "sign": "25-KH/TU",
        "title": "Kế hoạch thực hiện Nghị quyết Đại hội",
        "issuing_unit": tree.province.pk,
        "issued": "05/01/2026",
        "term_start": "2025",
        "term_end": "2030",
        **extra,
    }


# --- Documents -------------------------------------------------------------


def test_the_administrator_adds_a_document_and_is_led_to_its_targets(client, users, tree, resolution):
    c = as_user(client, users.province_admin)
    page = c.get("/van-ban/")
    assert "Thêm văn bản" in page.content.decode()
    assert c.get("/van-ban/them/").status_code == 200
    r = c.post("/van-ban/them/", document_form(tree, implements=[resolution.doc.pk]))
    doc = Document.objects.get(sign="25-KH/TU")
    assert r.status_code == 302 and r["Location"] == f"/van-ban/{doc.pk}/chi-tieu/them/"
    assert (doc.issued, doc.issuing_unit, list(doc.implements.all())) == (
        dt.date(2026, 1, 5),
        tree.province,
        [resolution.doc],
    )
    assert AuditEntry.objects.filter(action="create_document", object_id=str(doc.pk)).exists()


def test_a_central_document_recorded_twice_is_one_record(client, users, tree):
    body = {
        "kind": "nghi_quyet",
        "sign": "04-NQ/TW",
        "title": "Về xây dựng Đảng",
        "issuing_unit": tree.root.pk,
    }
    first = as_user(client, users.province_admin).post("/van-ban/them/", body, follow=True)
    assert "(văn bản dùng chung)" in first.content.decode()
    second = as_user(client, users.outsider).post(
        "/van-ban/them/", {**body, "sign": "04 - NQ/TW"}, follow=True
    )
    assert "đã có trong hệ thống, không tạo trùng" in second.content.decode()
    assert Document.objects.filter(sign="04-NQ/TW").count() == 1


def test_a_wrong_sign_is_told_in_vietnamese_and_nothing_is_written(client, users, tree):
    before = written()
    r = as_user(client, users.province_admin).post("/van-ban/them/", document_form(tree, sign="25-NQ/TU"))
    assert r.status_code == 400
    assert "không khớp với loại văn bản" in r.content.decode()
    assert written() == before


@pytest.mark.parametrize("who", ["viewer", "reporter", "reporter_b"])
def test_those_who_administer_nothing_cannot_add_a_document(client, users, tree, who):
    before = written()
    c = as_user(client, getattr(users, who))
    assert c.get("/van-ban/them/").status_code == 403
    assert c.post("/van-ban/them/", document_form(tree)).status_code == 403
    assert "Thêm văn bản" not in c.get("/van-ban/").content.decode()
    assert written() == before


def test_an_outsider_cannot_issue_for_another_province(client, users, tree):
    before = written()
    r = as_user(client, users.outsider).post("/van-ban/them/", document_form(tree))
    assert r.status_code == 400  # Hà Tĩnh is not among the units offered
    assert written() == before


def test_the_administrator_edits_a_document_with_the_version_shown(client, users, tree, resolution):
    c = as_user(client, users.province_admin)
    url = f"/van-ban/{resolution.doc.pk}/sua/"
    page = c.get(url).content.decode()
    assert 'name="version" value="1"' in page and "15/10/2025" in page
    detail = c.get(f"/van-ban/{resolution.doc.pk}/").content.decode()
    assert "Sửa văn bản" in detail and "Thêm chỉ tiêu" in detail
    body = document_form(
        tree, kind="nghi_quyet", sign="01-NQ/ĐH", title="Nghị quyết Đại hội (bản sửa)", version=1
    )
    assert c.post(url, body).status_code == 302
    resolution.doc.refresh_from_db()
    assert (resolution.doc.title, resolution.doc.version) == ("Nghị quyết Đại hội (bản sửa)", 2)
    before = written()
    stale = c.post(url, {**body, "title": "Lần khác"})
    assert stale.status_code == 400
    assert "vừa được người khác cập nhật" in stale.content.decode()
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_editing_a_document_is_refused_and_writes_nothing(client, users, tree, resolution, who, status):
    before = written()
    c = as_user(client, getattr(users, who))
    url = f"/van-ban/{resolution.doc.pk}/sua/"
    assert c.get(url).status_code == status
    assert c.post(url, document_form(tree, version=1)).status_code == status
    assert "Sửa văn bản" not in c.get(f"/van-ban/{resolution.doc.pk}/").content.decode()
    assert written() == before


# --- Targets ---------------------------------------------------------------


def target_form(**extra):
    return {
        "code": "4",
        "name": "Số tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        "group": "xay_dung_dang",
        "measure": "tổ chức",
        "value_type": "integer",
        "direction": "higher",
        "target_value": "1.200",
        "time_aggregation": "latest",
        "unit_aggregation": "sum",
        "report_every": "year",
        "judged": "year_end",
        "min_value": "0",
        "nam_2026": "1.050",
        "nam_2027": "",
        **extra,
    }


def test_the_administrator_adds_a_target_with_yearly_goals(client, users, resolution):
    c = as_user(client, users.province_admin)
    url = f"/van-ban/{resolution.doc.pk}/chi-tieu/them/"
    page = c.get(url).content.decode()
    assert "Mục tiêu năm 2025" in page and "Mục tiêu năm 2030" in page  # the term's years
    r = c.post(url, target_form())
    assert r.status_code == 302, r.content.decode()[:2000]
    t = Target.objects.get(document=resolution.doc, code="4")
    assert (t.target_value, t.min_value, t.judged, t.report_every) == (Decimal(1200), 0, "year_end", "year")
    assert {m.year: m.value for m in t.milestones.all()} == {2026: Decimal(1050)}


def test_a_target_with_a_goal_outside_its_bounds_is_refused(client, users, resolution):
    before = written()
    r = as_user(client, users.province_admin).post(
        f"/van-ban/{resolution.doc.pk}/chi-tieu/them/", target_form(max_value="1.000")
    )
    assert r.status_code == 400
    assert "Mục tiêu cả nhiệm kỳ 1.200 nằm ngoài giới hạn" in r.content.decode()
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_adding_a_target_is_refused_and_writes_nothing(client, users, resolution, who, status):
    before = written()
    c = as_user(client, getattr(users, who))
    url = f"/van-ban/{resolution.doc.pk}/chi-tieu/them/"
    assert c.get(url).status_code == status
    assert c.post(url, target_form()).status_code == status
    assert written() == before


def test_a_target_edited_after_figures_shows_its_history(client, users, tree, resolution):
    t = resolution.new_members
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0), tick=False):
        submit(t, tree.commune_a, Q3, 40)
    c = as_user(client, users.province_admin)
    url = f"/so-lieu/chi-tieu/{t.pk}/sua/"
    page = c.get(url).content.decode()
    assert 'value="1.000"' in page and 'value="200"' in page  # shown the Vietnamese way
    body = {
        "code": "1",
        "name": t.name,
        "group": t.group,
        "measure": t.measure,
        "value_type": t.value_type,
        "direction": t.direction,
        "target_value": "1.100",
        "time_aggregation": t.time_aggregation,
        "unit_aggregation": t.unit_aggregation,
        "report_every": t.report_every,
        "judged": t.judged,
        "nam_2026": "220",
        "version": "1",
    }
    r = c.post(url, body)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert TargetRevision.objects.get(target=t).data["target_value"] == "1000.0000"
    detail = c.get(f"/so-lieu/chi-tieu/{t.pk}/?don_vi={tree.province.pk}").content.decode()
    assert "Lịch sử chỉ tiêu" in detail and "Sửa chỉ tiêu" in detail
    assert 'Mục tiêu cả nhiệm kỳ</td><td class="num">1.000</td><td class="num">1.100' in detail
    assert '2026: 200</td><td class="num">2026: 220' in detail
    before = written()
    stale = c.post(url, {**body, "target_value": "1.300"})
    assert stale.status_code == 400 and "vừa được người khác cập nhật" in stale.content.decode()
    assert written() == before


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter_b", 403), ("outsider", 404)])
def test_editing_a_target_is_refused_and_writes_nothing(client, users, tree, resolution, who, status):
    before = written()
    c = as_user(client, getattr(users, who))
    url = f"/so-lieu/chi-tieu/{resolution.poverty.pk}/sua/"
    assert c.get(url).status_code == status
    assert c.post(url, target_form(version="1")).status_code == status
    if status == 403:
        page = c.get(f"/so-lieu/chi-tieu/{resolution.poverty.pk}/?don_vi={tree.province.pk}").content.decode()
        assert "Sửa chỉ tiêu" not in page
    assert written() == before


# --- Tasks -----------------------------------------------------------------


def task_form(tree, resolution, **extra):
    return {
        "title": "Kiện toàn chi bộ thôn",
        "kind": "trong_tam",
        "lead_unit": tree.commune_a.pk,
        "cooperating_units": [tree.commune_b.pk],
        "deadline": "31/12/2026",
        "source_document": resolution.doc.pk,
        "description": "",
        **extra,
    }


def test_the_administrator_gives_and_edits_a_task(client, users, tree, resolution):
    c = as_user(client, users.province_admin)
    assert "Giao nhiệm vụ" in c.get("/nhiem-vu/").content.decode()
    page = c.get(f"/nhiem-vu/them/?van_ban={resolution.doc.pk}").content.decode()
    assert f'<option value="{resolution.doc.pk}" selected' in page
    r = c.post("/nhiem-vu/them/", task_form(tree, resolution))
    task = Task.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/nhiem-vu/{task.pk}/"
    assert (task.lead_unit, list(task.cooperating_units.all()), task.deadline, task.kind) == (
        tree.commune_a,
        [tree.commune_b],
        dt.date(2026, 12, 31),
        "trong_tam",
    )
    assert "Sửa nhiệm vụ" in c.get(f"/nhiem-vu/{task.pk}/").content.decode()
    edit = task_form(tree, resolution, deadline="31/3/2027", cooperating_units=[], version="1")
    assert c.post(f"/nhiem-vu/{task.pk}/sua/", edit).status_code == 302
    task.refresh_from_db()
    assert (task.deadline, task.version, task.cooperating_units.count()) == (dt.date(2027, 3, 31), 2, 0)
    assert AuditEntry.objects.get(action="update_task").before["deadline"] == "2026-12-31"


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reporter", 403), ("reporter_b", 403)])
def test_giving_a_task_is_refused_to_non_administrators(client, users, tree, resolution, who, status):
    before = written()
    c = as_user(client, getattr(users, who))
    assert c.get("/nhiem-vu/them/").status_code == status
    assert c.post("/nhiem-vu/them/", task_form(tree, resolution)).status_code == status
    assert written() == before


def test_an_outsider_cannot_give_a_task_to_another_province(client, users, tree, resolution):
    before = written()
    r = as_user(client, users.outsider).post("/nhiem-vu/them/", task_form(tree, resolution))
    assert r.status_code == 400
    assert written() == before


@pytest.mark.parametrize(
    ("who", "status"), [("viewer", 403), ("reporter", 403), ("reporter_b", 404), ("outsider", 404)]
)
def test_editing_a_task_is_refused_and_writes_nothing(client, users, tree, resolution, who, status):
    task = do_create_task(title="Rà soát", lead_unit=tree.commune_a, acting_user=users.province_admin)
    before = written()
    c = as_user(client, getattr(users, who))
    url = f"/nhiem-vu/{task.pk}/sua/"
    assert c.get(url).status_code == status
    assert c.post(url, task_form(tree, resolution, version="1")).status_code == status
    assert written() == before
