from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nghiquyet.core.periods import (
    Period,
    PeriodError,
    PeriodKind,
    current_period,
    format_period,
    parse_period,
    parse_period_key,
    periods_between,
)

D = date

CANONICAL = [
    (Period.month(2024, 3), "Tháng 3/2024", "2024-M03", D(2024, 3, 1), D(2024, 3, 31)),
    (Period.month(2024, 2), "Tháng 2/2024", "2024-M02", D(2024, 2, 1), D(2024, 2, 29)),
    (Period.month(2023, 12), "Tháng 12/2023", "2023-M12", D(2023, 12, 1), D(2023, 12, 31)),
    (Period.quarter(2020, 3), "Quý III/2020", "2020-Q3", D(2020, 7, 1), D(2020, 9, 30)),
    (Period.quarter(2020, 1), "Quý I/2020", "2020-Q1", D(2020, 1, 1), D(2020, 3, 31)),
    (Period.quarter(2020, 4), "Quý IV/2020", "2020-Q4", D(2020, 10, 1), D(2020, 12, 31)),
    (Period.half(2020, 1), "6 tháng đầu năm 2020", "2020-H1", D(2020, 1, 1), D(2020, 6, 30)),
    (Period.half(2020, 2), "6 tháng cuối năm 2020", "2020-H2", D(2020, 7, 1), D(2020, 12, 31)),
    (Period.nine_months(2024), "9 tháng năm 2024", "2024-9M", D(2024, 1, 1), D(2024, 9, 30)),
    (Period.year(2021), "Năm 2021", "2021", D(2021, 1, 1), D(2021, 12, 31)),
    (Period.term(2020, 2025), "Nhiệm kỳ 2020–2025", "T2020-2025", D(2020, 1, 1), D(2025, 12, 31)),
    (Period.mid_term(2020, 2025), "Giữa nhiệm kỳ 2020–2025", "MT2020-2025", D(2020, 1, 1), D(2022, 6, 30)),
    (
        Period.custom(D(2020, 3, 1), D(2020, 8, 31)),
        "01/3/2020 – 31/8/2020",
        "2020-03-01..2020-08-31",
        D(2020, 3, 1),
        D(2020, 8, 31),
    ),
    (
        Period.custom(D(2023, 1, 5), D(2023, 2, 9)),
        "05/01/2023 – 09/02/2023",
        "2023-01-05..2023-02-09",
        D(2023, 1, 5),
        D(2023, 2, 9),
    ),
    (
        Period.custom(D(2025, 10, 15), D(2026, 11, 30)),
        "15/10/2025 – 30/11/2026",
        "2025-10-15..2026-11-30",
        D(2025, 10, 15),
        D(2026, 11, 30),
    ),
]


@pytest.mark.parametrize(("period", "label", "key", "start", "end"), CANONICAL)
def test_canonical_label_and_key_both_ways(period, label, key, start, end):
    assert (period.start, period.end) == (start, end)
    assert format_period(period) == label
    assert period.label == label
    assert str(period) == label
    assert parse_period(label) == period
    assert period.key() == key
    assert parse_period_key(key) == period
    assert parse_period(key) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tháng 3/2024", Period.month(2024, 3)),
        ("tháng 03 năm 2024", Period.month(2024, 3)),
        ("THÁNG 3 / 2024", Period.month(2024, 3)),
        ("  tháng   3/2024 ", Period.month(2024, 3)),
        ("thang 3-2024", Period.month(2024, 3)),
        ("Quý III/2020", Period.quarter(2020, 3)),
        ("quý 3/2020", Period.quarter(2020, 3)),
        ("Quý III năm 2020", Period.quarter(2020, 3)),
        ("quý iii năm 2020", Period.quarter(2020, 3)),
        ("Quí IV/2020", Period.quarter(2020, 4)),  # old spelling
        ("Quy II/2021", Period.quarter(2021, 2)),  # typed without diacritics
        ("quý I - 2021", Period.quarter(2021, 1)),
        ("6 tháng đầu năm 2020", Period.half(2020, 1)),
        ("6 THÁNG ĐẦU NĂM 2020", Period.half(2020, 1)),
        ("sáu tháng đầu năm 2020", Period.half(2020, 1)),
        ("6 tháng năm 2020", Period.half(2020, 1)),
        ("6 tháng cuối năm 2020", Period.half(2020, 2)),
        ("9 tháng năm 2024", Period.nine_months(2024)),
        ("9 tháng đầu năm 2024", Period.nine_months(2024)),
        ("Năm 2021", Period.year(2021)),
        ("năm  2021", Period.year(2021)),
        ("Nhiệm kỳ 2020–2025", Period.term(2020, 2025)),
        ("Nhiệm kỳ 2020 - 2025", Period.term(2020, 2025)),
        ("nhiệm kỳ 2020-2025", Period.term(2020, 2025)),
        ("Nhiệm kỳ 2020—2025", Period.term(2020, 2025)),
        ("Nhiệm kỳ 2015 – 2020", Period.term(2015, 2020)),
        ("Giữa nhiệm kỳ 2020–2025", Period.mid_term(2020, 2025)),
        ("giữa nhiệm kỳ 2020 - 2025", Period.mid_term(2020, 2025)),
        ("01/3/2020 – 31/8/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
        ("01/3/2020 - 31/8/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
        ("1/3/2020-31/8/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
        ("01/03/2020 – 31/08/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
        ("từ 01/3/2020 đến 31/8/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
        ("Từ ngày 01/3/2020 đến ngày 31/8/2020", Period.custom(D(2020, 3, 1), D(2020, 8, 31))),
    ],
)
def test_parse_label_variants(text, expected):
    assert parse_period(text) == expected


def test_old_and_new_tone_styles_read_the_same():
    # "Qúy" is a common mis-typing with the mark on the u.
    assert parse_period("Qúy II/2020") == parse_period("Quý II/2020")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Quy 5/2020", "Quý 5 không hợp lệ"),
        ("Quý V/2020", "quý V không hợp lệ"),
        ("Quý 0/2020", "Quý 0 không hợp lệ"),
        ("Tháng 13/2020", "Tháng 13 không hợp lệ"),
        ("Tháng 0/2020", "Tháng 0 không hợp lệ"),
        ("Nhiệm kỳ 2025–2020", "năm cuối phải sau năm đầu"),
        ("Giữa nhiệm kỳ 2020–2024", "chỉ áp dụng cho nhiệm kỳ 5 năm"),
        ("31/8/2020 – 01/3/2020", "sau ngày kết thúc"),
        ("30/2/2020 – 01/3/2020", "ngày không tồn tại"),
        ("Năm 1800", "Năm 1800 không hợp lệ"),
    ],
)
def test_out_of_range_labels_are_refused_in_vietnamese(text, detail):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    message = str(exc.value)
    assert message.startswith(f'Không hiểu kỳ báo cáo "{text}"')
    assert detail in message


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "Quý", "2020", "Tháng 3", "Quý III/20", "7 tháng năm 2024"]
)
def test_garbage_is_refused(text):
    if text == "2020":
        assert parse_period(text) == Period.year(2020)  # a bare year is the year key
        return
    with pytest.raises(PeriodError, match="Không hiểu kỳ báo cáo"):
        parse_period(text)


def test_error_message_quotes_the_input():
    with pytest.raises(PeriodError) as exc:
        parse_period("Quy 5/2020")
    assert 'Không hiểu kỳ báo cáo "Quy 5/2020"' in str(exc.value)


@pytest.mark.parametrize(
    "key", ["", "2020-Q5", "2020-M13", "2020-H3", "T2025-2020", "2020-13-01..2020-12-31", "x"]
)
def test_bad_keys_are_refused(key):
    with pytest.raises(PeriodError):
        parse_period_key(key)


def test_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


def test_kind_is_a_string_enum():
    assert PeriodKind.NINE_MONTHS == "nine_months"
    assert [k.value for k in PeriodKind] == [
        "month",
        "quarter",
        "half",
        "nine_months",
        "year",
        "mid_term",
        "term",
        "custom",
    ]


def test_direct_construction_is_checked():
    assert Period(D(2020, 7, 1), D(2020, 9, 30), PeriodKind.QUARTER) == Period.quarter(2020, 3)
    assert Period(D(2020, 7, 1), D(2020, 9, 30), "quarter").kind is PeriodKind.QUARTER
    with pytest.raises(PeriodError, match="không phải là một kỳ loại quý"):
        Period(D(2020, 7, 1), D(2020, 10, 31), PeriodKind.QUARTER)
    with pytest.raises(PeriodError):
        Period(D(2020, 2, 1), D(2020, 4, 30), PeriodKind.QUARTER)
    with pytest.raises(PeriodError, match="sau ngày kết thúc"):
        Period.custom(D(2020, 2, 1), D(2020, 1, 1))
    with pytest.raises(PeriodError):
        Period(D(2020, 1, 1), D(2020, 1, 31), "week")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Period.month(2020, 13), "Tháng 13"),
        (lambda: Period.quarter(2020, 5), "Quý 5"),
        (lambda: Period.half(2020, 3), "Nửa năm 3"),
        (lambda: Period.term(2020, 2020), "Nhiệm kỳ 2020–2020"),
        (lambda: Period.mid_term(2021, 2026 + 1), "Giữa nhiệm kỳ"),
    ],
)
def test_constructors_refuse_bad_input(call, message):
    with pytest.raises(PeriodError, match=message):
        call()


def test_year_is_a_constructor_on_the_class_and_the_end_year_on_instances():
    assert Period.year(2021).year == 2021
    assert Period.quarter(2020, 3).year == 2020
    assert Period.term(2020, 2025).year == 2025
    assert Period.custom(D(2019, 12, 1), D(2020, 1, 31)).year == 2020


@pytest.mark.parametrize(
    ("period", "index"),
    [
        (Period.month(2024, 11), 11),
        (Period.quarter(2024, 2), 2),
        (Period.half(2024, 2), 2),
        (Period.year(2024), None),
        (Period.nine_months(2024), None),
        (Period.term(2020, 2025), None),
    ],
)
def test_index_within_year(period, index):
    assert period.index == index
    assert period.ordinal == index


def test_term_years():
    assert Period.term(2020, 2025).term_years == (2020, 2025)
    assert Period.mid_term(2020, 2025).term_years == (2020, 2025)
    assert Period.year(2020).term_years is None


def test_contains_and_overlaps():
    year = Period.year(2020)
    q3 = Period.quarter(2020, 3)
    assert year.contains(q3)
    assert not q3.contains(year)
    assert year.contains(year)
    assert year.contains(D(2020, 2, 29))
    assert not year.contains(D(2021, 1, 1))
    assert Period.term(2020, 2025).contains(Period.mid_term(2020, 2025))
    directive = Period.custom(D(2020, 3, 1), D(2020, 8, 31))
    assert directive.overlaps(q3)
    assert not directive.overlaps(Period.quarter(2020, 4))
    assert not directive.contains(q3)
    assert Period.quarter(2020, 2).overlaps(directive)


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.month(2020, 1), Period.month(2019, 12)),
        (Period.month(2020, 3), Period.month(2020, 2)),
        (Period.quarter(2020, 1), Period.quarter(2019, 4)),
        (Period.quarter(2020, 3), Period.quarter(2020, 2)),
        (Period.half(2020, 1), Period.half(2019, 2)),
        (Period.half(2020, 2), Period.half(2020, 1)),
        (Period.nine_months(2020), Period.nine_months(2019)),
        (Period.year(2020), Period.year(2019)),
        (Period.term(2020, 2025), Period.term(2015, 2020)),
        (Period.term(2021, 2026), Period.term(2016, 2021)),
        (Period.mid_term(2020, 2025), Period.mid_term(2015, 2020)),
        (
            Period.custom(D(2020, 3, 1), D(2020, 3, 10)),
            Period.custom(D(2020, 2, 20), D(2020, 2, 29)),
        ),
    ],
)
def test_previous(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("period", "last_year"),
    [
        (Period.month(2020, 2), Period.month(2019, 2)),
        (Period.quarter(2020, 3), Period.quarter(2019, 3)),
        (Period.half(2020, 2), Period.half(2019, 2)),
        (Period.nine_months(2020), Period.nine_months(2019)),
        (Period.year(2020), Period.year(2019)),
        (
            Period.custom(D(2020, 2, 29), D(2020, 3, 31)),
            Period.custom(D(2019, 2, 28), D(2019, 3, 31)),
        ),
    ],
)
def test_same_period_last_year(period, last_year):
    assert period.same_period_last_year() == last_year


def test_terms_have_no_same_period_last_year():
    with pytest.raises(PeriodError, match="không có cùng kỳ năm trước"):
        Period.term(2020, 2025).same_period_last_year()


def test_subperiods_tile_exactly():
    assert Period.year(2020).subperiods(PeriodKind.QUARTER) == [Period.quarter(2020, q) for q in (1, 2, 3, 4)]
    assert Period.year(2020).subperiods("half") == [Period.half(2020, 1), Period.half(2020, 2)]
    assert Period.year(2020).subperiods("month") == [Period.month(2020, m) for m in range(1, 13)]
    assert Period.quarter(2020, 3).subperiods("month") == [Period.month(2020, m) for m in (7, 8, 9)]
    assert Period.half(2020, 2).subperiods("quarter") == [Period.quarter(2020, 3), Period.quarter(2020, 4)]
    assert Period.nine_months(2024).subperiods("quarter") == [Period.quarter(2024, q) for q in (1, 2, 3)]
    assert Period.term(2020, 2025).subperiods("year") == [Period.year(y) for y in range(2020, 2026)]
    assert Period.mid_term(2020, 2025).subperiods("half")[-1] == Period.half(2022, 1)
    assert Period.quarter(2020, 1).subperiods("quarter") == [Period.quarter(2020, 1)]
    assert Period.custom(D(2020, 3, 1), D(2020, 8, 31)).subperiods("month") == [
        Period.month(2020, m) for m in range(3, 9)
    ]


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        (Period.month(2020, 1), "quarter"),
        (Period.nine_months(2020), "half"),
        (Period.mid_term(2020, 2025), "year"),
        (Period.custom(D(2020, 3, 15), D(2020, 8, 31)), "month"),
        (Period.year(2020), "nine_months"),
        (Period.term(2020, 2025), "mid_term"),
    ],
)
def test_subperiods_that_do_not_tile_are_refused(period, kind):
    with pytest.raises(PeriodError, match="Không chia"):
        period.subperiods(kind)


def test_is_year_end():
    assert Period.year(2020).is_year_end()
    assert Period.quarter(2020, 4).is_year_end()
    assert Period.half(2020, 2).is_year_end()
    assert Period.month(2020, 12).is_year_end()
    assert Period.term(2020, 2025).is_year_end()
    assert not Period.nine_months(2020).is_year_end()
    assert not Period.quarter(2020, 3).is_year_end()
    assert not Period.mid_term(2020, 2025).is_year_end()


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (PeriodKind.MONTH, D(2024, 2, 29), Period.month(2024, 2)),
        (PeriodKind.QUARTER, D(2020, 9, 30), Period.quarter(2020, 3)),
        (PeriodKind.QUARTER, D(2020, 10, 1), Period.quarter(2020, 4)),
        ("half", D(2020, 6, 30), Period.half(2020, 1)),
        ("half", D(2020, 7, 1), Period.half(2020, 2)),
        ("nine_months", D(2020, 5, 1), Period.nine_months(2020)),
        ("nine_months", D(2020, 11, 1), Period.nine_months(2020)),
        ("year", D(2020, 5, 1), Period.year(2020)),
    ],
)
def test_current_period(kind, today, expected):
    assert current_period(kind, today) == expected


@pytest.mark.parametrize("kind", ["term", "mid_term", "custom"])
def test_current_period_of_non_calendar_kinds_is_refused(kind):
    with pytest.raises(PeriodError):
        current_period(kind, D(2020, 5, 1))


def test_periods_between():
    assert periods_between("quarter", D(2020, 2, 1), D(2021, 1, 1)) == [
        Period.quarter(2020, 1),
        Period.quarter(2020, 2),
        Period.quarter(2020, 3),
        Period.quarter(2020, 4),
        Period.quarter(2021, 1),
    ]
    assert periods_between("year", D(2020, 1, 1), D(2022, 12, 31)) == [
        Period.year(y) for y in (2020, 2021, 2022)
    ]
    assert periods_between("month", D(2020, 1, 31), D(2020, 1, 31)) == [Period.month(2020, 1)]
    assert periods_between("nine_months", D(2020, 10, 1), D(2022, 1, 1)) == [
        Period.nine_months(2021),
        Period.nine_months(2022),
    ]
    assert periods_between("quarter", D(2021, 1, 1), D(2020, 1, 1)) == []
    assert len(periods_between("quarter", D(2025, 1, 1), D(2029, 12, 31))) == 20
    with pytest.raises(PeriodError):
        periods_between("term", D(2020, 1, 1), D(2025, 1, 1))


def test_periods_sort_chronologically():
    ps = [Period.quarter(2021, 1), Period.quarter(2020, 4), Period.quarter(2020, 1)]
    assert sorted(ps) == [Period.quarter(2020, 1), Period.quarter(2020, 4), Period.quarter(2021, 1)]


def test_periods_are_hashable_and_immutable():
    assert len({Period.quarter(2020, 3), parse_period("Quý III/2020"), parse_period_key("2020-Q3")}) == 1
    with pytest.raises(AttributeError):
        Period.quarter(2020, 3).start = D(2020, 1, 1)  # type: ignore[misc]


# -- properties ---------------------------------------------------------------

years = st.integers(min_value=1950, max_value=2150)


@st.composite
def periods(draw):
    kind = draw(st.sampled_from(list(PeriodKind)))
    y = draw(years)
    if kind is PeriodKind.MONTH:
        return Period.month(y, draw(st.integers(1, 12)))
    if kind is PeriodKind.QUARTER:
        return Period.quarter(y, draw(st.integers(1, 4)))
    if kind is PeriodKind.HALF:
        return Period.half(y, draw(st.integers(1, 2)))
    if kind is PeriodKind.NINE_MONTHS:
        return Period.nine_months(y)
    if kind is PeriodKind.YEAR:
        return Period.year(y)
    if kind is PeriodKind.TERM:
        return Period.term(y, y + draw(st.integers(1, 10)))
    if kind is PeriodKind.MID_TERM:
        return Period.mid_term(y, y + 5)
    start = draw(st.dates(D(1950, 1, 1), D(2150, 12, 31)))
    end = draw(st.dates(start, D(2150, 12, 31)))
    return Period.custom(start, end)


@given(periods())
def test_label_round_trips(period):
    assert parse_period(format_period(period)) == period


@given(periods())
def test_key_round_trips(period):
    assert parse_period_key(period.key()) == period


@given(periods(), st.sampled_from(["upper", "lower", "ascii"]))
def test_label_round_trips_in_any_case_or_without_diacritics(period, style):
    from nghiquyet.core.text import strip_diacritics

    label = format_period(period)
    label = {"upper": label.upper(), "lower": label.lower(), "ascii": strip_diacritics(label)}[style]
    assert parse_period(label) == period


@given(periods())
def test_previous_ends_where_expected(period):
    prev = period.previous()
    assert prev.kind == period.kind
    assert prev < period
    if period.kind in (
        PeriodKind.MONTH,
        PeriodKind.QUARTER,
        PeriodKind.HALF,
        PeriodKind.YEAR,
        PeriodKind.CUSTOM,
    ):
        assert (period.start - prev.end).days == 1


@given(
    st.sampled_from([PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR]),
    st.dates(D(1950, 1, 1), D(2150, 12, 31)),
)
def test_current_period_contains_today_and_tiles(kind, today):
    p = current_period(kind, today)
    assert p.contains(today)
    assert p.kind is kind
    assert Period.year(today.year).subperiods(kind)[(p.index or 1) - 1] == p
