from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.core.dates import (
    DateError,
    format_date,
    format_date_long,
    format_date_official,
    format_datetime,
    format_place_date,
    parse_date,
    weekday_name,
)


@pytest.mark.parametrize(
    ("d", "short", "official", "long"),
    [
        (date(2023, 2, 5), "05/02/2023", "05/02/2023", "ngày 05 tháng 02 năm 2023"),
        (date(2026, 3, 15), "15/03/2026", "15/3/2026", "ngày 15 tháng 3 năm 2026"),
        (date(2020, 1, 1), "01/01/2020", "01/01/2020", "ngày 01 tháng 01 năm 2020"),
        (date(2020, 3, 1), "01/03/2020", "01/3/2020", "ngày 01 tháng 3 năm 2020"),
        (date(2020, 6, 30), "30/06/2020", "30/6/2020", "ngày 30 tháng 6 năm 2020"),
        (date(2020, 9, 9), "09/09/2020", "09/9/2020", "ngày 09 tháng 9 năm 2020"),
        (date(2020, 10, 10), "10/10/2020", "10/10/2020", "ngày 10 tháng 10 năm 2020"),
        (date(2020, 12, 31), "31/12/2020", "31/12/2020", "ngày 31 tháng 12 năm 2020"),
    ],
)
def test_formats(d, short, official, long):
    # Nghị định 30/2020: a leading zero on days below 10 and on months 1 and 2 only.
    assert format_date(d) == short
    assert format_date_official(d) == official
    assert format_date_long(d) == long


def test_format_date_none_is_empty():
    assert format_date(None) == ""
    assert format_datetime(None) == ""


def test_format_place_date():
    assert format_place_date("Hà Tĩnh", date(2026, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2026"
    assert format_place_date(" Hà Nội ", date(2026, 3, 15)) == "Hà Nội, ngày 15 tháng 3 năm 2026"


def test_format_datetime():
    assert format_datetime(datetime(2023, 2, 5, 14, 5)) == "14:05 05/02/2023"
    # An aware datetime is shown in Vietnam time (UTC+7).
    assert format_datetime(datetime(2023, 2, 5, 7, 5, tzinfo=UTC)) == "14:05 05/02/2023"
    assert format_datetime(datetime(2023, 2, 4, 20, 0, tzinfo=UTC)) == "03:00 05/02/2023"
    assert (
        format_datetime(datetime(2023, 2, 5, 9, 5, tzinfo=timezone(timedelta(hours=9)))) == "07:05 05/02/2023"
    )


@pytest.mark.parametrize(
    ("d", "name"),
    [
        (date(2024, 1, 1), "Thứ Hai"),
        (date(2024, 1, 3), "Thứ Tư"),
        (date(2024, 1, 6), "Thứ Bảy"),
        (date(2024, 1, 7), "Chủ nhật"),
    ],
)
def test_weekday_name(d, name):
    assert weekday_name(d) == name


@pytest.mark.parametrize(
    "text",
    [
        "30/6/2020",
        "30/06/2020",
        "30-6-2020",
        "30.6.2020",
        "30 / 6 / 2020",
        "ngày 30 tháng 6 năm 2020",
        "Ngày 30 tháng 06 năm 2020",
        "NGÀY 30 THÁNG 6 NĂM 2020",
        "30 tháng 6 năm 2020",
        "ngay 30 thang 6 nam 2020",
        "ngày 30 tháng 6/2020",
        "2020-06-30",
        "2020-06-30T10:00:00",
        "2020-06-30 10:00:00+07:00",
        "  30/6/2020. ",
    ],
)
def test_parse_date_forms(text):
    assert parse_date(text) == date(2020, 6, 30)


def test_parse_date_passes_dates_through():
    assert parse_date(date(2020, 6, 30)) == date(2020, 6, 30)
    assert parse_date(datetime(2020, 6, 30, 10, 0)) == date(2020, 6, 30)


def test_parse_date_is_day_first():
    assert parse_date("05/02/2023") == date(2023, 2, 5)
    assert parse_date("12/1/2023") == date(2023, 1, 12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập ngày"),
        ("abc", 'Không đọc được ngày "abc"'),
        ("30/6/20", 'Không đọc được ngày "30/6/20"'),  # two-digit year: not guessed
        ("6/30/2020", 'Ngày "6/30/2020" không tồn tại'),
        ("31/4/2020", 'Ngày "31/4/2020" không tồn tại'),
        ("29/2/2023", 'Ngày "29/2/2023" không tồn tại'),
        ("ngày 32 tháng 1 năm 2020", "không tồn tại"),
        ("30/6-2020", "Không đọc được ngày"),
        (None, "Không đọc được ngày"),
    ],
)
def test_parse_date_refuses_in_vietnamese(text, message):
    with pytest.raises(DateError) as exc:
        parse_date(text)
    assert message in str(exc.value)


def test_date_error_is_a_value_error():
    assert issubclass(DateError, ValueError)


dates = st.dates(date(1900, 1, 1), date(2200, 12, 31))


@given(dates)
def test_every_format_parses_back(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(format_date_official(d)) == d
    assert parse_date(format_date_long(d)) == d
    assert parse_date(d.isoformat()) == d


@given(st.text(max_size=30))
def test_parse_never_fails_other_than_date_error(text):
    try:
        parse_date(text)
    except DateError:
        pass
