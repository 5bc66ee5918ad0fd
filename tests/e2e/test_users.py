"""In a real browser: a province administrator creates a reporter's account;
the reporter signs in with the temporary password and sends a figure far
from last quarter's, confirming the warning; the approver sees it with its
context, cannot approve it in bulk, approves it one by one; the
administrator reads the audit page and the figure's history."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.core.periods import Period
from nghiquyet.targets.actions import do_save_result

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Q2, Q3 = Period.quarter(2026, 2), Period.quarter(2026, 3)


def test_account_to_approval_with_context_and_the_audit_trail(
    new_page, live_server, users, tree, resolution, shot, django_user_model
):
    from conftest import make_user
    from nghiquyet.accounts.models import Role

    do_save_result(resolution.new_members, tree.commune_a, Q2, 100, acting_user=users.reporter, submit=True)
    make_user(
        django_user_model, "duyet_tinh", tree.province, Role.APPROVER, first_name="Thắng", last_name="Bùi Đức"
    )

    admin = new_page()
    sign_in(admin, live_server.url, "qt_tinh", PASSWORD)
    admin.get_by_role("link", name="Người dùng").click()
    admin.get_by_role("link", name="Thêm người dùng").click()
    admin.get_by_label("Họ và tên").fill("Đặng Thị Mai")
    admin.get_by_label("Tên đăng nhập").fill("dtmai")
    admin.select_option("#don_vi", str(tree.commune_a.pk))
    admin.select_option("#vai_tro", "reporter")
    admin.get_by_role("button", name="Tạo tài khoản").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Đã tạo tài khoản")
    password = admin.locator("#mat-khau").inner_text()
    shot(admin, "20-tao-nguoi-dung")

    reporter = new_page()
    sign_in(reporter, live_server.url, "dtmai", password)
    expect(reporter.locator(".account .user")).to_have_text("Đặng Thị Mai")
    reporter.goto(f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}")
    reporter.fill(f"#gia_tri_{resolution.new_members.pk}", "300")
    reporter.fill(f"#ghi_chu_{resolution.new_members.pk}", "Đợt kết nạp dịp 2/9")
    reporter.get_by_role("button", name="Gửi báo cáo").click()
    reporter.get_by_label("Tôi đã kiểm tra số liệu chênh lệch lớn so với kỳ trước").check()
    reporter.get_by_role("button", name="Gửi báo cáo").click()
    expect(reporter.locator(".messages")).to_contain_text("Đã gửi 1 số liệu")

    approver = new_page()
    sign_in(approver, live_server.url, "duyet_tinh", PASSWORD)
    approver.goto(f"{live_server.url}/so-lieu/duyet/?ky={Q3.key()}")
    duc_tho = approver.locator("section", has_text="Đảng ủy xã Đức Thọ")
    expect(duc_tho).to_contain_text("Giá trị tăng 200% so với kỳ trước (100)")
    expect(duc_tho).to_contain_text("đơn vị đã kiểm tra và xác nhận")
    expect(duc_tho).to_contain_text("Đợt kết nạp dịp 2/9")
    expect(duc_tho).to_contain_text("Đặng Thị Mai")
    expect(duc_tho.get_by_role("button", name=re.compile("Duyệt tất cả"))).to_have_count(0)
    shot(approver, "21-duyet-co-canh-bao")
    duc_tho.get_by_label("Đã xem cảnh báo").check()
    duc_tho.get_by_role("button", name=f"Duyệt chỉ tiêu {resolution.new_members.code}").click()
    expect(duc_tho).to_contain_text("Đã duyệt “Kết nạp đảng viên mới”")

    admin.get_by_role("link", name="Nhật ký").click()
    expect(admin.locator("main")).to_contain_text("Tạo người dùng")
    expect(admin.locator("main")).to_contain_text("Duyệt số liệu")
    shot(admin, "22-nhat-ky")
    reporter.get_by_role("link", name="Lịch sử").first.click()
    expect(reporter.locator("table.history-table tbody tr")).to_have_count(3)
    expect(reporter.locator("table.history-table")).to_contain_text("Bùi Đức Thắng")
    expect(reporter.locator("table.history-table")).to_contain_text("Cảnh báo đã xác nhận: Giá trị tăng 200%")
    shot(reporter, "23-lich-su-so-lieu")
