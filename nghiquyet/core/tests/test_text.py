import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.core.text import (
    fold,
    normalize_name,
    strip_diacritics,
    to_new_tone_style,
    vn_sort_key,
    vn_sorted,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Tỉnh uỷ", "Tỉnh ủy"),
        ("Tỉnh Uỷ", "Tỉnh Ủy"),
        ("TỈNH UỶ", "TỈNH ỦY"),
        ("hoà bình", "hòa bình"),
        ("Hoà", "Hòa"),
        ("khoẻ", "khỏe"),
        ("thuỷ lợi", "thủy lợi"),
        ("toà án", "tòa án"),
        ("hoá", "hóa"),
        ("loạ", "lọa"),
        # A following consonant keeps the mark where it is in both styles.
        ("hoàn thành", "hoàn thành"),
        ("quyết định", "quyết định"),
        ("khoán", "khoán"),
        # "qu" is one consonant: the mark of "quý", "Quỳnh" stays on y.
        ("Quý III", "Quý III"),
        ("Quỳnh Lưu", "Quỳnh Lưu"),
        ("", ""),
    ],
)
def test_old_tone_style_becomes_new(old, new):
    assert to_new_tone_style(old) == new


def test_tone_conversion_accepts_decomposed_input():
    assert to_new_tone_style(unicodedata.normalize("NFD", "Tỉnh uỷ")) == "Tỉnh ủy"


@given(st.text())
def test_tone_conversion_keeps_nfc_length_and_is_idempotent(text):
    once = to_new_tone_style(text)
    assert len(once) == len(unicodedata.normalize("NFC", text))
    assert to_new_tone_style(once) == once


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tỉnh Uỷ", "tinh uy"),
        ("Tỉnh ủy", "tinh uy"),
        ("  Đức   Thọ ", "duc tho"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_strip_diacritics_turns_d_bar_into_d():
    assert strip_diacritics("Đức Thọ, đảng") == "Duc Tho, dang"


def test_normalize_name_matches_both_tone_styles_but_keeps_tones():
    assert normalize_name("Tỉnh  Uỷ Hà Tĩnh") == normalize_name("tỉnh ủy hà tĩnh")
    assert normalize_name("Hà") != normalize_name("Hạ")


def test_vietnamese_alphabet_order():
    names = ["Ưng", "Uyên", "Ơn", "Ôn", "On", "Ê", "Đào", "Dũng", "Bình", "Ân", "Ăn", "An"]
    assert vn_sorted(names) == ["An", "Ăn", "Ân", "Bình", "Dũng", "Đào", "Ê", "On", "Ôn", "Ơn", "Uyên", "Ưng"]


def test_tones_order_after_letters():
    # Dictionary order of tones: ngang, huyền, hỏi, ngã, sắc, nặng.
    assert vn_sorted(["bạ", "bá", "bã", "bả", "bà", "ba"]) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    # The letter decides before the tone: "bà" < "bác" < "bạc" < "ban".
    assert vn_sorted(["ban", "bạc", "bác", "bà"]) == ["bà", "bác", "bạc", "ban"]


def test_d_bar_sorts_after_all_d_words():
    assert vn_sorted(["Đinh", "Dương", "Đào", "Duy"]) == ["Duy", "Dương", "Đào", "Đinh"]


def test_code_point_order_would_be_wrong():
    names = ["Đào", "Bình", "Ánh"]
    assert sorted(names) != vn_sorted(names)
    assert vn_sorted(names) == ["Ánh", "Bình", "Đào"]


def test_both_tone_styles_sort_together():
    assert vn_sort_key("Hoà Bình") == vn_sort_key("Hòa Bình")
    assert vn_sorted(["Hòa Lạc", "Hoà Bình", "Hoàng"], key=lambda s: s) == ["Hoà Bình", "Hòa Lạc", "Hoàng"]


def test_digits_before_letters_and_key_argument():
    units = [{"name": "Xã Đức Thọ"}, {"name": "Chi bộ 2"}, {"name": "Chi bộ 10"}, {"name": "Xã An Hòa"}]
    ordered = [u["name"] for u in vn_sorted(units, key=lambda u: u["name"])]
    assert ordered[0].startswith("Chi bộ")
    assert ordered[-2:] == ["Xã An Hòa", "Xã Đức Thọ"]


def test_lower_case_before_upper_case_when_otherwise_equal():
    assert vn_sorted(["An", "an"]) == ["an", "An"]


@given(st.lists(st.text(alphabet="aăâbdđeêoôơuưy àảãáạ", max_size=6), max_size=8))
def test_sort_key_is_a_total_order(words):
    once = vn_sorted(words)
    assert vn_sorted(once) == once
    assert sorted(once, key=vn_sort_key) == once
