"""The conclusion notice of a meeting: header, conclusions, the tasks they gave."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from nghiquyet.meetings.actions import ConclusionSpec, do_create_meeting
from nghiquyet.orgs.models import Person
from nghiquyet.reports.notice import build_notice_docx
from nghiquyet.tasks.models import TaskKind

pytestmark = pytest.mark.django_db


def test_notice_has_the_party_header_conclusions_and_tasks(tree, users, resolution):
    chair = Person.objects.create(full_name="Nguyễn Văn A")
    meeting = do_create_meeting(
        kind="btv",
        title="Hội nghị Ban Thường vụ Tỉnh ủy sơ kết 6 tháng đầu năm 2026",
        date=dt.date(2026, 7, 20),
        organiser=tree.province,
        acting_user=users.province_admin,
        documents=[resolution.doc],
        participants=[(chair, "chair", "Bí thư Tỉnh ủy")],
        conclusions=[
            ConclusionSpec(
                "Đẩy mạnh công tác phát triển đảng viên.",
                [("Kết nạp ít nhất 50 đảng viên mới", tree.commune_a, dt.date(2026, 12, 31), TaskKind.KEY)],
            ),
            ConclusionSpec("Giảm tỷ lệ hộ nghèo.", []),
        ],
    )
    d = docx.Document(io.BytesIO(build_notice_docx(meeting, on=dt.date(2026, 7, 22))))
    left, right = d.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "TỈNH ỦY",
        "*",
        "Số \u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-TB/TU",
    ]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[-1].text == "Hà Tĩnh, ngày 22 tháng 7 năm 2026"
    text = "\n".join(p.text for p in d.paragraphs)
    assert "THÔNG BÁO" in text
    # The meeting's name as written (issue 11 changed this: it was lower-cased).
    assert "kết luận của Ban Thường vụ Tỉnh ủy tại Hội nghị Ban Thường vụ Tỉnh ủy sơ kết" in text
    assert "Chủ trì hội nghị: đồng chí Nguyễn Văn A, Bí thư Tỉnh ủy." in text
    assert "1. Đẩy mạnh công tác phát triển đảng viên." in text
    assert "- Kết nạp ít nhất 50 đảng viên mới: Đảng ủy xã Đức Thọ chủ trì; thời hạn 31/12/2026." in text
    assert "2. Giảm tỷ lệ hộ nghèo." in text
    sign = d.tables[1].rows[0].cells[1]
    assert [p.text for p in sign.paragraphs][:2] == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]
    assert any("Đảng ủy xã Đức Thọ" in p.text for p in d.tables[1].rows[0].cells[0].paragraphs)


def test_executive_conference_notice_names_the_executive_committee_and_keeps_the_name(tree, users):
    meeting = do_create_meeting(
        kind="bch",
        title="Hội nghị lần thứ năm Ban Chấp hành Đảng bộ tỉnh khóa XX",
        date=dt.date(2026, 7, 20),
        organiser=tree.province,
        acting_user=users.province_admin,
        conclusions=[ConclusionSpec("Thống nhất chủ trương sắp xếp tổ chức bộ máy.", [])],
    )
    d = docx.Document(io.BytesIO(build_notice_docx(meeting, on=dt.date(2026, 7, 22))))
    text = "\n".join(p.text for p in d.paragraphs)
    assert (
        "kết luận của Ban Chấp hành Đảng bộ tỉnh Hà Tĩnh tại Hội nghị lần thứ năm Ban Chấp hành Đảng bộ tỉnh khóa XX"
        in text
    )
    assert "Ngày 20 tháng 7 năm 2026, Tỉnh ủy Hà Tĩnh tổ chức Hội nghị lần thứ năm Ban Chấp hành" in text
    assert "Sau khi nghe các ý kiến phát biểu, Ban Chấp hành Đảng bộ tỉnh Hà Tĩnh kết luận như sau:" in text
    assert "Ban Thường vụ" not in text
    assert "ban chấp hành" not in text  # never lower-cased


def test_standing_committee_meeting_kind_keeps_its_capitals(tree, users):
    meeting = do_create_meeting(
        kind="btv",
        title="Phiên họp thường kỳ tháng 7 năm 2026",
        date=dt.date(2026, 7, 20),
        organiser=tree.commune_a,
        acting_user=users.province_admin,
    )
    d = docx.Document(io.BytesIO(build_notice_docx(meeting, on=dt.date(2026, 7, 22))))
    text = "\n".join(p.text for p in d.paragraphs)
    assert "tổ chức hội nghị Ban Thường vụ: Phiên họp thường kỳ tháng 7 năm 2026" in text
    assert "kết luận của Ban Thường vụ Đảng ủy tại Phiên họp thường kỳ tháng 7 năm 2026" in text
