"""Reading inputs: encodings, legacy Vietnamese, HTML, binary."""

from __future__ import annotations

import codecs

import pytest

from nghiquyet.ingestion.pipeline import extract_bytes
from nghiquyet.ingestion.pipeline.decode import DecodeError, decode_bytes
from nghiquyet.ingestion.pipeline.legacy import (
    tcvn3_to_unicode,
    unicode_to_tcvn3,
    unicode_to_vni,
    vni_to_unicode,
)
from nghiquyet.ingestion.pipeline.tests.conftest import CORPUS

SAMPLE = "Đồng chí Nguyễn Văn Hòa, Bí thư Tỉnh ủy chủ trì hội nghị ngày 30/6/2020 với 21 điểm cầu."


def test_utf8_with_and_without_bom_read_the_same():
    assert decode_bytes(SAMPLE.encode()).text == SAMPLE
    assert decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode()).text == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read(encoding):
    assert decode_bytes(SAMPLE.encode(encoding)).text == SAMPLE


def test_tcvn3_file_is_converted():
    decoded = decode_bytes((CORPUS / "08_van_ban_tcvn3.txt").read_bytes())
    assert decoded.encoding == "tcvn3"
    assert "Bí thư Huyện ủy" in decoded.text and "Đồng chí Mai Xuân Trường" in decoded.text


def test_vni_file_is_converted():
    decoded = decode_bytes((CORPUS / "09_van_ban_vni.txt").read_bytes())
    assert decoded.encoding == "vni"
    assert "Đồng chí Lưu Thị Nga, Bí thư Chi bộ" in decoded.text


def test_legacy_tables_round_trip_every_lowercase_letter():
    letters = "aàảãáạăằẳẵắặâầẩẫấậđeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
    assert tcvn3_to_unicode(unicode_to_tcvn3(letters).decode("latin-1")) == letters
    assert vni_to_unicode(unicode_to_vni(letters).decode("latin-1")) == letters
    assert vni_to_unicode(unicode_to_vni(letters.upper()).decode("latin-1")) == letters.upper()


def test_legacy_gibberish_stored_as_utf8_is_converted():
    gibberish = unicode_to_tcvn3(SAMPLE).decode("latin-1").encode("utf-8")
    assert decode_bytes(gibberish).text == SAMPLE


def test_binary_is_a_clear_error():
    with pytest.raises(DecodeError):
        decode_bytes(bytes(range(256)) * 10)
    with pytest.raises(DecodeError):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))


def test_html_goes_through_the_parser_and_spans_point_into_its_text():
    html = (
        "<html><body><nav>Trang chủ</nav><h1>Tin tức</h1><p>Đồng chí <b>Trần Văn Bình</b>, "
        "Bí thư Huyện ủy phát biểu.</p><script>var a='Nguyễn Văn Sai';</script></body></html>"
    )
    decoded = decode_bytes(html.encode())
    assert decoded.is_html
    assert decoded.text == "Tin tức\nĐồng chí Trần Văn Bình, Bí thư Huyện ủy phát biểu."
    facts = extract_bytes(html.encode(), "a.html")
    (person,) = facts["people"]
    s, e = person["spans"][0]
    assert decoded.text[s:e] == "Trần Văn Bình"
    assert person["titles"] == ["Bí thư Huyện ủy"]


def test_empty_input_gives_empty_facts():
    facts = extract_bytes(b"", "empty.txt")
    assert facts["people"] == [] and facts["documents"] == [] and facts["title"] is None
