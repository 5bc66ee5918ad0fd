"""Reminders and the home page in a real browser: a reporter whose figure
was returned sees why on the home page and in the notification list (with
the unread count in the top bar); a new province's administrator gets the
first steps. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.core.periods import PeriodKind, current_period
from nghiquyet.notify.actions import do_send_reminders
from nghiquyet.targets.actions import do_return_result, do_save_result
from nghiquyet.tasks.actions import do_create_task

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def returned(tree, users, resolution):
    today = timezone.localdate()
    period = current_period(PeriodKind.QUARTER, today)  # open for entry today
    result = do_save_result(
        resolution.new_members, tree.commune_a, period, 12, acting_user=users.reporter, submit=True
    )
    do_return_result(result, reason="Số kết nạp chưa khớp biên bản", acting_user=users.province_admin)
    do_create_task(
        title="Rà soát hồ sơ quần chúng ưu tú",
        lead_unit=tree.commune_a,
        deadline=today + dt.timedelta(days=2),
        acting_user=users.province_admin,
    )
    report = do_send_reminders(today)
    assert {r.kind for r in report.sent} == {"tra_lai", "nhiem_vu"}
    return period


def test_reporter_sees_what_needs_them(new_page, live_server, tree, returned, shot):
    page = new_page()
    sign_in(page, live_server.url, "bc_ductho", PASSWORD)
    needs = page.locator("#needs")
    expect(needs).to_contain_text("Số liệu bị trả lại cần gửi lại (1)")
    expect(needs).to_contain_text("Lý do trả lại: Số kết nạp chưa khớp biên bản")
    expect(page.locator(".notices .badge")).to_have_text("2")
    shot(page, "notify-01-trang-chu-bao-cao-vien")
    page.click(".notices")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(page.locator(".notice-list li")).to_have_count(2)
    shot(page, "notify-02-thong-bao")
    page.locator(".notice-list li", has_text="bị trả lại").get_by_role("button", name="Mở").click()
    expect(page).to_have_url(
        f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={returned.key()}"
    )
    page.goto(live_server.url + "/thong-bao/")
    expect(page.locator(".notices .badge")).to_have_text("1")


def test_new_province_gets_first_steps(new_page, live_server, returned, shot):
    page = new_page()
    sign_in(page, live_server.url, "nghe_an", PASSWORD)
    expect(page.locator("#first-steps")).to_contain_text("Thêm nghị quyết")
    expect(page.get_by_text("Các đơn vị đã gửi đủ số liệu")).to_have_count(0)
    shot(page, "notify-03-tinh-moi-cac-buoc-dau")
