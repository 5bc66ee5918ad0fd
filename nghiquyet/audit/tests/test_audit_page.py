"""The audit trail people can read: a unit administrator's page for its
subtree, filtered by person, kind of action and date, exported to Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from conftest import make_user
from nghiquyet.accounts.models import Role
from nghiquyet.core.periods import Period
from nghiquyet.targets.actions import do_approve_results, do_save_result
from nghiquyet.tasks.actions import do_create_task

pytestmark = pytest.mark.django_db

PAGE = "/nhat-ky/"
Q3 = Period.quarter(2026, 3)


@pytest.fixture
def trail(users, tree, resolution, django_user_model):
    """Writes on three days: Đức Thọ's reporter on 2/10, Tùng Ảnh's on 3/10,
    Đức Thọ's approver on 5/10; Nghệ An's administrator on 3/10."""
    approver = make_user(
        django_user_model,
        "duyet_ductho",
        tree.commune_a,
        Role.APPROVER,
        first_name="Thắng",
        last_name="Bùi Đức",
    )
    users.reporter.first_name, users.reporter.last_name = "Hồng", "Nguyễn Thị"
    users.reporter.save()
    with time_machine.travel(dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        a = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 10, acting_user=users.reporter, submit=True
        )
    with time_machine.travel(dt.datetime(2026, 10, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        do_save_result(
            resolution.new_members, tree.commune_b, Q3, 30, acting_user=users.reporter_b, submit=True
        )
        do_create_task(title="Rà soát đảng viên", lead_unit=tree.other_commune, acting_user=users.outsider)
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        do_approve_results([a], acting_user=approver)
    return approver


def _rows(html: str) -> int:
    return html.count('<tr><td class="small">')


def test_admin_reads_its_subtree_in_words(client, users, trail, django_assert_max_num_queries):
    client.force_login(users.province_admin)
    with django_assert_max_num_queries(8):
        html = client.get(PAGE).content.decode()
    assert _rows(html) == 3  # two figures sent, one approved; not Nghệ An's task
    assert "Nhập, sửa số liệu" in html and "Duyệt số liệu" in html
    assert "Nguyễn Thị Hồng" in html and "Bùi Đức Thắng" in html and "Hồng Nguyễn Thị" not in html
    assert "trạng thái: Đã gửi → Đã duyệt" in html
    assert "Rà soát đảng viên" not in html


def test_filters_by_person_action_and_date(client, users, trail, tree):
    client.force_login(users.province_admin)
    assert _rows(client.get(f"{PAGE}?nguoi={users.reporter.pk}").content.decode()) == 1
    assert _rows(client.get(f"{PAGE}?thao_tac=approve_result").content.decode()) == 1
    assert _rows(client.get(f"{PAGE}?tu=3/10/2026&den=5/10/2026").content.decode()) == 2
    assert _rows(client.get(f"{PAGE}?tu=3/10/2026&den=3/10/2026").content.decode()) == 1
    assert _rows(client.get(f"{PAGE}?don_vi={tree.commune_b.pk}").content.decode()) == 1
    html = client.get(f"{PAGE}?tu=32/10/2026").content.decode()
    assert "không tồn tại" in html


def test_export_to_excel_follows_the_filters(client, users, trail):
    from openpyxl import load_workbook

    client.force_login(users.province_admin)
    r = client.get(f"{PAGE}?thao_tac=save_result&xuat=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời điểm", "Người thực hiện", "Tên đăng nhập", "Thao tác")
    assert len(rows) == 3
    # Newest first; times in Vietnam time (09:00 UTC = 16:00).
    assert rows[1][:4] == ("16:00 03/10/2026", "bc_tunganh", "bc_tunganh", "Nhập, sửa số liệu")
    assert rows[2][1] == "Nguyễn Thị Hồng"


def test_a_commune_admin_reads_only_its_commune(client, users, trail, tree, django_user_model):
    admin = make_user(django_user_model, "qt_ductho", tree.commune_a, Role.ADMIN)
    client.force_login(admin)
    html = client.get(PAGE).content.decode()
    assert _rows(html) == 2 and "bc_tunganh" not in html
    assert client.get(f"{PAGE}?don_vi={tree.commune_b.pk}").status_code == 404


@pytest.mark.parametrize("who", ["viewer", "reporter", "reporter_b"])
def test_viewer_and_reporters_are_refused(client, users, trail, who):
    client.force_login(getattr(users, who))
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}?xuat=xlsx").status_code == 403


def test_outsider_sees_none_of_ha_tinh(client, users, trail, tree):
    client.force_login(users.outsider)
    html = client.get(PAGE).content.decode()
    assert _rows(html) == 1 and "Rà soát đảng viên" in html
    assert client.get(f"{PAGE}?don_vi={tree.commune_a.pk}").status_code == 404
    r = client.get(f"{PAGE}?nguoi={users.reporter.pk}&xuat=xlsx")
    from openpyxl import load_workbook

    assert len(list(load_workbook(io.BytesIO(r.content)).active.iter_rows())) == 1  # the header alone


def test_changes_are_described_in_words():
    from nghiquyet.audit.labels import action_label, describe

    before = {"id": 1, "value": "10.0000", "status": "submitted", "period_key": "2026-Q3", "version": 1}
    after = {**before, "value": "12.5000", "status": "approved", "version": 2}
    assert describe("targets.result", before, after) == "giá trị: 10 → 12,5; trạng thái: Đã gửi → Đã duyệt"
    created = {
        "id": 1,
        "value": "10.0000",
        "status": "draft",
        "period_key": "2026-Q3",
        "period_kind": "quarter",
    }
    assert describe("targets.result", None, created) == "giá trị: 10; trạng thái: Nháp; kỳ: Quý III/2026"
    assert describe("accounts.membership", {"role": "viewer"}, {}) == "Đã xóa"
    assert action_label("reset_password") == "Đặt lại mật khẩu"
