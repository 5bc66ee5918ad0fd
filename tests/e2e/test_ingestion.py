"""The ingestion review in a real browser: paste an article the project
ships, review it, accept a person and a document, reject a figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from nghiquyet.documents.models import Document
from nghiquyet.ingestion.models import Source, Suggestion
from nghiquyet.orgs.models import Person

from .conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parents[2] / "nghiquyet" / "ingestion" / "pipeline" / "tests" / "corpus"
ARTICLE = (CORPUS / "01_hoi_nghi_bch_tinh.txt").read_text(encoding="utf-8")


def test_ingestion_review(new_page, live_server, users, tree, shot):
    page = new_page()
    sign_in(page, live_server.url, "qt_tinh", PASSWORD)
    page.get_by_role("link", name="Thu nhận tin bài").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thu nhận tin bài")
    page.get_by_role("link", name="Thu nhận tin bài mới").click()

    page.get_by_label("Dán nội dung tin bài").fill(ARTICLE)
    page.get_by_label("Nguồn", exact=True).fill("Báo Hà Tĩnh")
    page.get_by_label("Đơn vị tiếp nhận").select_option(label="Tỉnh ủy Hà Tĩnh")
    page.get_by_role("button", name="Đọc và đề xuất dữ kiện").click()
    expect(page).to_have_url(re.compile(r"/thu-nhan/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("dữ kiện đề xuất chờ xem xét")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 21"
    )
    source = Source.objects.get()

    # Every fact is marked in the article, and the mark's text is the quote.
    marks = page.locator(".article mark.fact[id]")
    assert marks.count() == source.suggestions.count()
    for m in marks.all():
        start, end = int(m.get_attribute("data-start")), int(m.get_attribute("data-end"))
        if m.locator("mark").count() == 0:
            assert m.inner_text() == source.text[start:end]

    # Clicking a mark focuses its card; a card's quote leads back to its mark.
    person = Suggestion.objects.get(kind="person", data__name="Hoàng Minh Khôi")
    page.locator(f"#dk-{person.pk}").click()
    person_card = page.locator(f"#goi-y-{person.pk}")
    expect(person_card).to_be_focused()
    expect(person_card).to_have_class(re.compile("is-current"))
    document = Suggestion.objects.get(kind="document", data__symbol="21-KL/TW")
    page.locator(f"#goi-y-{document.pk} .sg-quote a").click()
    expect(page.locator(f"#dk-{document.pk}")).to_be_focused()

    # Accept the person as read (htmx swaps the card and the summary).
    person_card.get_by_role("button", name="Chấp nhận").click()
    expect(person_card).to_contain_text("Đã tạo mới")
    expect(person_card).to_have_attribute("data-status", "accepted")
    expect(page.locator("#source-summary")).to_contain_text("1 đã chấp nhận")
    expect(page.locator(f"#dk-{person.pk}")).to_have_class(re.compile("fact-accepted"))

    # Edit the document, then accept it: the card links to the new document.
    doc_card = page.locator(f"#goi-y-{document.pk}")
    doc_card.get_by_role("link", name="Sửa rồi chấp nhận").click()
    expect(doc_card.get_by_label("Loại văn bản")).to_be_focused()
    issuer = doc_card.get_by_label("Cơ quan ban hành")
    expect(doc_card.get_by_label("Ngày ban hành")).to_have_value("25/10/2021")
    issuer.fill("Ban Chấp hành Trung ương Đảng khóa XIII")
    doc_card.get_by_role("button", name="Chấp nhận").click()
    expect(doc_card).to_contain_text("Đã tạo mới")
    expect(doc_card.locator(".sg-result a")).to_contain_text("21-KL/TW")

    # Reject a figure with a reason, using the keyboard.
    figure = Suggestion.objects.get(kind="figure", data__value=4215.6)
    fig_card = page.locator(f"#goi-y-{figure.pk}")
    fig_card.get_by_role("link", name="Loại").focus()
    page.keyboard.press("Enter")
    reason = fig_card.get_by_label("Lý do loại")
    expect(reason).to_be_focused()
    page.keyboard.type("Số thu ngân sách của cả tỉnh, không phải chỉ tiêu của nghị quyết")
    fig_card.get_by_role("button", name="Loại dữ kiện").click()
    expect(fig_card).to_have_attribute("data-status", "rejected")
    expect(fig_card).to_contain_text("Lý do loại: Số thu ngân sách")
    expect(page.locator("#source-summary")).to_contain_text("1 đã loại")

    # Show the person card and its mark as current for the screenshot.
    page.locator(f"#dk-{person.pk}").click()
    expect(person_card).to_be_in_viewport()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(400)  # let the side list's smooth scroll settle
    shot(page, "ingestion-review", full_page=False)

    # On a phone the article and the list stack, and the buttons stay reachable.
    phone = new_page(390, 844)
    sign_in(phone, live_server.url, "qt_tinh", PASSWORD)
    phone.goto(f"{live_server.url}/thu-nhan/{source.pk}/")
    phone.locator(f"#dk-{document.pk}").click()
    expect(phone.locator(f"#goi-y-{document.pk}")).to_be_in_viewport()
    shot(phone, "ingestion-review-phone", full_page=False)

    assert Person.objects.get().full_name == "Hoàng Minh Khôi"
    assert Document.objects.get().sign == "21-KL/TW"
    figure.refresh_from_db()
    assert figure.status == Suggestion.Status.REJECTED

    # The same text again leads to the existing source, and the list shows its state.
    page.goto(live_server.url + "/thu-nhan/moi/")
    page.get_by_label("Dán nội dung tin bài").fill(ARTICLE)
    page.get_by_label("Đơn vị tiếp nhận").select_option(label="Tỉnh ủy Hà Tĩnh")
    page.get_by_role("button", name="Đọc và đề xuất dữ kiện").click()
    expect(page).to_have_url(re.compile(rf"/thu-nhan/{source.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("đã được thu nhận trước đây")
    page.get_by_role("link", name="Thu nhận tin bài").first.click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Chờ xem xét")
    shot(page, "ingestion-list")
