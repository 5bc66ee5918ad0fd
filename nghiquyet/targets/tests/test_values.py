"""Values that make sense (#11, "Values" and item 3): the unit typed is read,
counts are whole and not negative, a count of units cannot exceed the units
that exist, a result only for a period within the unit's life, estimates
kept beside the actual figure, figures shown rounded for their kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from nghiquyet.accounts.models import ApiToken
from nghiquyet.core.periods import Period
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.reports.review import review_data, target_sentence
from nghiquyet.targets.actions import clean_value, do_assign_target, do_save_result
from nghiquyet.targets.models import (
    Direction,
    Result,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from nghiquyet.targets.rollup import achievement, rollup

pytestmark = pytest.mark.django_db
Q = Period.quarter


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        yield


def make_target(doc, code, name, measure, value_type=ValueType.NUMBER, **extra) -> Target:
    return Target.objects.create(
        document=doc,
        code=code,
        name=name,
        group=extra.pop("group", TargetGroup.ECONOMY),
        measure=measure,
        value_type=value_type,
        time_aggregation=extra.pop("time_aggregation", TimeAggregation.SUM),
        unit_aggregation=extra.pop("unit_aggregation", UnitAggregation.SUM),
        **extra,
    )


@pytest.fixture
def budget(resolution, tree):
    t = make_target(resolution.doc, "9", "Thu ngân sách trên địa bàn", "tỷ đồng", target_value=D(6500))
    do_assign_target(t, [tree.commune_a, tree.commune_b], acting_user=None)
    return t


@pytest.fixture
def workers(resolution, tree):
    t = make_target(resolution.doc, "10", "Số lao động được tạo việc làm mới", "người", ValueType.INTEGER)
    do_assign_target(t, [tree.commune_a], acting_user=None)
    return t


@pytest.fixture
def households(resolution, tree):
    t = make_target(resolution.doc, "11", "Số hộ thoát nghèo", "hộ", ValueType.INTEGER)
    do_assign_target(t, [tree.commune_a], acting_user=None)
    return t


# -- the unit typed ------------------------------------------------------------


def test_millions_typed_for_a_target_in_billions_keep_every_digit(budget, tree):
    # 4,25 triệu đồng = 4.250.000 đồng = 0,00425 tỷ đồng (not 4,25 tỷ).
    r = do_save_result(budget, tree.commune_a, Q(2026, 3), "4,25 triệu đồng", acting_user=None)
    assert Result.objects.get(pk=r.pk).value == D("0.00425")
    r = do_save_result(budget, tree.commune_a, Q(2026, 3), "4,25 tỷ đồng", acting_user=None)
    assert Result.objects.get(pk=r.pk).value == D("4.25")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,5 nghìn hộ", D(1500)),
        ("1,5 nghìn", D(1500)),
        ("2.989 hộ", D(2989)),
        ("2.989", D(2989)),
    ],
)
def test_a_known_multiple_of_a_count_is_converted(households, raw, expected):
    assert clean_value(households, raw) == expected


def test_percent_and_per_mille_convert_to_the_target_unit(resolution):
    # 12‰ = 1,2%; "2,5 %" is 2,5%.
    assert clean_value(resolution.poverty, "12‰") == D("1.2")
    assert clean_value(resolution.poverty, "2,5 %") == D("2.5")


def test_area_units_convert(resolution):
    t = make_target(resolution.doc, "12", "Diện tích trồng rừng mới", "ha")
    # 1 km² = 100 ha; 5.000 m² = 0,5 ha.
    assert clean_value(t, "3 km²") == D(300)
    assert clean_value(t, "3 km2") == D(300)
    assert clean_value(t, "5.000 m²") == D("0.5")


@pytest.mark.parametrize(
    ("target", "raw", "expected_unit"),
    [
        ("households", "12 km", "“hộ”"),
        ("budget", "12 người", "“tỷ đồng”"),
        ("budget", "12%", "“tỷ đồng”"),
        ("households", "12 đảng viên", "“hộ”"),
    ],
)
def test_a_unit_of_another_kind_is_refused_naming_the_unit_expected(
    request, target, raw, expected_unit, tree
):
    t = request.getfixturevalue(target)
    with pytest.raises(ValidationError) as exc:
        do_save_result(t, tree.commune_a, Q(2026, 3), raw, acting_user=None)
    assert f"tính bằng {expected_unit}" in exc.value.messages[0]
    assert not Result.objects.exists()


def test_a_conversion_that_would_lose_digits_is_refused(budget):
    # 1 đồng = 0,000000001 tỷ: kept (nine places); 0,5 đồng needs eleven.
    assert clean_value(budget, "1 đồng") == D("0.000000001")
    with pytest.raises(ValidationError, match="không lưu đủ"):
        clean_value(budget, "0,05 đồng")


def test_more_digits_than_stored_are_refused_not_rounded(budget):
    with pytest.raises(ValidationError, match="quá nhiều chữ số"):
        clean_value(budget, "1,12345678901")  # eleven decimal places
    with pytest.raises(ValidationError, match="quá nhiều chữ số"):
        clean_value(budget, "1.234.567.890,123456")  # sixteen significant digits
    assert clean_value(budget, "1,1234567891") == D("1.1234567891")


def test_a_float_from_a_sheet_is_read_to_a_floats_precision(budget):
    assert clean_value(budget, 0.1 + 0.2) == D("0.3")
    assert clean_value(budget, 13919.7) == D("13919.7")


@pytest.mark.parametrize("raw", ["1e3", "1E3", "1/2", "1 / 2", "3:4"])
def test_other_ways_of_writing_a_number_are_refused(budget, raw):
    with pytest.raises(ValidationError, match="Không đọc được số"):
        clean_value(budget, raw)


# -- counts and bounds -----------------------------------------------------------


@pytest.mark.parametrize("raw", ["−5", "-5", "–5"])
def test_a_negative_count_is_refused(workers, tree, raw):
    with pytest.raises(ValidationError, match="không nhận số âm"):
        do_save_result(workers, tree.commune_a, Q(2026, 3), raw, acting_user=None, submit=True)
    assert not Result.objects.exists()


def test_a_count_is_whole(workers):
    with pytest.raises(ValidationError, match="số nguyên"):
        clean_value(workers, "12,5")
    assert clean_value(workers, "0") == D(0)


def test_the_targets_own_bounds_hold(resolution):
    t = make_target(resolution.doc, "13", "Tỷ lệ tăng dân số", "%", min_value=D(-5), max_value=D(5))
    assert clean_value(t, "-1,2") == D("-1.2")  # a number (not a count) may be negative
    with pytest.raises(ValidationError, match="nhỏ hơn mức tối thiểu -5"):
        clean_value(t, "-5,5")
    with pytest.raises(ValidationError, match="lớn hơn mức tối đa 5"):
        clean_value(t, "6")


@pytest.fixture
def safe_communes(resolution, tree):
    """A count of communes reported by the province itself."""
    t = make_target(
        resolution.doc,
        "15",
        "Số xã, phường đạt tiêu chuẩn an toàn về an ninh, trật tự",
        "xã, phường",
        ValueType.INTEGER,
        unit_aggregation=UnitAggregation.NONE,
        time_aggregation=TimeAggregation.LATEST,
    )
    do_assign_target(t, [tree.province], acting_user=None)
    return t


def test_a_count_of_units_cannot_exceed_the_units_that_exist(safe_communes, tree):
    # Hà Tĩnh has two communes in the fixture tree, both alive in Q3/2026.
    with pytest.raises(ValidationError) as exc:
        do_save_result(safe_communes, tree.province, Q(2026, 3), "2.989", acting_user=None)
    assert "2.989 xã, phường nhiều hơn số đơn vị hiện có (2)" in exc.value.messages[0]
    r = do_save_result(safe_communes, tree.province, Q(2026, 3), "2", acting_user=None)
    assert r.value == D(2)


def test_units_not_alive_in_the_period_are_not_counted(safe_communes, tree):
    # A commune retired before Q3/2026 does not raise the bound; one created after it neither.
    OrgUnit.objects.create(
        name="Đảng ủy thị trấn Cũ", kind=UnitKind.COMMUNE, parent=tree.province, valid_to=dt.date(2026, 6, 30)
    )
    OrgUnit.objects.create(
        name="Đảng ủy xã Mới", kind=UnitKind.COMMUNE, parent=tree.province, valid_from=dt.date(2026, 10, 1)
    )
    OrgUnit.objects.create(
        name="Đảng ủy phường Giữa",
        kind=UnitKind.COMMUNE,
        parent=tree.province,
        valid_from=dt.date(2026, 8, 1),
    )
    with pytest.raises(ValidationError, match=r"hiện có \(3\)"):
        do_save_result(safe_communes, tree.province, Q(2026, 3), "4", acting_user=None)
    assert do_save_result(safe_communes, tree.province, Q(2026, 3), "3", acting_user=None).value == D(3)


def test_a_commune_reporting_its_own_criterion_is_not_bounded_by_the_count(resolution, tree):
    # Counted by "units meeting": a commune reports its criteria met (14 of 19), not a count of communes.
    t = make_target(
        resolution.doc,
        "6",
        "Số xã đạt chuẩn nông thôn mới nâng cao",
        "xã",
        ValueType.INTEGER,
        unit_aggregation=UnitAggregation.COUNT_MEETING,
        time_aggregation=TimeAggregation.LATEST,
    )
    do_assign_target(t, [tree.commune_a], acting_user=None)
    assert do_save_result(t, tree.commune_a, Q(2026, 3), "14", acting_user=None).value == D(14)


# -- the unit's life -------------------------------------------------------------


def test_a_new_commune_accepts_no_figure_before_it_existed(tree, resolution):
    # xã Đức Thọ exists from 01/7/2025: nothing for 2019 or Quý II/2025.
    t = resolution.new_members
    for period in (Q(2019, 2), Q(2025, 2)):
        with pytest.raises(ValidationError) as exc:
            do_save_result(t, tree.commune_a, period, "12", acting_user=None)
        assert exc.value.messages == [
            f"Đảng ủy xã Đức Thọ chỉ có hiệu lực từ 01/7/2025: không nhận số liệu kỳ {period.label}."
        ]
    assert do_save_result(t, tree.commune_a, Q(2025, 3), "12", acting_user=None).value == D(12)


def test_a_retired_unit_accepts_figures_up_to_its_last_day_only(tree, resolution):
    town = OrgUnit.objects.create(
        name="Đảng ủy thị trấn Đức Thọ",
        kind=UnitKind.COMMUNE,
        parent=tree.province,
        valid_to=dt.date(2025, 6, 30),
    )
    t = resolution.new_members
    from nghiquyet.targets.models import Assignment

    Assignment.objects.create(target=t, unit=town)  # assigned while it existed
    assert do_save_result(t, town, Q(2025, 2), "7", acting_user=None).value == D(7)
    with pytest.raises(ValidationError, match="chỉ có hiệu lực đến 30/6/2025"):
        do_save_result(t, town, Q(2025, 3), "7", acting_user=None)


def test_the_api_refuses_a_period_outside_the_units_life(client, users, tree, resolution):
    _, key = ApiToken.issue(users.reporter, "thử nghiệm")
    r = client.post(
        "/api/results",
        {"target": resolution.new_members.pk, "unit": tree.commune_a.pk, "period": "2025-Q2", "value": "3"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 422
    assert "chỉ có hiệu lực từ 01/7/2025" in r.json()["detail"]
    assert not Result.objects.exists()


# -- estimates -------------------------------------------------------------------


def test_an_estimate_is_replaced_by_the_actual_and_both_are_kept(tree, resolution):
    t = resolution.new_members
    year = Period.year(2026)
    # On 21/11/2026 the year is still running: the figure is an estimate.
    t.report_every = "year"
    t.save()
    r = do_save_result(t, tree.commune_a, year, "150", acting_user=None, submit=True)
    assert (r.value, r.is_estimate, r.estimate) == (D(150), True, D(150))
    roll = rollup(resolution.doc, tree.province, year, targets=[t]).targets[0]
    assert (roll.value, roll.estimated) == (D(150), True)
    with time_machine.travel(dt.datetime(2027, 1, 10, 9, 0), tick=False):
        # An estimate for a period that has ended is refused; the actual replaces it.
        with pytest.raises(ValidationError, match="đã kết thúc"):
            do_save_result(t, tree.commune_a, year, "160", acting_user=None, estimate=True)
        r = do_save_result(t, tree.commune_a, year, "162", acting_user=None, submit=True, expected_version=1)
        assert (r.value, r.is_estimate, r.estimate) == (D(162), False, D(150))
        assert list(r.revisions.values_list("value", "is_estimate")) == [(D(150), True)]
        roll = rollup(resolution.doc, tree.province, year, targets=[t]).targets[0]
        assert (roll.value, roll.estimated) == (D(162), False)
        # Corrected again later: the estimate once reported is still there.
        r = do_save_result(t, tree.commune_a, year, "163", acting_user=None, submit=True, expected_version=2)
        assert (r.value, r.is_estimate, r.estimate) == (D(163), False, D(150))


def test_a_unit_may_state_an_actual_figure_while_the_period_runs(tree, resolution):
    r = do_save_result(
        resolution.new_members, tree.commune_a, Q(2026, 4), "5", acting_user=None, estimate=False
    )
    assert (r.is_estimate, r.estimate) == (False, None)
    # Sent again unchanged without saying: it stays the actual, nothing written.
    r = do_save_result(resolution.new_members, tree.commune_a, Q(2026, 4), "5", acting_user=None)
    assert (r.version, r.is_estimate) == (1, False)
    # A new value without saying, while the period runs, is an estimate.
    r = do_save_result(
        resolution.new_members, tree.commune_a, Q(2026, 4), "6", acting_user=None, expected_version=1
    )
    assert (r.version, r.is_estimate, r.estimate) == (2, True, D(6))
    r = do_save_result(
        resolution.new_members,
        tree.commune_a,
        Q(2026, 4),
        "5",
        acting_user=None,
        estimate=False,
        expected_version=2,
    )
    # Flagging it an estimate is a change, even with the same value.
    r = do_save_result(
        resolution.new_members,
        tree.commune_a,
        Q(2026, 4),
        "5",
        acting_user=None,
        estimate=True,
        expected_version=3,
    )
    assert (r.version, r.is_estimate, r.estimate) == (4, True, D(5))


def test_a_rollup_with_one_estimate_among_actuals_says_it_is_estimated(tree, resolution):
    t = resolution.new_members
    do_save_result(t, tree.commune_a, Q(2026, 3), "10", acting_user=None, submit=True)  # ended: actual
    do_save_result(t, tree.commune_b, Q(2026, 4), "4", acting_user=None, submit=True)  # running: estimate
    year = rollup(resolution.doc, tree.province, Period.year(2026), targets=[t]).targets[0]
    q3 = rollup(resolution.doc, tree.province, Q(2026, 3), targets=[t]).targets[0]
    assert (year.value, year.estimated) == (D(14), True)
    assert (q3.value, q3.estimated) == (D(10), False)


def test_the_rollup_api_and_the_review_say_estimated(client, users, tree, resolution):
    t = resolution.new_members
    t.report_every = "year"
    t.save()
    for unit, value in ((tree.commune_a, "70"), (tree.commune_b, "50")):
        do_save_result(t, unit, Period.year(2026), value, acting_user=None, submit=True)
    _, key = ApiToken.issue(users.viewer, "thử nghiệm")
    body = client.get(
        f"/api/targets/{t.pk}/rollup",
        {"unit": tree.province.pk, "period": "2026"},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    ).json()
    assert (body["value"], body["estimated"]) == ("120.0000", True)
    data = review_data(resolution.doc, tree.province, Period.year(2026))
    row = next(r for r in data.rows if r.result.target.pk == t.pk)
    # 120 of the year's 200: "ước đạt 60%".
    sentence = target_sentence(data, row)
    assert "ước thực hiện 120 đảng viên" in sentence
    assert "ước đạt 60% kế hoạch năm 2026 (200 đảng viên)" in sentence


def test_the_api_reports_and_takes_the_estimate_flag(client, users, tree, resolution):
    _, key = ApiToken.issue(users.reporter, "thử nghiệm")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {"target": resolution.new_members.pk, "unit": tree.commune_a.pk, "period": "2026-Q4"}
    r = client.post("/api/results", {**body, "value": "7"}, content_type="application/json", **auth)
    assert r.status_code == 200
    assert (r.json()["is_estimate"], r.json()["estimate"], r.json()["value"]) == (True, "7.0000", "7.0000")
    r = client.post(
        "/api/results",
        {**body, "value": "7", "estimate": False, "expected_version": 1},
        content_type="application/json",
        **auth,
    )
    assert (r.json()["is_estimate"], r.json()["estimate"], r.json()["version"]) == (False, "7.0000", 2)


# -- shown rounded for their kind -------------------------------------------------


def test_a_zero_under_a_cap_has_no_999_percent():
    assert achievement(Direction.LOWER, D(0), D(660)) is None
    assert achievement(Direction.LOWER, D(330), D(660)) == D(200)


def test_a_rolled_up_rate_is_shown_with_two_decimals_at_most(client, users, tree, resolution):
    t = resolution.poverty  # weighted by households: Đức Thọ 1.000, Tùng Ảnh 3.000
    do_save_result(t, tree.commune_a, Q(2026, 3), "2,5", acting_user=None, submit=True)
    do_save_result(t, tree.commune_b, Q(2026, 3), "3,0003", acting_user=None, submit=True)
    # (2,5 × 1.000 + 3,0003 × 3.000) / 4.000 = 2,875225 → 2,8752 rolled up, shown 2,88.
    r = rollup(resolution.doc, tree.province, Q(2026, 3), targets=[t]).targets[0]
    assert r.value == D("2.8752")
    client.force_login(users.viewer)
    page = client.get(f"/so-lieu/chi-tieu/{t.pk}/", {"don_vi": tree.province.pk, "ky": "2026-Q3"})
    html = page.content.decode()
    assert "Kết quả: <strong>2,88</strong>" in html
    assert "2,8752" not in html
    # A unit's own typed figure is a rate too: 3,0003 is shown 3.
    assert ">3,0003<" not in html


# -- the reporting form ------------------------------------------------------------


def _form(resolution, **values):
    data = {}
    for t in (resolution.new_members, resolution.poverty):
        data[f"gia_tri_{t.pk}"] = values.get(f"v{t.code}", "")
        data[f"ghi_chu_{t.pk}"] = ""
        data[f"phien_ban_{t.pk}"] = "0"
    return data


def test_the_form_says_a_running_periods_figures_are_estimates(client, users, tree, resolution):
    client.force_login(users.reporter)
    running = client.get(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky=2026-Q4").content.decode()
    ended = client.get(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky=2026-Q3").content.decode()
    assert "chưa kết thúc: số liệu nhập lúc này là <strong>số ước thực hiện</strong>" in running
    assert "số ước thực hiện</strong>" not in ended


def test_the_form_refuses_a_unit_of_another_kind_and_a_negative_count(client, users, tree, resolution):
    client.force_login(users.reporter)
    url = f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky=2026-Q3"
    html = client.post(url, {**_form(resolution, v1="−5", v2="12 km"), "luu": "1"}).content.decode()
    assert "không nhận số âm" in html
    assert "Đơn vị “12 km”" not in html and "Đơn vị “km” không phù hợp: chỉ tiêu này tính bằng “%”" in html
    assert not Result.objects.exists()


def test_the_live_check_shows_the_converted_figure(client, users, tree, budget):
    client.force_login(users.reporter)
    base = {"don_vi": tree.commune_a.pk, "chi_tieu": budget.pk, "ky": "2026-Q3"}
    html = client.post("/so-lieu/bao-cao/kiem-tra/", {**base, f"gia_tri_{budget.pk}": "4,25 triệu đồng"})
    assert "= 0,00425 tỷ đồng" in html.content.decode()
    html = client.post(
        "/so-lieu/bao-cao/kiem-tra/", {**base, f"gia_tri_{budget.pk}": "12 km"}
    ).content.decode()
    assert "chỉ tiêu này tính bằng “tỷ đồng”" in html and "= " not in html


def test_reports_print_figures_rounded_but_never_a_small_one_as_zero():
    from nghiquyet.reports.review import fmt_value

    assert fmt_value(D("93.3788")) == "93,38"
    assert fmt_value(D("13919.7000")) == "13.919,7"
    assert fmt_value(D("0.00425")) == "0,00425"  # 4,25 triệu đồng in tỷ đồng
