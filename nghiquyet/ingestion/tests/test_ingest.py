"""From text to records: sources, suggestions, accept and reject."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.text import normalize_name
from nghiquyet.documents.models import Document
from nghiquyet.ingestion.access import access_source, access_suggestion
from nghiquyet.ingestion.actions import (
    do_accept_suggestion,
    do_ingest,
    do_reject_suggestion,
    read_upload,
    sources_of,
)
from nghiquyet.ingestion.models import Source, Suggestion
from nghiquyet.meetings.models import Meeting, MeetingKind
from nghiquyet.orgs.models import Person

pytestmark = pytest.mark.django_db

# Written for these tests: a short news item in the genre, fictional people.
ARTICLE = """Hội nghị Ban Thường vụ Tỉnh ủy sơ kết 6 tháng đầu năm 2026

Sáng 15/7/2026, Ban Thường vụ Tỉnh ủy tổ chức Hội nghị sơ kết công tác 6 tháng đầu năm 2026. \
Đồng chí Trần Văn Quảng, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh uỷ chủ trì hội nghị.

Dự hội nghị có đồng chí Nguyễn Thị Hoà, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh.

Hội nghị đánh giá việc thực hiện Nghị quyết số 04-NQ/TW ngày 30/10/2016 của Ban Chấp hành Trung ương Đảng \
khóa XII và Chương trình số 79-CTr/TU của Tỉnh ủy. Toàn tỉnh đã kết nạp 1.245 đảng viên mới; \
504/504 chi bộ hoàn thành đại hội.

Thanh Hà
"""


def ingest(text=ARTICLE, **kw):
    kw.setdefault("acting_user", None)
    return do_ingest(text.encode("utf-8"), name="tin-btv.txt", **kw)


def suggestion(source, kind, pred=lambda s: True):
    return next(s for s in source.suggestions.filter(kind=kind) if pred(s))


def test_article_becomes_a_source_with_linked_suggestions(tree):
    source, created = ingest(unit=tree.province)
    assert created
    assert source.authors == ["Thanh Hà"]
    kinds = set(source.suggestions.values_list("kind", flat=True))
    assert {"meeting", "document", "person", "figure"} <= kinds
    for s in source.suggestions.all():
        assert 0 <= s.span_start < s.span_end <= len(source.text)
        assert s.quote.strip()
    person = suggestion(source, "person", lambda s: s.data["name"] == "Trần Văn Quảng")
    assert "Trần Văn Quảng" in person.quote
    assert AuditEntry.objects.filter(action="ingest_source").count() == 1
    assert not Person.objects.exists()  # nothing enters the records unconfirmed


def test_same_text_twice_is_one_source(tree):
    first, _ = ingest()
    again, created = ingest()
    assert not created and again == first
    assert Source.objects.count() == 1


def test_accept_person_creates_then_links_with_tone_variants(tree):
    source, _ = ingest(unit=tree.province)
    s = suggestion(
        source, "person", lambda s: normalize_name(s.data["name"]) == normalize_name("Nguyễn Thị Hoà")
    )
    person = do_accept_suggestion(s, acting_user=None)
    assert normalize_name(person.full_name) == normalize_name("Nguyễn Thị Hòa")
    assert sorted(person.positions.values_list("title", flat=True)) == [
        "Chủ tịch HĐND tỉnh",
        "Phó Bí thư Thường trực Tỉnh ủy",
    ]
    assert sources_of(person) == [source]
    # Another article spells her name in the old tone style and the title in full.
    other, _ = ingest(
        "Đồng chí Nguyễn Thị Hoà, Chủ tịch Hội đồng nhân dân tỉnh, Trưởng ban Dân vận Tỉnh ủy phát biểu.",
        unit=tree.province,
    )
    s2 = suggestion(other, "person")
    assert do_accept_suggestion(s2, acting_user=None) == person
    assert Person.objects.count() == 1
    titles = sorted(person.positions.values_list("title", flat=True))
    assert titles == ["Chủ tịch HĐND tỉnh", "Phó Bí thư Thường trực Tỉnh ủy", "Trưởng ban Dân vận Tỉnh ủy"]


def test_accept_document_links_a_known_one_by_sign_or_short_mention(tree):
    known = Document.objects.create(kind="nghi_quyet", number="04", sign="04-NQ/TW", title="Về xây dựng Đảng")
    source, _ = ingest(unit=tree.province)
    s = suggestion(source, "document", lambda s: s.data.get("symbol") == "04-NQ/TW")
    assert do_accept_suggestion(s, acting_user=None) == known
    ctr = suggestion(source, "document", lambda s: s.data.get("symbol") == "79-CTr/TU")
    created = do_accept_suggestion(ctr, acting_user=None)
    assert created.sign == "79-CTr/TU" and created.kind == "chuong_trinh"
    assert Document.objects.count() == 2
    short, _ = ingest("Tiếp tục thực hiện Chương trình số 79 của Tỉnh ủy.", unit=tree.province)
    s3 = suggestion(short, "document")
    assert do_accept_suggestion(s3, acting_user=None) == created


def test_accept_meeting_needs_an_organiser_and_creates_chairs(tree):
    source, _ = ingest()
    s = suggestion(source, "meeting")
    with pytest.raises(ValidationError, match="đơn vị tổ chức"):
        do_accept_suggestion(s, acting_user=None)
    meeting = do_accept_suggestion(s, acting_user=None, unit=tree.province)
    assert meeting.date == dt.date(2026, 7, 15)
    assert meeting.kind in (MeetingKind.STANDING, MeetingKind.REVIEW)
    assert [p.person.full_name for p in meeting.chairs] == ["Trần Văn Quảng"]
    assert Meeting.objects.count() == 1


def test_edit_then_accept_and_reject_with_reason(tree):
    source, _ = ingest(unit=tree.province)
    s = suggestion(source, "meeting")
    meeting = do_accept_suggestion(s, acting_user=None, edits={"title": "Hội nghị sơ kết 6 tháng"})
    assert meeting.title == "Hội nghị sơ kết 6 tháng"
    with pytest.raises(ValidationError, match="đã được xử lý"):
        do_accept_suggestion(s, acting_user=None)
    fig = suggestion(source, "figure")
    with pytest.raises(ValidationError, match="lý do"):
        do_reject_suggestion(fig, reason=" ", acting_user=None)
    fig = do_reject_suggestion(fig, reason="Số liệu toàn quốc, không phải của tỉnh", acting_user=None)
    assert fig.status == Suggestion.Status.REJECTED and fig.reason.startswith("Số liệu")


def test_figure_needs_target_unit_and_period(tree, resolution):
    source, _ = ingest(unit=tree.province)
    fig = suggestion(source, "figure", lambda s: s.data["value"] == 1245)
    with pytest.raises(ValidationError, match="Chọn chỉ tiêu"):
        do_accept_suggestion(fig, acting_user=None)
    from nghiquyet.targets.actions import do_assign_target

    do_assign_target(resolution.new_members, [tree.province], acting_user=None)
    result = do_accept_suggestion(
        fig, acting_user=None, unit=tree.province, target=resolution.new_members, period="Quý II/2026"
    )
    assert result.value == 1245 and result.status == "submitted"
    assert sources_of(result) == [source]


def test_failed_accept_writes_nothing(tree):
    source, _ = ingest(unit=tree.province)
    s = suggestion(source, "meeting")
    with pytest.raises(ValidationError):
        do_accept_suggestion(s, acting_user=None, edits={"date": "--07-15"}, unit=tree.province)
    s.refresh_from_db()
    assert s.status == Suggestion.Status.PENDING
    assert not Meeting.objects.exists()


def test_sources_are_scoped_to_the_subtree(tree, users):
    source, _ = ingest(unit=tree.commune_a)
    assert access_source(users.reporter, source.pk) == source
    assert access_source(users.viewer, source.pk) == source
    for user in (users.reporter_b, users.outsider):
        with pytest.raises(Http404):
            access_source(user, source.pk)
    s = source.suggestions.first()
    assert access_suggestion(users.reporter, s.pk) == s
    with pytest.raises(Http404):
        access_suggestion(users.viewer, s.pk)  # a viewer cannot decide


def test_docx_and_legacy_and_binary_inputs(tree):
    import docx

    d = docx.Document()
    d.add_paragraph("Đồng chí Lê Văn Bình, Bí thư Đảng ủy xã chủ trì buổi làm việc.")
    buf = io.BytesIO()
    d.save(buf)
    text, kind, _, _ = read_upload(buf.getvalue(), "bao-cao.docx")
    assert kind == "docx" and "Lê Văn Bình" in text
    with pytest.raises(ValidationError):
        read_upload(b"PK\x03\x04 not really a zip", "hong.docx")
    with pytest.raises(ValidationError):
        do_ingest(bytes(range(256)) * 50, name="anh.jpg", acting_user=None)
    with pytest.raises(ValidationError, match="không có nội dung"):
        do_ingest(b"   \n", name="rong.txt", acting_user=None)


def test_ingest_command(tree, tmp_path, capsys):
    f = tmp_path / "tin.txt"
    f.write_text(ARTICLE, encoding="utf-8")
    call_command("ingest", str(f))
    call_command("ingest", str(f))
    out = capsys.readouterr().out
    assert "nguồn #" in out and "văn bản" in out
    assert "đã có" in out
    assert Source.objects.count() == 1


def test_a_binary_upload_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as exc:
        read_upload(bytes(range(256)) * 8, "anh.png")
    assert exc.value.messages == [
        "Không đọc được tệp thành văn bản: tệp không phải văn bản (.txt), trang web (.html) "
        "hay Word (.docx), hoặc dùng bảng mã không nhận ra."
    ]
