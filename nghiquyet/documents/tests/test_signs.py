import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.documents.signs import (
    DOCUMENT_KINDS,
    KIND_ABBR,
    DocumentSign,
    SignError,
    kind_from_abbr,
    kind_label,
    parse_sign,
)

S = DocumentSign


@pytest.mark.parametrize(
    ("text", "sign", "kind"),
    [
        ("79-CTr/TU", S("79", "CTr", "TU", None, "party"), "chuong_trinh"),
        ("04-NQ/TW", S("04", "NQ", "TW", None, "party"), "nghi_quyet"),
        ("470-QĐNS/TW", S("470", "QĐNS", "TW", None, "party"), "quyet_dinh"),
        ("05-CT/TW", S("05", "CT", "TW", None, "party"), "chi_thi"),
        ("12-NQ/ĐU", S("12", "NQ", "ĐU", None, "party"), "nghi_quyet"),
        ("35-KL/TW", S("35", "KL", "TW", None, "party"), "ket_luan"),
        ("08-QĐi/TW", S("08", "QĐi", "TW", None, "party"), "quy_dinh"),
        ("15-TT/TU", S("15", "TT", "TU", None, "party"), "thong_tri"),
        ("45-HD/BTCTW", S("45", "HD", "BTCTW", None, "party"), "huong_dan"),
        ("120-BC/HU", S("120", "BC", "HU", None, "party"), "bao_cao"),
        ("300-CV/TU", S("300", "CV", "TU", None, "party"), "cong_van"),
        ("36/QĐ-UBND", S("36", "QĐ", "UBND", None, "state"), "quyet_dinh"),
        ("01/CT-UBND", S("01", "CT", "UBND", None, "state"), "chi_thi"),
        ("09/2019/NĐ-CP", S("09", "NĐ", "CP", 2019, "state"), "nghi_dinh"),
        ("15/2023/TT-BTC", S("15", "TT", "BTC", 2023, "state"), "thong_tu"),
        ("25/2021/QĐ-UBND", S("25", "QĐ", "UBND", 2021, "state"), "quyet_dinh"),
        ("36/QĐ-TTg", S("36", "QĐ", "TTg", None, "state"), "quyet_dinh"),
        ("123/KH-UBND", S("123", "KH", "UBND", None, "state"), "ke_hoach"),
        ("12/QyĐ-UBND", S("12", "QyĐ", "UBND", None, "state"), "quy_dinh"),
        ("123/UBND-VX", S("123", "", "UBND-VX", None, "state"), "cong_van"),
        ("59/2020/QH14", S("59", "", "QH14", 2020, "state"), "luat"),
    ],
)
def test_signs_both_ways(text, sign, kind):
    parsed = parse_sign(text)
    assert parsed == sign
    assert parsed.format() == text
    assert str(parsed) == text
    assert parsed.kind == kind


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("05 - CT/TW", "05-CT/TW"),
        ("470- QĐNS/TW", "470-QĐNS/TW"),
        ("Số 79-CTr/TU", "79-CTr/TU"),
        ("số: 79-CTr/TU", "79-CTr/TU"),
        ("Số:79-CTr/TU", "79-CTr/TU"),
        ("SỐ 79 - CTr / TU", "79-CTr/TU"),
        ("Số: 36/QĐ-UBND", "36/QĐ-UBND"),
        ("Số: 36 / QĐ - UBND", "36/QĐ-UBND"),
        ("Chương trình số 79-CTr/TU", "79-CTr/TU"),
        ("Chỉ thị số 05-CT/TW", "05-CT/TW"),
        ("Quyết định 36/QĐ-UBND", "36/QĐ-UBND"),
        ("Nghị định số 09/2019/NĐ-CP", "09/2019/NĐ-CP"),
        ("Luật số 59/2020/QH14", "59/2020/QH14"),
        ("79\u2013CTr/TU", "79-CTr/TU"),  # en dash typed by Word
        ("79-ctr/tu", "79-CTr/TU"),
        ("36/qđ-ubnd", "36/QĐ-UBND"),
        ("12-NQ/\u00d0U", "12-NQ/ĐU"),  # "Ð" (eth) from old TCVN3 text
        ("  04-NQ/TW.  ", "04-NQ/TW"),
    ],
)
def test_tolerant_input(text, canonical):
    assert parse_sign(text).format() == canonical


@pytest.mark.parametrize(
    "text",
    ["", "abc", "NQ 04", "79/", "79-/TU", "79-CTr", "79-CTr/", "Báo Nhân Dân 79-CTr/TU", "36/0000/QĐ-UBND"],
)
def test_bad_signs_are_refused_in_vietnamese(text):
    with pytest.raises(SignError) as exc:
        parse_sign(text)
    assert "Không đọc được số ký hiệu văn bản" in str(exc.value)


def test_sign_error_is_a_value_error():
    assert issubclass(SignError, ValueError)


def test_sign_must_be_complete():
    with pytest.raises(SignError):
        DocumentSign("79", "", "TU", None, "party")
    with pytest.raises(SignError):
        DocumentSign("", "NQ", "TW")
    with pytest.raises(SignError):
        DocumentSign("1", "NQ", "TW", None, "other")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("abbr", "style", "kind"),
    [
        ("NQ", None, "nghi_quyet"),
        ("CTr", None, "chuong_trinh"),
        ("CT", None, "chi_thi"),
        ("KL", None, "ket_luan"),
        ("QĐ", None, "quyet_dinh"),
        ("QĐNS", None, "quyet_dinh"),
        ("QĐi", None, "quy_dinh"),
        ("QyĐ", None, "quy_dinh"),
        ("HD", None, "huong_dan"),
        ("TB", None, "thong_bao"),
        ("BC", None, "bao_cao"),
        ("KH", None, "ke_hoach"),
        ("TTr", None, "to_trinh"),
        ("CV", None, "cong_van"),
        ("NĐ", None, "nghi_dinh"),
        ("QH", None, "luat"),
        ("TT", "party", "thong_tri"),
        ("TT", "state", "thong_tu"),
        ("TT", None, None),  # ambiguous without the style
        ("TTLT", None, "thong_tu"),
        ("ctr", None, "chuong_trinh"),
        ("ĐA", None, None),  # đề án: real, not tracked
        ("XYZ", None, None),
        ("NĐ", "party", None),
    ],
)
def test_kind_from_abbr(abbr, style, kind):
    assert kind_from_abbr(abbr, style) == kind


def test_document_kinds():
    assert [code for code, _ in DOCUMENT_KINDS] == [
        "nghi_quyet",
        "chi_thi",
        "ket_luan",
        "chuong_trinh",
        "ke_hoach",
        "quyet_dinh",
        "quy_dinh",
        "huong_dan",
        "thong_bao",
        "bao_cao",
        "cong_van",
        "to_trinh",
        "thong_tri",
        "nghi_dinh",
        "thong_tu",
        "luat",
    ]
    assert kind_label("nghi_quyet") == "Nghị quyết"
    assert kind_label("chuong_trinh") == "Chương trình"
    assert kind_label("thong_tri") == "Thông tri"


@pytest.mark.parametrize("kind", [code for code, _ in DOCUMENT_KINDS])
def test_kind_abbr_reads_back(kind):
    abbrs = KIND_ABBR[kind]
    assert set(abbrs) == {"party", "state"}
    for style, abbr in abbrs.items():
        if abbr:
            assert kind_from_abbr(abbr, style) == kind


# -- properties ---------------------------------------------------------------

numbers = st.from_regex(r"\A[0-9]{1,4}\Z")
party_abbrs = st.sampled_from(
    [
        a
        for a in (
            "NQ",
            "CT",
            "KL",
            "CTr",
            "KH",
            "QĐ",
            "QĐNS",
            "QĐi",
            "HD",
            "TB",
            "BC",
            "CV",
            "TTr",
            "TT",
            "ĐA",
        )
    ]
)
state_abbrs = st.sampled_from(
    ["NQ", "QĐ", "CT", "QyĐ", "TB", "HD", "CTr", "KH", "BC", "TTr", "NĐ", "TT", "TTLT"]
)
issuers = st.sampled_from(
    ["TW", "TU", "ĐU", "HU", "BTCTW", "UBND", "CP", "BTC", "TTg", "BNN-PTNT", "UBND-VX"]
)


@st.composite
def signs(draw):
    if draw(st.booleans()):
        return DocumentSign(draw(numbers), draw(party_abbrs), draw(issuers), None, "party")
    year = draw(st.none() | st.integers(1945, 2100))
    if draw(st.integers(0, 4)) == 0:
        # A công văn: the issuer comes first, then the drafting unit.
        return DocumentSign(
            draw(numbers), "", draw(st.sampled_from(["UBND-VX", "UBND-KT", "SGDĐT-VP"])), year, "state"
        )
    return DocumentSign(draw(numbers), draw(state_abbrs), draw(issuers), year, "state")


@given(signs())
def test_format_then_parse_is_identity(sign):
    assert parse_sign(sign.format()) == sign


@given(signs(), st.sampled_from(["Số ", "số: ", "Số:", "  "]))
def test_prefixed_and_spaced_signs_parse(sign, prefix):
    spaced = sign.format().replace("-", " - ").replace("/", " / ")
    assert parse_sign(prefix + spaced) == sign


@given(st.text(max_size=30))
def test_parse_never_fails_other_than_sign_error(text):
    try:
        parse_sign(text)
    except SignError:
        pass
