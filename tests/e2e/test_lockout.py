"""The login lockout as a user meets it: the notice in Vietnamese, then the
account opens again once an administrator unlocks it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_locked_login_shows_the_notice_and_unlocks(new_page, live_server, users, shot):
    page = new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, live_server.url, "qt_tinh", "sai-mat-khau")
    sign_in(page, live_server.url, "qt_tinh", PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("tạm bị khóa")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    shot(page, "01b-dang-nhap-bi-khoa")

    call_command("axes_reset_username", "qt_tinh")
    sign_in(page, live_server.url, "qt_tinh", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh ủy Hà Tĩnh")
