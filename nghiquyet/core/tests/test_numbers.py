from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.core.numbers import NumberError, format_number, format_percent, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (2989, None, "2.989"),
        (48.93, None, "48,93"),
        (Decimal("48.93"), None, "48,93"),
        (Decimal("1234567.5"), None, "1.234.567,5"),
        (-1234567.5, None, "-1.234.567,5"),
        (0, None, "0"),
        (999, None, "999"),
        (1000, None, "1.000"),
        (1000000, None, "1.000.000"),
        (Decimal("2.50"), None, "2,5"),
        (Decimal("2.000"), None, "2"),
        (Decimal("1E+3"), None, "1.000"),
        (0.1, None, "0,1"),
        (48.9, 2, "48,90"),
        (2989, 2, "2.989,00"),
        (Decimal("95.45"), 1, "95,5"),  # half up, not banker's rounding
        (Decimal("95.44"), 1, "95,4"),
        (Decimal("-0.0001"), 2, "0,00"),  # never "-0,00"
        (1234.5678, 0, "1.235"),
        (None, None, ""),
        (None, 2, ""),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (95.4, 1, "95,4%"),
        (95.44, 1, "95,4%"),
        (100, 1, "100,0%"),
        (100, 0, "100%"),
        (Decimal("48.925"), 2, "48,93%"),
        (1234.5, 1, "1.234,5%"),
        (-3.25, None, "-3,25%"),
        (None, 1, ""),
    ],
)
def test_format_percent(value, decimals, text):
    assert format_percent(value, decimals) == text


def test_format_percent_default_is_one_decimal():
    assert format_percent(95.4) == "95,4%"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), True, object()])
def test_format_refuses_non_numbers(value):
    with pytest.raises(NumberError):
        format_number(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.989", "2989"),
        ("48,93", "48.93"),
        ("1.234.567,5", "1234567.5"),
        ("2989", "2989"),
        ("48.93", "48.93"),  # one dot not followed by exactly 3 digits: a decimal point
        ("1.5", "1.5"),
        ("1.2345", "1.2345"),
        ("1234.567", "1234.567"),  # "1234" cannot start a thousands group
        ("0.500", "0.5"),  # nor can "0"
        ("2 989", "2989"),
        ("2\u00a0989", "2989"),
        ("1\u202f234\u202f567,5", "1234567.5"),
        ("1 234 567", "1234567"),
        ("+5", "5"),
        ("-5", "-5"),
        ("\u22125", "-5"),
        ("- 1.234,5", "-1234.5"),
        ("95,4%", "95.4"),
        ("95,4 %", "95.4"),
        ("  2.989  ", "2989"),
        ("2.989 đảng viên", "2989"),
        ("12,5 tỷ đồng", "12.5"),
        ("0", "0"),
        ("0,5", "0.5"),
        ("1,234,567.5", "1234567.5"),  # English with both separators: no other reading
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == Decimal(value)


def test_ambiguous_single_dot_follows_vietnamese_convention():
    assert parse_number("2.989") == 2989
    assert parse_number("1.000") == 1000


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("2.989 đảng viên", "2989", "đảng viên"),
        ("95,4%", "95.4", "%"),
        ("12,5 tỷ đồng", "12.5", "tỷ đồng"),
        ("5km", "5", "km"),
        ("504", "504", ""),
        ("1.234 ha", "1234", "ha"),
        ("70 %", "70", "%"),
    ],
)
def test_parse_quantity_returns_the_unit(text, value, unit):
    assert parse_quantity(text) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", 'Không đọc được số "abc"'),
        ("1,2,3", 'Không đọc được số "1,2,3"'),
        ("", "Chưa nhập số"),
        ("   ", "Chưa nhập số"),
        ("1.2.3", "dấu chấm phải ngăn cách hàng nghìn"),
        ("1.23.456", "dấu chấm phải ngăn cách hàng nghìn"),
        ("12 3", "khoảng trắng chỉ dùng để ngăn cách hàng nghìn"),
        ("1,2.3", "Không đọc được số"),
        ("1.234,5,6", "Không đọc được số"),
        ("1,234,567", "chỉ được có một dấu phẩy thập phân"),
        ("%", "Không đọc được số"),
        ("-", "Không đọc được số"),
        ("1..2", "Không đọc được số"),
        ("đảng viên 5", "Không đọc được số"),
        ("--5", "Không đọc được số"),
    ],
)
def test_parse_refuses_garbage_in_vietnamese(text, message):
    with pytest.raises(NumberError) as exc:
        parse_number(text)
    assert message in str(exc.value)


def test_number_error_is_a_value_error():
    assert issubclass(NumberError, ValueError)


def test_parse_accepts_numbers_from_spreadsheet_cells():
    assert parse_number(2989) == 2989
    assert parse_number(48.93) == Decimal("48.93")
    assert parse_number(Decimal("1.5")) == Decimal("1.5")


decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), allow_nan=False, allow_infinity=False, places=4
)


@given(decimals)
def test_format_then_parse_is_identity(value):
    assert parse_number(format_number(value)) == value


@given(decimals, st.integers(0, 4))
def test_format_with_decimals_then_parse_is_rounding(value, places):
    text = format_number(value, places)
    assert parse_number(text) == value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
    if places:
        assert len(text.rsplit(",", 1)[1]) == places


@given(st.integers(-(10**15), 10**15))
def test_integers_round_trip_with_dot_groups(value):
    text = format_number(value)
    assert "," not in text
    assert parse_number(text) == value


@given(decimals, st.sampled_from(["%", "đảng viên", "tỷ đồng", "ha"]))
def test_percent_and_units_round_trip(value, unit):
    assert parse_quantity(f"{format_number(value)} {unit}") == (value, unit)


@given(st.text(max_size=20))
def test_parse_never_fails_other_than_number_error(text):
    try:
        parse_quantity(text)
    except NumberError:
        pass
