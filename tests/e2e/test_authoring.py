"""A province's administrator writes its own document, a target with its
yearly goals, then changes the target after figures exist and sees the
history; then gives a task. Screenshots of each page in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.documents.models import Document
from nghiquyet.targets.models import Target, TargetRevision
from nghiquyet.tasks.models import Task

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_authors_a_document_its_target_and_a_task(
    new_page, live_server, tree, users, resolution, shot
):
    page = new_page()
    base = live_server.url
    sign_in(page, base, "qt_tinh", PASSWORD)
    page.goto(base + "/van-ban/")
    page.get_by_role("link", name="Thêm văn bản").click()
    page.select_option("#id_kind", "ke_hoach")
    page.fill("#id_sign", "25-KH/TU")
    page.fill("#id_title", "Kế hoạch thực hiện Nghị quyết Đại hội")
    page.select_option("#id_issuing_unit", str(tree.province.pk))
    page.fill("#id_issued", "05/01/2026")
    page.fill("#id_term_start", "2025")
    page.fill("#id_term_end", "2030")
    page.select_option("#id_implements", [str(resolution.doc.pk)])
    shot(page, "20-them-van-ban")
    page.get_by_role("button", name="Lưu văn bản").click()
    expect(page.locator("h1")).to_contain_text("Thêm chỉ tiêu cho")
    doc = Document.objects.get(sign="25-KH/TU")

    page.fill("#id_code", "1")
    page.fill("#id_name", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ")
    page.select_option("#id_group", "xay_dung_dang")
    page.fill("#id_measure", "%")
    page.select_option("#id_value_type", "percent")
    page.fill("#id_target_value", "90")
    page.select_option("#id_time_aggregation", "latest")
    page.select_option("#id_unit_aggregation", "mean")
    page.select_option("#id_report_every", "year")
    page.select_option("#id_judged", "year_end")
    page.fill("#id_min_value", "0")
    page.fill("#id_max_value", "100")
    page.fill("#id_nam_2026", "85,5")
    shot(page, "21-them-chi-tieu")
    page.get_by_role("button", name="Lưu chỉ tiêu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm chỉ tiêu")
    target = Target.objects.get(document=doc, code="1")

    page.goto(f"{base}/so-lieu/chi-tieu/{target.pk}/sua/")
    expect(page.locator("#id_nam_2026")).to_have_value("85,5")
    page.fill("#id_target_value", "92")
    page.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(page.locator("#history-h")).to_have_text("Lịch sử chỉ tiêu")
    expect(page.locator("table").last).to_contain_text("Mục tiêu cả nhiệm kỳ")
    shot(page, "22-lich-su-chi-tieu")
    assert TargetRevision.objects.get(target=target).data["target_value"] == "90.0000"

    page.goto(f"{base}/van-ban/{doc.pk}/")
    page.get_by_role("link", name="Giao nhiệm vụ").click()
    page.fill("#id_title", "Rà soát, đánh giá chất lượng tổ chức cơ sở đảng")
    page.select_option("#id_lead_unit", str(tree.commune_a.pk))
    page.select_option("#id_cooperating_units", [str(tree.commune_b.pk)])
    page.fill("#id_deadline", "31/12/2026")
    shot(page, "23-giao-nhiem-vu")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(page.locator("h1")).to_have_text("Rà soát, đánh giá chất lượng tổ chức cơ sở đảng")
    task = Task.objects.get()
    assert (task.source_document, list(task.cooperating_units.all())) == (doc, [tree.commune_b])
