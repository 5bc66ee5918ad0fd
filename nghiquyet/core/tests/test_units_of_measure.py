"""Units typed after a number, converted to a target's unit of measure, and
figures shown rounded for their kind (pure: no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from nghiquyet.core.numbers import (
    NumberError,
    convert_to_measure,
    format_figure,
    measure_nouns,
    parse_quantity,
    stored_figure,
)


@pytest.mark.parametrize(
    ("value", "typed", "measure", "expected"),
    [
        (D("4.25"), "triệu đồng", "tỷ đồng", D("0.00425")),  # 4.250.000 đồng
        (D("4.25"), "triệu", "tỷ đồng", D("0.00425")),  # a bare scale: of the measure's base
        (D("3"), "tỷ", "triệu đồng", D(3000)),
        (D("1.5"), "nghìn tỷ đồng", "tỷ đồng", D(1500)),
        (D("2"), "Tỷ Đồng", "tỷ đồng", D(2)),  # case does not matter
        (D("12"), "‰", "%", D("1.2")),
        (D("0.5"), "%", "‰", D(5)),
        (D("3"), "km²", "ha", D(300)),
        (D("250"), "ha", "km²", D("2.5")),
        (D("5000"), "m2", "ha", D("0.5")),
        (D("2.5"), "km", "m", D(2500)),
        (D("3"), "tấn", "kg", D(3000)),
        (D("1.5"), "nghìn", "hộ", D(1500)),
        (D("1.5"), "nghìn hộ", "hộ", D(1500)),
        (D("7"), "xã", "xã, phường", D(7)),
        (D("7"), "phường", "xã, phường", D(7)),
        (D("95"), "triệu đồng/người", "triệu đồng/người", D(95)),
        (D("95"), "triệu đồng", "triệu đồng/người", D(95)),
        (D("0.1"), "tỷ đồng/người", "triệu đồng/người", D(100)),
        (D("12"), "", "hộ", D(12)),
    ],
)
def test_a_known_multiple_converts(value, typed, measure, expected):
    assert convert_to_measure(value, typed, measure) == expected


@pytest.mark.parametrize(
    ("typed", "measure"),
    [
        ("km", "hộ"),
        ("người", "tỷ đồng"),
        ("%", "tỷ đồng"),
        ("ha", "km"),
        ("hộ", "%"),
        ("đảng viên", "người"),
        ("triệu đồng/hộ", "triệu đồng/người"),
        ("USD", "tỷ đồng"),
        ("%", ""),  # no measure stated: a dimension cannot be checked
    ],
)
def test_another_unit_is_refused_naming_the_one_expected(typed, measure):
    with pytest.raises(NumberError) as exc:
        convert_to_measure(D(12), typed, measure)
    expected = f"“{measure}”" if measure else "số không kèm đơn vị"
    assert str(exc.value) == f"Đơn vị “{typed}” không phù hợp: chỉ tiêu này tính bằng {expected}."


def test_a_conversion_needing_more_than_ten_places_is_refused():
    # 0,5 đồng = 0,0000000005 tỷ: ten places, kept; 0,05 đồng needs eleven.
    assert convert_to_measure(D("0.5"), "đồng", "tỷ đồng") == D("0.0000000005")
    with pytest.raises(NumberError, match="không lưu đủ"):
        convert_to_measure(D("0.05"), "đồng", "tỷ đồng")


@pytest.mark.parametrize("text", ["1e3", "1E3", "2e-1", "1/2", "1 / 2", "3:4", "2^3", "2 x 3"])
def test_exponents_fractions_and_products_are_not_numbers(text):
    with pytest.raises(NumberError, match="không dùng lũy thừa, phân số"):
        parse_quantity(text)
    with pytest.raises(NumberError, match="Không đọc được số"):
        parse_quantity("5²")


def test_units_after_a_number_still_read():
    assert parse_quantity("4,25 triệu đồng") == (D("4.25"), "triệu đồng")
    assert parse_quantity("3 km²") == (D(3), "km²")
    assert parse_quantity("1.000/tháng") == (D(1000), "/tháng")


def test_measure_nouns_name_what_a_count_counts():
    assert measure_nouns("xã, phường") == {"xã", "phường"}
    assert measure_nouns("Xã") == {"xã"}
    assert measure_nouns("tỷ đồng") == frozenset()
    assert measure_nouns("nghìn hộ") == frozenset()
    assert measure_nouns("%") == frozenset()


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (D("93.3788"), "percent", "93,38"),
        (D("96.3000"), "percent", "96,3"),
        (D("100.0000"), "percent", "100"),
        (D("0.005"), "percent", "0,01"),
        (D("12.0000000000"), "integer", "12"),
        (D("12.5"), "integer", "12,5"),
        (D("2989"), "integer", "2.989"),
        (D("13919.7468"), "number", "13.919,75"),
        (D("0.00425"), "number", "0,00425"),
        (D("0.123456"), "number", "0,123"),
        (D("-0.5"), "number", "-0,5"),
        (D("0"), "number", "0"),
        (None, "number", ""),
    ],
)
def test_figures_are_shown_rounded_for_their_kind(value, kind, shown):
    assert format_figure(value, kind) == shown


@pytest.mark.parametrize(
    ("value", "handed_on"),
    [
        (D("5.0000000000"), "5.0000"),
        (D("0.0042500000"), "0.00425"),
        (D("2989.1234000000"), "2989.1234"),
        (D("12.50"), "12.50"),  # a column of two places is left as it is
        (D("7"), "7"),
    ],
)
def test_stored_figures_are_handed_on_with_every_digit_and_four_places(value, handed_on):
    assert str(stored_figure(value)) == handed_on
