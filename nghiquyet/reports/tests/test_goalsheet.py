"""Units' goals to and from Excel: the template, `nghiquyet import-goals`
and the upload on the target's page — all or nothing, a message for every
bad row, a unit changed since the download refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from nghiquyet.audit.models import AuditEntry
from nghiquyet.targets.actions import do_set_goals
from nghiquyet.targets.goals import goal_in_force
from nghiquyet.targets.models import Assignment, AssignmentGoal, GoalSource

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def members(resolution, tree):
    """1.000 new members over 2026–2030; commune A assigned, B not yet."""
    t = resolution.new_members
    Assignment.objects.filter(target=t, unit=tree.commune_b).delete()
    return t


@pytest.fixture
def template(client, users, tree, members):
    client.force_login(users.province_admin)
    r = client.get(f"/so-lieu/chi-tieu/{members.pk}/muc-tieu/mau/?don_vi={tree.province.pk}")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    return r.content


def fill(content: bytes, rows: dict[int, list]) -> bytes:
    """The template with rows (by sheet row number) overwritten from column C."""
    wb = load_workbook(io.BytesIO(content))
    ws = wb["Mục tiêu"]
    for row, values in rows.items():
        for j, v in enumerate(values):
            ws.cell(row, 3 + j, v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(tmp_path, data: bytes, user="qt_tinh", *extra):
    path = tmp_path / "muc-tieu.xlsx"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_goals", str(path), "--user", user, *extra, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_the_template_lists_the_units_with_their_goals(template, tree, members):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    head = [c.value for c in ws[4]]
    assert head == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Mục tiêu cả nhiệm kỳ",
        "Năm 2026",
        "Năm 2027",
        "Năm 2028",
        "Năm 2029",
        "Năm 2030",
    ]
    names = [ws.cell(r, 2).value for r in (5, 6)]
    assert sorted(names) == sorted([tree.commune_a.name, tree.commune_b.name])
    assert ws.cell(5, 1).value == f"#{tree.commune_a.pk}" or ws.cell(6, 1).value == f"#{tree.commune_a.pk}"


def test_import_records_goals_and_assigns_new_units(template, tree, members, tmp_path):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    row_of = {ws.cell(r, 2).value: r for r in (5, 6)}
    data = fill(
        template,
        {
            row_of[tree.commune_a.name]: [400, 90],
            row_of[tree.commune_b.name]: ["600", None, "130"],
        },
    )
    code, out, err = run(tmp_path, data, "qt_tinh", "--dry-run")
    assert code == 0 and "Chạy thử" in out, err
    assert not AssignmentGoal.objects.exists()
    code, out, err = run(tmp_path, data)
    assert code == 0, err
    assert "2 đơn vị thay đổi mục tiêu, 1 đơn vị mới được giao" in out
    a = goal_in_force(members, tree.commune_a, 2026)
    assert (a.value, a.source, a.label) == (D(90), GoalSource.IMPORTED, "Nhập từ Excel")
    # Commune B: 2026 derived from what is left: (600 − 130) / 4 = 117,5.
    b = goal_in_force(members, tree.commune_b, 2026)
    assert (b.value, b.kind) == (D("117.5"), "derived")
    assert goal_in_force(members, tree.commune_b, 2027).value == D(130)
    # The same file again: refused, both units changed since it was downloaded.
    code, _, err = run(tmp_path, data)
    assert code == 1 and err.count("đã thay đổi sau khi tải mẫu") == 2


def test_every_bad_row_has_its_message_and_nothing_is_written(template, tree, members, tmp_path):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    row_of = {ws.cell(r, 2).value: r for r in (5, 6)}
    wb = load_workbook(io.BytesIO(fill(template, {row_of[tree.commune_a.name]: ["mười", -5, "12,5"]})))
    sheet = wb["Mục tiêu"]
    sheet.cell(7, 1, "XYZ")
    sheet.cell(7, 2, "Đảng ủy xã Không Có")
    sheet.cell(7, 3, 10)
    sheet.cell(8, 1, sheet.cell(row_of[tree.commune_b.name], 1).value)
    sheet.cell(8, 2, tree.commune_b.name)
    sheet.cell(8, 3, 5)
    out = io.BytesIO()
    wb.save(out)
    code, _, err = run(tmp_path, out.getvalue())
    assert code == 1
    a = row_of[tree.commune_a.name]
    assert f"dòng {a}, cột C: “mười” không phải là số." in err
    assert f"dòng {a}, cột D:" in err and "không được âm" in err
    assert f"dòng {a}, cột E:" in err and "số nguyên" in err
    assert "dòng 7, cột A: Không có đơn vị mã “XYZ”" in err
    assert "dòng 8, cột A:" in err and f"đã có ở dòng {row_of[tree.commune_b.name]}" in err
    assert not AssignmentGoal.objects.exists()
    assert not Assignment.objects.filter(target=members, unit=tree.commune_b).exists()


def test_a_unit_changed_since_the_download_is_refused(template, tree, members, tmp_path):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    row_of = {ws.cell(r, 2).value: r for r in (5, 6)}
    do_set_goals(Assignment.objects.get(target=members, unit=tree.commune_a), {"term": 300}, acting_user=None)
    code, _, err = run(tmp_path, fill(template, {row_of[tree.commune_a.name]: [400]}))
    assert code == 1 and "Mục tiêu của Đảng ủy xã Đức Thọ đã thay đổi sau khi tải mẫu" in err
    assert goal_in_force(members, tree.commune_a, None).value == D(300)


def test_only_an_administrator_of_the_unit_above(client, users, tree, members, template, tmp_path):
    code, _, err = run(tmp_path, fill(template, {5: [10]}), "lanh_dao")
    assert code == 1 and "không phải quản trị viên" in err
    url = f"/so-lieu/chi-tieu/{members.pk}/muc-tieu/mau/?don_vi={tree.province.pk}"
    for user, status in ((users.viewer, 403), (users.reporter, 404), (users.outsider, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_upload_on_the_target_page(client, users, tree, members, template):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    row_of = {ws.cell(r, 2).value: r for r in (5, 6)}
    data = fill(template, {row_of[tree.commune_a.name]: [250]})
    url = f"/so-lieu/chi-tieu/{members.pk}/muc-tieu/nhap/?don_vi={tree.province.pk}"
    client.force_login(users.viewer)
    r = client.post(url, {"file": io.BytesIO(data)})
    assert r.status_code == 403
    client.force_login(users.province_admin)
    upload = io.BytesIO(data)
    upload.name = "muc-tieu.xlsx"
    r = client.post(url, {"file": upload}, follow=True)
    assert r.status_code == 200
    assert "Đã nhận mục tiêu chỉ tiêu 1" in r.content.decode()
    assert goal_in_force(members, tree.commune_a, None).value == D(250)
    assert AuditEntry.objects.filter(action="set_goals").count() == 1
    page = client.get(f"/so-lieu/chi-tieu/{members.pk}/?don_vi={tree.province.pk}&ky=2027").content.decode()
    assert "Tải mẫu nhập mục tiêu" in page
    assert "Suy ra theo quy tắc" in page  # 2027's goal of the province, derived


def test_a_template_sent_back_unchanged_changes_nothing(template, tree, members, tmp_path, client, users):
    ws = load_workbook(io.BytesIO(template))["Mục tiêu"]
    row_of = {ws.cell(r, 2).value: r for r in (5, 6)}
    code, _, err = run(tmp_path, fill(template, {row_of[tree.commune_a.name]: [400, 90]}))
    assert code == 0, err
    again = client.get(f"/so-lieu/chi-tieu/{members.pk}/muc-tieu/mau/?don_vi={tree.province.pk}").content
    ws = load_workbook(io.BytesIO(again))["Mục tiêu"]
    assert [ws.cell(row_of[tree.commune_a.name], c).value for c in (3, 4, 5)] == [400, 90, None]
    before = AssignmentGoal.objects.count()
    code, out, err = run(tmp_path, again)
    assert code == 0 and "Không có thay đổi" in out, err
    assert AssignmentGoal.objects.count() == before
