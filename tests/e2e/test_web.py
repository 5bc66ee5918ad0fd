"""The main paths in a real browser: sign-in, dashboard, a document, a
commune reporting results that show in the province's roll-up, refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.core.periods import Period
from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
from nghiquyet.targets.actions import do_save_result
from nghiquyet.tasks.actions import do_create_task

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Q2, Q3 = Period.quarter(2026, 2), Period.quarter(2026, 3)


@pytest.fixture
def data(tree, users, resolution):
    for unit, value in ((tree.commune_a, 90), (tree.commune_b, 60)):
        do_save_result(resolution.new_members, unit, Q2, value, acting_user=None, submit=True)
    do_save_result(resolution.poverty, tree.commune_b, Q3, "2,8", acting_user=None, submit=True)
    do_create_task(
        title="Rà soát dữ liệu đảng viên",
        lead_unit=tree.commune_a,
        deadline=dt.date(2026, 9, 30),
        acting_user=None,
        source_document=resolution.doc,
    )
    do_create_meeting(
        kind="bch",
        title="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba",
        date=dt.date(2026, 10, 5),
        organiser=tree.province,
        acting_user=None,
        bridge_points=70,
        documents=[resolution.doc],
        conclusions=[
            ConclusionSpec(
                "Đẩy mạnh kết nạp đảng viên",
                [("Rà soát quần chúng ưu tú", tree.commune_a, dt.date(2026, 12, 15), "trong_tam")],
            )
        ],
    )
    return resolution


def test_sign_in_and_home_dashboard(new_page, live_server, data, shot):
    page = new_page()
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "01-dang-nhap")
    page.fill("#id_username", "qt_tinh")
    page.fill("#id_password", "sai-mat-khau")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
    sign_in(page, live_server.url, "qt_tinh", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh ủy Hà Tĩnh")
    expect(page.locator(".doc-list")).to_contain_text("01-NQ/ĐH")
    expect(page.locator(".stack").first).to_be_visible()
    expect(page.locator("#overdue-h")).to_be_visible()
    expect(page.get_by_text("Rà soát dữ liệu đảng viên").first).to_be_visible()
    shot(page, "02-tong-quan")
    # The period selector swaps the dashboard in place (htmx).
    page.select_option("#ky", Q3.key())
    expect(page.locator("#docs-h")).to_contain_text("Quý III/2026")
    # On a phone the same page stays usable.
    phone = new_page(390, 844)
    sign_in(phone, live_server.url, "lanh_dao", PASSWORD)
    expect(phone.locator(".doc-list")).to_contain_text("01-NQ/ĐH")
    shot(phone, "03-tong-quan-dien-thoai")


def test_drill_into_a_document(new_page, live_server, data, shot):
    page = new_page()
    sign_in(page, live_server.url, "lanh_dao", PASSWORD)
    page.get_by_role("link", name="Nghị quyết số 01-NQ/ĐH").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nghị quyết số 01-NQ/ĐH")
    expect(page.locator("[data-chart=chart-groups] svg")).to_be_visible()
    page.select_option("#ky", Q3.key())
    expect(page.locator("#results")).to_contain_text("Kỳ: Quý III/2026")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="1. Kết nạp đảng viên mới").click()
    panel = page.locator("#target-panel")
    expect(panel).to_contain_text("Theo đơn vị")
    expect(panel).to_contain_text("Đảng ủy xã Đức Thọ")
    # Nothing reported for this target in Q3 (its figures are Q2's): words, not an empty axis.
    expect(panel.locator(".chart-empty").first).to_have_text("Chưa có số liệu")
    expect(panel.locator("[data-chart]")).to_have_count(0)
    expect(page.get_by_text("Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba")).to_be_visible()
    shot(page, "04-van-ban")
    # Units: accent-insensitive search, then a unit beside its siblings.
    page.goto(live_server.url + "/don-vi/")
    page.fill("#q", "duc tho")
    expect(page.locator("#units")).to_contain_text("Đảng ủy xã Đức Thọ")
    page.get_by_role("link", name="Đảng ủy xã Đức Thọ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng ủy xã Đức Thọ")
    shot(page, "05-don-vi")
    page.goto(live_server.url + "/nhiem-vu/?trang_thai=qua_han")
    expect(page.locator("#task-list")).to_contain_text("Rà soát dữ liệu đảng viên")
    shot(page, "06-nhiem-vu")
    page.goto(live_server.url + "/hoi-nghi/")
    page.get_by_role("link", name="Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ ba").click()
    expect(page.get_by_text("Rà soát quần chúng ưu tú")).to_be_visible()
    shot(page, "07-hoi-nghi")


def test_commune_reporter_submits_and_the_province_sees_it(new_page, live_server, data, tree, shot):
    t = data.new_members
    page = new_page()
    sign_in(page, live_server.url, "bc_ductho", PASSWORD)
    page.get_by_role("link", name="Nhập số liệu").click()
    page.select_option("#ky", Q3.key())
    page.wait_for_load_state("networkidle")
    value = page.locator(f"#gia_tri_{t.pk}")
    # A typo is told in Vietnamese as soon as the cell is left.
    value.fill("12,5")
    value.press("Tab")
    expect(page.locator(f"#msg_{t.pk}")).to_contain_text("nhận số nguyên")
    # Far from last quarter's 90: a warning, to be confirmed on submit.
    value.fill("1.250")
    value.press("Tab")
    expect(page.locator(f"#msg_{t.pk}")).to_contain_text("so với kỳ trước")
    page.fill(f"#gia_tri_{data.poverty.pk}", "2,5")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#report")).to_contain_text("Đã lưu nháp 2 số liệu.")
    shot(page, "08-nhap-so-lieu")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#report")).to_contain_text("chênh lệch lớn")
    page.get_by_label("Tôi đã kiểm tra số liệu").check()
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#report")).to_contain_text("Đã gửi 2 số liệu Quý III/2026.")

    leader = new_page()
    sign_in(leader, live_server.url, "lanh_dao", PASSWORD)
    leader.goto(f"{live_server.url}/van-ban/{data.doc.pk}/?don_vi={tree.province.pk}&ky={Q3.key()}")
    row = leader.locator("tr", has_text="Kết nạp đảng viên mới")
    expect(row).to_contain_text("1.250")
    shot(leader, "09-tong-hop-tinh")


def test_user_from_another_province_is_refused(new_page, live_server, data, tree, shot):
    page = new_page()
    sign_in(page, live_server.url, "nghe_an", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh ủy Nghệ An")
    expect(page.locator("main")).not_to_contain_text("01-NQ/ĐH")
    response = page.goto(f"{live_server.url}/van-ban/{data.doc.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    response = page.goto(f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}")
    assert response.status == 404
    shot(page, "10-tu-choi")


def test_approver_approves_a_unit_and_returns_a_figure(
    new_page, live_server, data, tree, shot, django_user_model
):
    from conftest import make_user
    from nghiquyet.accounts.models import Role

    make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER)
    page = new_page()
    sign_in(page, live_server.url, "duyet_tinh", PASSWORD)
    page.get_by_role("link", name="Duyệt số liệu").click()
    page.select_option("#ky", Q2.key())
    page.wait_for_load_state("networkidle")
    duc_tho = page.locator("section", has_text="Đảng ủy xã Đức Thọ")
    duc_tho.get_by_role("button", name="Duyệt tất cả (1)").click()
    expect(duc_tho).to_contain_text("Đã duyệt 1 số liệu của Đảng ủy xã Đức Thọ.")
    expect(duc_tho.locator(".badge")).to_have_text("Đã duyệt")

    page.select_option("#ky", Q3.key())
    page.wait_for_load_state("networkidle")
    tung_anh = page.locator("section", has_text="Đảng ủy xã Tùng Ảnh")
    tung_anh.locator("summary", has_text="Trả lại").click()
    shot(page, "11-duyet-so-lieu")
    tung_anh.get_by_label("Lý do trả lại").fill("Tỷ lệ hộ nghèo chưa khớp số liệu rà soát")
    tung_anh.get_by_role("button", name="Gửi trả lại").click()
    expect(tung_anh).to_contain_text("Đã trả lại “Tỷ lệ hộ nghèo”")

    reporter = new_page()
    sign_in(reporter, live_server.url, "bc_tunganh", PASSWORD)
    reporter.goto(f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_b.pk}&ky={Q3.key()}")
    expect(reporter.locator(f"#row_{data.poverty.pk}")).to_contain_text(
        "Bị trả lại: Tỷ lệ hộ nghèo chưa khớp số liệu rà soát"
    )
    shot(reporter, "12-bi-tra-lai")
