"""The home page says what needs each person, with counts and links."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_user
from nghiquyet.accounts.models import Role
from nghiquyet.notify.tests.conftest import at
from nghiquyet.targets.actions import do_return_result
from nghiquyet.tasks.actions import do_create_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(cycle, tree):
    with at(2027, 1, 2):
        do_return_result(cycle.results[0], reason="Số kết nạp chưa khớp biên bản", acting_user=cycle.approver)
    return cycle


def _home(client, user, query=""):
    with at(2027, 1, 3):  # signed in at that moment: a session lasts a working day
        client.force_login(user)
        return client.get("/" + query)


def test_reporter_sees_returned_figure_with_reason_and_link(client, users, tree, returned):
    html = _home(client, users.reporter).content.decode()
    assert "Số liệu bị trả lại cần gửi lại (1)" in html
    assert "Lý do trả lại: Số kết nạp chưa khớp biên bản" in html
    assert f'href="/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&amp;ky=2026-Q4"' in html
    # Commune A has sent 2 of 3 again (one returned): left to enter, with its deadline.
    assert "Số liệu cần nhập (1)" in html
    assert "đã gửi 2/3 chỉ tiêu, hạn 05/01/2027" in html
    assert "Số liệu chờ duyệt" not in html


def test_other_communes_reporter_does_not_see_it(client, users, tree, returned):
    html = _home(client, users.reporter_b).content.decode()
    assert "Số kết nạp chưa khớp" not in html
    assert "Số liệu bị trả lại" not in html
    # Their own commune has sent nothing.
    assert "đã gửi 0/3 chỉ tiêu, hạn 05/01/2027" in html


def test_approver_sees_count_waiting_and_link(client, users, tree, cycle):
    html = _home(client, cycle.approver).content.decode()
    assert "Số liệu chờ duyệt (3)" in html
    assert (
        f'href="/so-lieu/duyet/?don_vi={tree.commune_a.pk}&amp;ky=2026-Q4">Đảng ủy xã Đức Thọ, Quý IV/2026</a>: 3 số liệu'
        in html
    )
    # The round, level by level: A on time, B not at all.
    assert "đúng hạn 1, trễ hạn 0, chưa báo cáo 1" in html


def test_nobody_is_asked_to_approve_their_own_figures(client, users, tree, cycle, django_user_model):
    # A commune approver who entered the figures does not see them as waiting.
    users.reporter.memberships.update(role=Role.APPROVER)
    html = _home(client, users.reporter).content.decode()
    assert "Số liệu chờ duyệt" not in html


def test_viewer_sees_no_work_queues(client, users, tree, returned):
    html = _home(client, users.viewer).content.decode()
    assert "Số liệu chờ duyệt" not in html and "Số liệu bị trả lại" not in html
    assert "Số liệu cần nhập" not in html
    assert "Đợt báo cáo đang mở" in html  # a viewer may follow the round


def test_overdue_tasks_counted_with_link(client, users, tree, resolution):
    do_create_task(
        title="Rà soát",
        lead_unit=tree.commune_a,
        deadline=dt.date(2026, 12, 1),
        acting_user=users.province_admin,
    )
    html = _home(client, users.province_admin).content.decode()
    assert (
        f'href="/nhiem-vu/?don_vi={tree.province.pk}&amp;trang_thai=qua_han">1 nhiệm vụ quá hạn</a>' in html
    )


def test_empty_province_gets_first_steps(client, users, tree, resolution):
    # Nghệ An has no document: its administrator is guided, not told all is sent.
    html = _home(client, users.outsider).content.decode()
    assert "Bắt đầu theo dõi thực hiện nghị quyết" in html
    assert "Thêm nghị quyết" in html and "Mở đợt báo cáo" in html
    assert "Các đơn vị đã gửi đủ số liệu" not in html
    html = _home(client, users.province_admin).content.decode()
    assert "Bắt đầu theo dõi" not in html


def test_outsider_cannot_open_another_provinces_home(client, users, tree, returned):
    assert _home(client, users.outsider, f"?don_vi={tree.commune_a.pk}").status_code == 404
    assert _home(client, users.reporter_b, f"?don_vi={tree.commune_a.pk}").status_code == 404


def test_reporter_of_empty_commune_in_new_province(client, users, tree, django_user_model):
    rep = make_user(django_user_model, "bc_vinhphu", tree.other_commune, Role.REPORTER)
    html = _home(client, rep).content.decode()
    assert "<h1>Đảng ủy phường Vinh Phú</h1>" in html
    assert "Bắt đầu theo dõi" in html
    assert "Các bước này do quản trị của đơn vị thực hiện" in html
    assert "do quản trị của đơn vị thực hiện" not in _home(client, users.outsider).content.decode()


def test_without_a_round_the_ended_quarter_is_due_until_its_window_closes(client, users, tree, resolution):
    # 10/01/2027: Quý IV/2026 ended, its window closes 15/01 (15 days). Commune A
    # has 3 quarterly targets and sent one.
    from nghiquyet.targets.actions import do_save_result

    with at(2027, 1, 10):
        do_save_result(
            resolution.new_members, tree.commune_a, "2026-Q4", 7, acting_user=users.reporter, submit=True
        )
        client.force_login(users.reporter)
        html = client.get("/").content.decode()
    assert "Số liệu cần nhập (1)" in html
    assert "Đảng ủy xã Đức Thọ – Kỳ Quý IV/2026</a>: đã gửi 1/3 chỉ tiêu, hạn 15/01/2027" in html
    with at(2027, 1, 16):  # window closed: nothing to enter any more
        client.force_login(users.reporter)
        assert "Số liệu cần nhập" not in client.get("/").content.decode()


def test_a_locked_unit_is_told_it_needs_an_exception(client, users, tree, cycle):
    with at(2027, 1, 7):  # B's deadline (05/01) passed, no grace
        client.force_login(users.reporter_b)
        html = client.get("/").content.decode()
    assert (
        'đã gửi 0/3 chỉ tiêu, hạn 05/01/2027 <span class="muted">(đã khóa: cần cấp trên cho phép nhập bổ sung)'
        in html
    )


def test_suggestions_to_review_counted_for_those_who_decide(client, users, tree, resolution):
    from nghiquyet.ingestion.actions import do_ingest
    from nghiquyet.ingestion.models import Suggestion

    source, _ = do_ingest(
        "Đồng chí Trần Văn Quảng, Bí thư Tỉnh ủy chủ trì hội nghị.".encode(),
        name="tin.txt",
        unit=tree.province,
        acting_user=users.province_admin,
    )
    n = Suggestion.objects.filter(source=source, status=Suggestion.Status.PENDING).count()
    assert n >= 1
    html = _home(client, users.province_admin).content.decode()
    assert f'<a href="/thu-nhan/">{n} dữ kiện chờ xác nhận</a>' in html
    for user in (users.viewer, users.reporter, users.outsider):
        assert "dữ kiện chờ xác nhận" not in _home(client, user).content.decode()
