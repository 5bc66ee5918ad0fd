"""The ingestion review pages: who is refused, the article's marks, accept
and reject round trips (htmx and plain), and the source list's queries."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nghiquyet.documents.models import Document
from nghiquyet.ingestion.actions import do_ingest
from nghiquyet.ingestion.highlight import Span, highlight
from nghiquyet.ingestion.models import Source, Suggestion
from nghiquyet.meetings.models import Meeting
from nghiquyet.orgs.models import Person
from nghiquyet.targets.models import Result

from .test_ingest import ARTICLE

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def ingest(text=ARTICLE, unit=None, user=None):
    source, _ = do_ingest(text.encode("utf-8"), name="tin.txt", unit=unit, acting_user=user)
    return source


def pick(source, kind, pred=lambda s: True) -> Suggestion:
    return next(s for s in source.suggestions.filter(kind=kind).order_by("order") if pred(s))


# -- marks ------------------------------------------------------------------------


class Marks(HTMLParser):
    """Every <mark> of a fragment with its attributes and its text content,
    and a check that the elements nest."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[dict] = []
        self.marks: list[dict] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.stack.append({**dict(attrs), "text": []})

    def handle_endtag(self, tag):
        if tag == "mark":
            assert self.stack, "</mark> without <mark>"
            self.marks.append(self.stack.pop())

    def handle_data(self, data):
        self.text.append(data)
        for m in self.stack:
            m["text"].append(data)


def parse_marks(html: str) -> Marks:
    p = Marks()
    p.feed(html)
    p.close()
    assert not p.stack, "unclosed <mark>"
    for m in p.marks:
        m["text"] = "".join(m["text"])
    return p


def check_marks(text: str, html: str, spans: list[Span]) -> Marks:
    parsed = parse_marks(html)
    assert "".join(parsed.text) == text  # nothing lost, nothing added, escaping undone
    for m in parsed.marks:
        start, end = int(m["data-start"]), int(m["data-end"])
        assert m["text"] == text[start:end]
    # Each span is covered exactly by its pieces, end to end.
    for span in spans:
        pieces = sorted(
            (int(m["data-start"]), int(m["data-end"]))
            for m in parsed.marks
            if m["data-suggestion"] == str(span.key) and ("fact-again" in m["class"]) != span.primary
        )
        assert pieces[0][0] == span.start and pieces[-1][1] == span.end
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    return parsed


def test_highlight_nests_contained_spans_and_splits_crossing_ones():
    text = "Đồng chí <Lê Văn A> & Bí thư Tỉnh ủy chủ trì Hội nghị 15/7/2026."
    spans = [
        Span(0, 37, 1, "meeting"),  # contains the person
        Span(10, 19, 2, "person"),
        Span(30, 55, 3, "document"),  # crosses the meeting's end
        Span(30, 55, 4, "figure"),  # same span as another
    ]
    html = str(highlight(text, spans))
    parsed = check_marks(text, html, spans)
    assert "&lt;" in html and "&gt;" in html and "&amp;" in html and "<Lê" not in html
    pieces = [m for m in parsed.marks if m["data-suggestion"] == "3"]
    assert len(pieces) == 2  # split where the meeting closes
    assert [m for m in parsed.marks if m["data-suggestion"] == "1"][0]["text"] == text[0:37]  # never split
    assert html.count('id="dk-3"') == 1  # only the first piece is the anchor


def test_highlight_drops_spans_outside_the_text_and_escapes_everything():
    text = '<script>alert("x")</script>'
    html = str(highlight(text, [Span(0, 8, 1, "person"), Span(5, 99, 2, "figure"), Span(3, 3, 3, "figure")]))
    assert "<script>" not in html and html.count("<mark") == 1
    check_marks(text, html, [Span(0, 8, 1, "person")])


@pytest.mark.parametrize("seed", range(40))
def test_highlight_random_overlaps_always_nest(seed):
    import random

    rnd = random.Random(seed)
    text = "".join(rnd.choice("ab <&>\"'\nđĐ") for _ in range(rnd.randint(1, 60)))
    spans = []
    for key in range(rnd.randint(1, 12)):
        a = rnd.randrange(len(text))
        b = rnd.randint(a + 1, len(text))
        spans.append(Span(a, b, key, rnd.choice(["person", "figure"]), primary=rnd.random() < 0.8))
    spans = [s for s in spans if s.primary] + [
        s for s in spans if not s.primary and not any(p.key == s.key and p.primary for p in spans)
    ]
    check_marks(text, str(highlight(text, spans)), [s for s in spans if s.primary])


def test_review_page_marks_every_suggestion_in_place(client, users, tree):
    source = ingest(unit=tree.province)
    client.force_login(users.viewer)
    response = client.get(reverse("ingestion:review", args=[source.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    article = re.search(r'<div class="article" lang="vi">(.*?)</div>', html, re.S).group(1)
    suggestions = list(source.suggestions.all())
    spans = [Span(s.span_start, s.span_end, s.pk, s.kind) for s in suggestions]
    parsed = check_marks(source.text, article, spans)
    assert {m["data-suggestion"] for m in parsed.marks} == {str(s.pk) for s in suggestions}
    for s in suggestions:
        assert f'id="goi-y-{s.pk}"' in html and f'href="/thu-nhan/{source.pk}/#dk-{s.pk}"' in html
    for heading in ("Người, chức vụ", "Văn bản", "Hội nghị", "Số liệu"):
        assert heading in html
    assert "chỉ có quyền xem" in html and "Chấp nhận</button>" not in html  # a viewer only reads


# -- refusals -----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, tree):
    source = ingest(unit=tree.province)
    s = source.suggestions.first()
    for url, method in (
        (reverse("ingestion:index"), "get"),
        (reverse("ingestion:new"), "get"),
        (reverse("ingestion:review", args=[source.pk]), "get"),
        (reverse("ingestion:suggestion", args=[s.pk]), "get"),
        (reverse("ingestion:accept", args=[s.pk]), "post"),
        (reverse("ingestion:reject", args=[s.pk]), "post"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    s.refresh_from_db()
    assert s.status == Suggestion.Status.PENDING


def test_outsider_gets_404_everywhere(client, users, tree):
    source = ingest(unit=tree.province)
    s = source.suggestions.first()
    client.force_login(users.outsider)
    assert client.get(reverse("ingestion:review", args=[source.pk])).status_code == 404
    assert client.get(reverse("ingestion:suggestion", args=[s.pk])).status_code == 404
    assert client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"}).status_code == 404
    assert client.post(reverse("ingestion:reject", args=[s.pk]), {"reason": "x"}).status_code == 404
    assert str(source.pk) not in client.get(reverse("ingestion:index")).content.decode().split("nguồn tin")[1]
    s.refresh_from_db()
    assert s.status == Suggestion.Status.PENDING


def test_other_commune_reporter_cannot_see_a_commune_source(client, users, tree):
    source = ingest(unit=tree.commune_a)
    client.force_login(users.reporter_b)
    assert client.get(reverse("ingestion:review", args=[source.pk])).status_code == 404


def test_viewer_cannot_accept_reject_or_ingest(client, users, tree):
    source = ingest(unit=tree.province)
    person = pick(source, "person")
    client.force_login(users.viewer)
    assert client.post(reverse("ingestion:accept", args=[person.pk]), {"nhanh": "1"}).status_code == 404
    assert client.post(reverse("ingestion:reject", args=[person.pk]), {"reason": "x"}).status_code == 404
    # The card opens for reading, never with a form.
    response = client.get(reverse("ingestion:suggestion", args=[person.pk]) + "?sua=1")
    assert response.status_code == 200 and "<form" not in response.content.decode().split('id="goi-y-')[1]
    assert client.get(reverse("ingestion:new")).status_code == 403
    response = client.post(reverse("ingestion:new"), {"text": ARTICLE + "x", "unit": tree.province.pk})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.status == Suggestion.Status.PENDING and not Person.objects.exists()
    assert Source.objects.count() == 1


def test_reporter_cannot_ingest_for_a_unit_outside_their_own(client, users, tree):
    client.force_login(users.reporter)
    response = client.post(reverse("ingestion:new"), {"text": ARTICLE, "unit": tree.province.pk})
    assert response.status_code == 200 and "Đơn vị tiếp nhận không hợp lệ" in response.content.decode()
    assert not Source.objects.exists()


# -- new source ---------------------------------------------------------------------


def test_paste_creates_a_source_then_the_same_text_goes_to_it(client, users, tree):
    client.force_login(users.reporter)
    data = {"text": ARTICLE, "unit": tree.commune_a.pk, "origin": "Báo Hà Tĩnh"}
    response = client.post(reverse("ingestion:new"), data, follow=True)
    source = Source.objects.get()
    assert response.redirect_chain[-1][0] == reverse("ingestion:review", args=[source.pk])
    assert source.unit == tree.commune_a and source.origin == "Báo Hà Tĩnh"
    assert "dữ kiện đề xuất chờ xem xét" in response.content.decode()
    response = client.post(reverse("ingestion:new"), data, **HX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("ingestion:review", args=[source.pk])
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "đã được thu nhận trước đây" in page
    assert Source.objects.count() == 1


def test_upload_docx_and_refusals_of_bad_input(client, users, tree):
    import docx

    d = docx.Document()
    for para in ARTICLE.split("\n\n"):
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    buf.seek(0)
    buf.name = "tin-bai.docx"
    client.force_login(users.reporter)
    response = client.post(reverse("ingestion:new"), {"file": buf, "unit": tree.commune_a.pk})
    source = Source.objects.get()
    assert response.status_code == 302 and source.file_kind == "docx"
    assert source.suggestions.filter(kind="person").exists()

    response = client.post(reverse("ingestion:new"), {"text": "  ", "unit": tree.commune_a.pk}, **HX)
    assert response.status_code == 200 and "Hãy dán nội dung" in response.content.decode()
    junk = io.BytesIO(bytes(range(256)) * 20)
    junk.name = "anh.jpg"
    response = client.post(reverse("ingestion:new"), {"file": junk, "unit": tree.commune_a.pk}, **HX)
    assert response.status_code == 200 and 'class="msg msg-error"' in response.content.decode()
    assert Source.objects.count() == 1


def test_same_text_received_elsewhere_gives_this_unit_its_own_source(client, users, tree):
    theirs = ingest(ARTICLE.strip(), unit=tree.other_province)  # a pasted text loses its outer blank lines
    client.force_login(users.reporter)
    response = client.post(
        reverse("ingestion:new"), {"text": ARTICLE, "unit": tree.commune_a.pk}, follow=True
    )
    mine = Source.objects.get(unit=tree.commune_a)
    assert mine != theirs and mine.text == theirs.text
    assert response.redirect_chain[-1][0] == reverse("ingestion:review", args=[mine.pk])
    page = response.content.decode()
    # Nothing says that another unit has the text.
    assert "dữ kiện đề xuất chờ xem xét" in page
    assert "đơn vị khác" not in page and "trước đây" not in page and "Nghệ An" not in page
    assert client.get(reverse("ingestion:review", args=[theirs.pk])).status_code == 404


# -- decisions ------------------------------------------------------------------------


def test_accept_person_with_htmx_shows_what_it_became(client, users, tree):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "person", lambda s: s.data["name"] == "Trần Văn Quảng")
    client.force_login(users.reporter)
    response = client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"}, **HX)
    assert response.status_code == 200
    html = response.content.decode()
    person = Person.objects.get()
    assert person.full_name == "Trần Văn Quảng"
    assert 'data-status="accepted"' in html and "Đã tạo mới" in html and "Trần Văn Quảng" in html
    assert 'id="source-summary"' in html and 'hx-swap-oob="true"' in html and "1 đã chấp nhận" in html


def test_edit_then_accept_document_links_to_its_page(client, users, tree):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "document", lambda s: s.data.get("symbol") == "79-CTr/TU")
    client.force_login(users.reporter)
    form = client.get(reverse("ingestion:suggestion", args=[s.pk]) + "?sua=1", **HX).content.decode()
    assert 'name="symbol" value="79-CTr/TU"' in form and f'id="goi-y-{s.pk}-kind"' in form
    data = {
        "kind": "chuong_trinh",
        "number": "79",
        "symbol": "79-CTr/TU",
        "issued": "05/02/2026",
        "issuer": "Tỉnh ủy",
    }
    response = client.post(reverse("ingestion:accept", args=[s.pk]), data, **HX)
    doc = Document.objects.get()
    assert doc.sign == "79-CTr/TU" and str(doc.issued) == "2026-02-05"
    assert reverse("documents:detail", args=[doc.pk]) in response.content.decode()
    s.refresh_from_db()
    assert s.data["issued"] == "2026-02-05" and s.status == Suggestion.Status.ACCEPTED


def test_accept_errors_come_back_in_the_card(client, users, tree):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "document", lambda s: s.data.get("symbol") == "79-CTr/TU")
    client.force_login(users.reporter)
    response = client.post(
        reverse("ingestion:accept", args=[s.pk]), {"kind": "", "issued": "31/02/2026"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Chưa chọn loại văn bản." in html and "Ngày không hợp lệ" in html
    meeting = pick(source, "meeting")
    data = {"title": "Hội nghị sơ kết", "date": "15/7/2026", "organiser": tree.province.pk}
    response = client.post(reverse("ingestion:accept", args=[meeting.pk]), data, **HX)
    assert "Đơn vị tổ chức không hợp lệ." in response.content.decode()  # not a unit they report for
    figure = pick(source, "figure")
    response = client.post(reverse("ingestion:accept", args=[figure.pk]), {"nhanh": "1"}, **HX)
    assert "Chọn chỉ tiêu" in response.content.decode() and 'name="target"' in response.content.decode()
    assert not Document.objects.exists() and not Meeting.objects.exists()


def test_accept_meeting_plain_post_redirects_back_to_the_card(client, users, tree):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "meeting")
    client.force_login(users.reporter)
    data = {
        "title": "Hội nghị sơ kết 6 tháng",
        "date": "15/7/2026",
        "organiser": tree.commune_a.pk,
        "online": "on",
    }
    response = client.post(reverse("ingestion:accept", args=[s.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("ingestion:review", args=[source.pk]) + f"#goi-y-{s.pk}"
    meeting = Meeting.objects.get()
    assert (
        meeting.organiser == tree.commune_a and meeting.online and meeting.title == "Hội nghị sơ kết 6 tháng"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Đã tạo mới" in page and reverse("meetings:detail", args=[meeting.pk]) in page


def test_accept_figure_needs_a_target_of_the_users_units(client, users, tree, resolution):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "figure", lambda s: s.data["value"] == 1245)
    client.force_login(users.reporter)
    form = client.get(reverse("ingestion:suggestion", args=[s.pk]) + "?sua=1", **HX).content.decode()
    assert resolution.new_members.name in form and 'value="1.245"' in form
    data = {
        "target": resolution.new_members.pk,
        "unit": tree.commune_b.pk,  # not theirs
        "period": "Quý II/2026",
        "value": "1.245",
    }
    response = client.post(reverse("ingestion:accept", args=[s.pk]), data, **HX)
    assert "Đơn vị không hợp lệ." in response.content.decode()
    data["unit"] = tree.commune_a.pk
    response = client.post(reverse("ingestion:accept", args=[s.pk]), data, **HX)
    result = Result.objects.get()
    assert result.value == 1245 and result.unit == tree.commune_a and result.period_key == "2026-Q2"
    assert reverse("targets:detail", args=[resolution.new_members.pk]) in response.content.decode()


def test_reject_needs_a_reason_then_keeps_it(client, users, tree):
    source = ingest(unit=tree.commune_a)
    s = pick(source, "figure")
    client.force_login(users.reporter)
    response = client.get(reverse("ingestion:suggestion", args=[s.pk]) + "?loai=1")
    assert response.status_code == 200 and f'id="goi-y-{s.pk}-reason"' in response.content.decode()
    response = client.post(reverse("ingestion:reject", args=[s.pk]), {"reason": "  "}, **HX)
    assert "Cần ghi lý do" in response.content.decode()
    response = client.post(reverse("ingestion:reject", args=[s.pk]), {"reason": "Số liệu toàn quốc"}, **HX)
    html = response.content.decode()
    assert 'data-status="rejected"' in html and "Lý do loại: Số liệu toàn quốc" in html
    # Deciding twice is refused in the card, not with an error page.
    response = client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"}, **HX)
    assert "đã được xử lý" in response.content.decode()


def test_source_becomes_reviewed_when_nothing_is_pending(client, users, tree):
    source = ingest("Đồng chí Lê Văn Bình, Bí thư Đảng ủy xã chủ trì buổi làm việc.", unit=tree.commune_a)
    s = source.suggestions.get()
    client.force_login(users.reporter)
    response = client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"}, **HX)
    assert "Đã xem xét xong" in response.content.decode()
    response = client.get(reverse("ingestion:index") + "?trang_thai=reviewed")
    assert source.title in response.content.decode()
    response = client.get(reverse("ingestion:index") + "?trang_thai=pending", **HX)
    assert "Chưa có nguồn tin nào." in response.content.decode()


# -- list ----------------------------------------------------------------------------


def test_source_list_is_scoped_and_counts(client, users, tree):
    mine = ingest(unit=tree.commune_a)
    other = ingest("Đồng chí Lê Văn Bình, Bí thư Đảng ủy phường chủ trì.", unit=tree.other_commune)
    client.force_login(users.reporter)
    html = client.get(reverse("ingestion:index")).content.decode()
    assert reverse("ingestion:review", args=[mine.pk]) in html
    assert reverse("ingestion:review", args=[other.pk]) not in html
    assert f">{mine.suggestions.count()}</td>" in html


def test_source_list_queries_do_not_grow_with_sources(client, users, tree, django_assert_num_queries):
    client.force_login(users.province_admin)
    for i in range(3):
        ingest(f"Đồng chí Lê Văn Bình {i}, Bí thư Đảng ủy xã chủ trì.", unit=tree.commune_a)
    url = reverse("ingestion:index")
    # session, user, memberships, units for "new", count, page
    with django_assert_num_queries(6):
        client.get(url)
    for i in range(10):
        ingest(f"Đồng chí Trần Văn An {i}, Phó Bí thư Đảng ủy xã phát biểu.", unit=tree.commune_b)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["page"].paginator.count == 13


def test_review_page_queries_do_not_grow_with_decisions(client, users, tree):
    source = ingest(unit=tree.commune_a)
    client.force_login(users.reporter)
    url = reverse("ingestion:review", args=[source.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for s in source.suggestions.filter(kind__in=["person", "document"]):
        client.post(reverse("ingestion:accept", args=[s.pk]), {"nhanh": "1"})
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    # One more query per kind of record shown (people, documents), not per card.
    assert len(after) <= len(before) + 2
