"""The Content-Security-Policy in a real browser: enforced on every page,
the watch in conftest catches a violation, and the pages whose inline
handlers moved to static/js/app.js still work."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_policy_is_enforced_and_a_violation_is_caught(new_page, live_server, users, csp_violations):
    page = new_page()
    response = page.goto(live_server.url + "/dang-nhap/")
    policy = response.headers["content-security-policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "content-security-policy-report-only" not in response.headers
    assert csp_violations.flush() == []
    # An inline script added to the page is refused by the browser and seen by the watch.
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.__ran === undefined")
    found = csp_violations.flush()
    assert found and "script-src" in found[0]
    csp_violations.clear()  # this one was on purpose


def test_pages_without_inline_handlers_still_work(new_page, live_server, users, resolution, tree):
    page = new_page()
    sign_in(page, live_server.url, "bc_ductho", PASSWORD)
    # <select data-autosubmit> reloads the report page for the chosen period.
    page.goto(live_server.url + "/so-lieu/bao-cao/")
    page.select_option("#ky", index=1)
    page.wait_for_load_state("networkidle")
    assert "ky=" in page.url
    # "Add a row" sends the next row number without hx-vals "js:" (no eval).
    page.goto(live_server.url + "/hoi-nghi/tao-moi/")
    rows = page.locator("#participants .row-p")
    before = rows.count()
    page.get_by_role("button", name="Thêm người tham dự").click()
    expect(rows).to_have_count(before + 1)
    expect(page.locator(f"#ten_{before + 1}")).to_be_visible()
    page.get_by_role("button", name="Thêm người tham dự").click()
    expect(page.locator(f"#ten_{before + 2}")).to_be_visible()
    # The admin's own pages keep to the policy too.
    page.goto(live_server.url + "/quan-tri/login/")
    expect(page.locator("#id_username")).to_be_visible()


def test_full_disk_message_replaces_the_form(new_page, live_server, users, resolution, tree, monkeypatch):
    """htmx swaps the 503 in (responseHandling in base.html): the reporter sees why, under the policy."""
    import errno

    from nghiquyet.core.periods import Period
    from nghiquyet.targets import actions

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    page = new_page()
    sign_in(page, live_server.url, "bc_ductho", PASSWORD)
    q3 = Period.quarter(2026, 3)
    page.goto(f"{live_server.url}/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={q3.key()}")
    page.fill(f"#gia_tri_{resolution.poverty.pk}", "2,5")
    monkeypatch.setattr(actions, "record_many", full)  # the live server runs in this process
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_role("heading", name="Chưa lưu được dữ liệu")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ổ đĩa đầy hoặc chỉ cho đọc")


def test_every_main_page_keeps_to_the_policy(
    new_page, live_server, users, resolution, tree, django_user_model
):
    """A tour of the pages (charts included) as a province admin, then the admin site as a superuser;
    the watch fails the test on any violation."""
    from nghiquyet.core.periods import Period
    from nghiquyet.core.tests.webhelpers import make_task
    from nghiquyet.targets.actions import do_save_result

    q2 = Period.quarter(2026, 2)
    results = [
        do_save_result(resolution.new_members, unit, q2, value, acting_user=None, submit=True)
        for unit, value in ((tree.commune_a, 90), (tree.commune_b, 60))
    ]
    task = make_task(tree.commune_a, document=resolution.doc)
    doc, target = resolution.doc.pk, resolution.new_members.pk
    page = new_page()
    sign_in(page, live_server.url, "qt_tinh", PASSWORD)
    drawn = 0
    for path in (
        "/",
        "/don-vi/",
        f"/don-vi/{tree.province.pk}/",
        "/van-ban/",
        f"/van-ban/{doc}/?don_vi={tree.province.pk}&ky={q2.key()}",
        f"/so-lieu/chi-tieu/{target}/?don_vi={tree.province.pk}&ky={q2.key()}",
        "/so-lieu/duyet/",
        "/nhiem-vu/",
        f"/nhiem-vu/{task.pk}/",
        "/hoi-nghi/",
        "/hoi-nghi/tao-moi/",
        "/bao-cao/",
        f"/bao-cao/van-ban/{doc}/",
        "/thu-nhan/",
        "/thu-nhan/moi/",
        "/nguoi-dung/",
        "/nguoi-dung/them/",
        f"/nguoi-dung/{users.reporter.pk}/",
        "/nguoi-dung/doi-mat-khau/",
        "/nhat-ky/",
        f"/so-lieu/ket-qua/{results[0].pk}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        charts = page.locator("[data-chart]")
        for i in range(charts.count()):
            expect(charts.nth(i).locator("svg")).to_be_visible()
            drawn += 1
    assert drawn >= 2  # ECharts drew under the policy
    admin = django_user_model.objects.create_superuser("quan_tri", password=PASSWORD)
    page = new_page()
    page.goto(live_server.url + "/quan-tri/login/")
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    for path in (
        "/quan-tri/",
        "/quan-tri/orgs/orgunit/",
        f"/quan-tri/orgs/orgunit/{tree.province.pk}/change/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
