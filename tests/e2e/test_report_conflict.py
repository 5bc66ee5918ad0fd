"""The reporting form losing a race, in a browser: htmx swaps the 409 in,
showing the current value beside the user's, and nothing is overwritten."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.core.periods import Period
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import Result

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Q3 = Period.quarter(2026, 3)


def test_a_colleagues_figure_is_shown_not_overwritten(new_page, live_server, tree, users, resolution, shot):
    t = resolution.poverty
    page = new_page()
    sign_in(page, live_server.url, "bc_ductho", PASSWORD)
    page.goto(f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}")
    # A colleague saves while the form is open.
    do_save_result(t, tree.commune_a, Q3, "3,1", acting_user=None)
    page.fill(f"#gia_tri_{t.pk}", "2,5")
    page.get_by_role("button", name="Lưu nháp").click()
    report = page.locator("#report")
    expect(report).to_contain_text("giá trị hiện tại: 3,1")
    expect(report).to_contain_text("Giá trị đồng chí nhập (2,5) chưa được lưu")
    expect(page.locator(f"#gia_tri_{t.pk}")).to_have_value("2,5")
    shot(page, "08b-xung-dot-so-lieu")
    assert Result.objects.get(target=t, unit=tree.commune_a).value == Decimal("3.1")
    # Saved again, having seen it: a decision made knowingly.
    page.get_by_role("button", name="Lưu nháp").click()
    expect(report).to_contain_text("Đã lưu nháp 1 số liệu.")
    assert Result.objects.get(target=t, unit=tree.commune_a).value == Decimal("2.5")
