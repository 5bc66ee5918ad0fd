"""Issue 11, roll-up: no holes (nested assignments, ratios read alone,
zero goals, not-aggregable targets, mergers), like with like between
periods, and the mid-year count only where it means something.

Every expectation is computed by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from nghiquyet.accounts.models import ApiToken
from nghiquyet.core.periods import Period
from nghiquyet.orgs.actions import do_merge_units
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.actions import do_save_result, do_set_goals
from nghiquyet.targets.models import (
    Assignment,
    Direction,
    Milestone,
    Result,
    ResultStatus,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
)
from nghiquyet.targets.rollup import (
    LABEL_WAITING,
    Outcome,
    achievement,
    not_comparable,
    rollup,
    verdict,
)

pytestmark = pytest.mark.django_db

D = Decimal
Q = Period.quarter
CLOSED = dt.date(2027, 3, 1)  # every period of 2026 is complete by then


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 12, 2, 9, 0), tick=False):
        yield


def submit(target, unit, period, value):
    return do_save_result(target, unit, period, value, acting_user=None, submit=True)


def fresh(target):
    return Target.objects.prefetch_related("milestones").get(pk=target.pk)


def one(doc, unit, period, target, **kw):
    return rollup(doc, unit, period, targets=[fresh(target)], **kw).targets[0]


def always_lived(*units):
    """Let the fixture's communes (created as of 01/7/2025) report earlier periods."""
    for u in units:
        u.valid_from = None
        u.save(update_fields=["valid_from"])


def target(doc, code, **kw):
    base = dict(
        document=doc,
        code=code,
        name=f"Chỉ tiêu {code}",
        group=TargetGroup.ECONOMY,
        time_aggregation=TimeAggregation.SUM,
        unit_aggregation=UnitAggregation.SUM,
        order=int(code),
    )
    base.update(kw)
    return Target.objects.create(**base)


# -- nested assignments roll through --------------------------------------------


def test_an_assigned_province_without_a_figure_does_not_drop_its_communes(tree, resolution):
    t = resolution.new_members
    do_set_goals(Assignment.objects.create(target=t, unit=tree.province), {"2026": D(40)}, acting_user=None)
    submit(t, tree.commune_a, Q(2026, 1), 30)
    submit(t, tree.commune_b, Q(2026, 1), 20)
    # Read from the centre: the province files nothing of its own, so it
    # stands for its communes: 30 + 20 = 50 (before: nothing at all).
    top = one(resolution.doc, tree.root, Q(2026, 1), t, today=CLOSED)
    assert top.value == D(50)
    province = top.units[tree.province.pk]
    assert (province.value, province.rolled_up, province.cells) == (D(50), True, 0)
    # Judged against its own goal (40): 50 / 40 = 125%, vượt.
    assert (province.goal, province.outcome, province.achievement) == (D(40), Outcome.EXCEEDED, D("125.00"))
    # Coverage counts the communes that report, not the empty province.
    assert (top.reporting_units, top.expected_units) == (2, 2)
    # A province that does file its own consolidated figure is read as filed.
    submit(t, tree.province, Q(2026, 1), 55)
    top = one(resolution.doc, tree.root, Q(2026, 1), t, today=CLOSED)
    assert top.value == D(55)
    assert top.units[tree.province.pk].rolled_up is False


# -- ratio targets read alone ----------------------------------------------------


def test_a_ratio_target_read_alone_is_recomputed_from_its_parts(tree, resolution):
    doc = resolution.doc
    num = target(doc, "11", name="Số hộ dùng nước sạch")
    den = target(doc, "12", name="Tổng số hộ")
    rate = target(
        doc,
        "13",
        name="Tỷ lệ hộ dùng nước sạch",
        measure="%",
        time_aggregation=TimeAggregation.RATIO,
        numerator=num,
        denominator=den,
        target_value=D(45),
    )
    # The year's own goal: a rate with no baseline has no derived path.
    Milestone.objects.create(target=rate, year=2026, value=D(45))
    for t in (num, den, rate):
        for u in (tree.commune_a, tree.commune_b):
            Assignment.objects.create(target=t, unit=u)
    submit(num, tree.commune_a, Q(2026, 1), 30)
    submit(num, tree.commune_b, Q(2026, 1), 20)
    submit(den, tree.commune_a, Q(2026, 1), 40)
    submit(den, tree.commune_b, Q(2026, 1), 60)
    # (30 + 20) / (40 + 60) = 50%; commune A 30/40 = 75%, B 20/60 = 33,3333%.
    r = rollup(doc, tree.province, Q(2026, 1), targets=[fresh(rate)], today=CLOSED)
    assert [x.target.pk for x in r.targets] == [rate.pk]  # only what was asked
    alone = r.targets[0]
    assert alone.value == D("50.0000")
    assert alone.units[tree.commune_a.pk].value == D("75.0000")
    assert alone.units[tree.commune_b.pk].value == D("33.3333")
    # 50 against a goal of 45 (higher is better): vượt.
    assert alone.outcome == Outcome.EXCEEDED
    # The same figure as in the whole document's roll-up.
    whole = rollup(doc, tree.province, Q(2026, 1), today=CLOSED)
    assert next(x for x in whole.targets if x.target.pk == rate.pk).value == D("50.0000")


def test_the_api_rolls_a_ratio_target_up(client, tree, users, resolution):
    doc = resolution.doc
    num = target(doc, "11")
    den = target(doc, "12")
    rate = target(doc, "13", time_aggregation=TimeAggregation.RATIO, numerator=num, denominator=den)
    for t in (num, den, rate):
        Assignment.objects.create(target=t, unit=tree.commune_a)
    submit(num, tree.commune_a, Q(2026, 1), 963)
    submit(den, tree.commune_a, Q(2026, 1), 1000)
    _, key = ApiToken.issue(users.viewer, "thử nghiệm")
    url = f"/api/targets/{rate.pk}/rollup?unit={tree.province.pk}&period=2026-Q1"
    body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert D(str(body["value"])) == D("96.3")  # 963 / 1.000
    assert body["reporting_units"] == 1


# -- zero goals and zero values --------------------------------------------------


def test_nothing_against_a_cap_is_vuot_without_a_999_percent():
    assert achievement(Direction.LOWER, D(0), D(660)) is None
    assert achievement(Direction.LOWER, D(0), D(0)) is None
    t = Target(direction=Direction.LOWER, time_aggregation=TimeAggregation.LATEST)
    # A rate of 0% against a ceiling of 3%: vượt, no ratio.
    assert verdict(t, D(0), D(3), Period.year(2026), complete=True)[:2] == (Outcome.EXCEEDED, None)
    # A goal of 0 is a goal: 0 meets it, 1 does not.
    assert verdict(t, D(0), D(0), Period.year(2026), complete=True)[0] == Outcome.MET
    assert verdict(t, D(1), D(0), Period.year(2026), complete=True)[0] == Outcome.NOT_MET


# -- mergers -------------------------------------------------------------------------


@pytest.fixture
def old_communes(tree):
    """Thị trấn Đức Thọ and xã Tùng Ảnh cũ, merged into xã Đức Thọ mới on 01/7/2025."""
    a = OrgUnit.objects.create(name="Đảng ủy thị trấn Đức Thọ", kind=UnitKind.COMMUNE, parent=tree.province)
    b = OrgUnit.objects.create(name="Đảng ủy xã Tùng Ảnh cũ", kind=UnitKind.COMMUNE, parent=tree.province)
    return a, b


def merge(tree, units):
    return do_merge_units(
        list(units),
        name="Đảng ủy xã Đức Thọ (mới)",
        parent=tree.province,
        effective=dt.date(2025, 7, 1),
        acting_user=None,
    )


def test_a_figure_outside_its_units_life_is_not_added(tree, resolution, old_communes):
    t = resolution.new_members
    a, b = old_communes
    for u in old_communes:
        Assignment.objects.create(target=t, unit=u)
    submit(t, a, Q(2025, 2), 10)
    submit(t, b, Q(2025, 2), 20)
    new = merge(tree, old_communes)
    Assignment.objects.create(target=t, unit=new)
    # The new commune's figure for Q2/2025, before it existed, written
    # straight to the table (the writer refuses it since issue 11).
    Result.objects.create(
        target=t,
        unit=new,
        period_key=Q(2025, 2).key(),
        period_kind="quarter",
        period_start=Q(2025, 2).start,
        period_end=Q(2025, 2).end,
        value=D(9),
        status=ResultStatus.SUBMITTED,
    )
    # 10 + 20 = 30, not 39, read in today's units or in those of the time.
    assert one(resolution.doc, tree.province, Q(2025, 2), t).units[new.pk].value == D(30)
    assert one(resolution.doc, tree.province, Q(2025, 2), t, as_of_today=False).value == D(30)


def test_the_successors_own_figure_stands_over_its_predecessors(tree, resolution, old_communes):
    # A yearly figure for 2025: the old communes for their half year, the
    # new one for its whole territory over the year.
    doc = resolution.doc
    t = target(doc, "21", name="Thu ngân sách", report_every="year")
    a, b = old_communes
    for u in old_communes:
        Assignment.objects.create(target=t, unit=u)
    submit(t, a, Period.year(2025), 10)
    submit(t, b, Period.year(2025), 20)
    new = merge(tree, old_communes)
    Assignment.objects.create(target=t, unit=new)
    # Before the new commune reports, its predecessors' 10 + 20 = 30 carry over.
    assert one(doc, tree.province, Period.year(2025), t).value == D(30)
    submit(t, new, Period.year(2025), 35)
    # Then its own 35 stands: not 35 + 30 = 65.
    r = one(doc, tree.province, Period.year(2025), t)
    assert r.value == D(35)
    assert r.units[new.pk].value == D(35)
    # Read in the units of the time too (all three lived in 2025).
    then = one(doc, tree.province, Period.year(2025), t, as_of_today=False)
    assert then.value == D(35)
    # The old communes gave way to it: not counted as units that failed to report.
    assert {u: v.value for u, v in then.units.items()} == {new.pk: D(35)}
    assert (then.reporting_units, then.expected_units) == (1, 1)


def test_a_not_aggregable_target_is_never_summed_across_a_merger(tree, resolution, old_communes):
    doc = resolution.doc
    t = target(
        doc,
        "22",
        name="Xếp loại",
        unit_aggregation=UnitAggregation.NONE,
        time_aggregation=TimeAggregation.LATEST,
    )
    a, b = old_communes
    for u in old_communes:
        Assignment.objects.create(target=t, unit=u)
    submit(t, a, Q(2025, 2), 3)
    submit(t, b, Q(2025, 2), 4)
    new = merge(tree, old_communes)
    Assignment.objects.create(target=t, unit=new)
    # Not 3 + 4 = 7: no figure at all for the new commune's territory.
    r = one(doc, tree.province, Q(2025, 2), t)
    assert r.units[new.pk].value is None
    assert r.value is None


# -- like with like ------------------------------------------------------------------


def test_2026_q1_to_q3_is_not_compared_with_2025_q4_alone(tree, resolution):
    t = resolution.new_members
    for q in (1, 2, 3):
        submit(t, tree.commune_a, Q(2026, q), 40)
        submit(t, tree.commune_b, Q(2026, q), 30)
    submit(t, tree.commune_a, Q(2025, 4), 45)
    submit(t, tree.commune_b, Q(2025, 4), 29)
    now = one(resolution.doc, tree.province, Period.year(2026), t)
    before = one(resolution.doc, tree.province, Period.year(2025), t)
    # 210 against 74 would read "tăng 183,8%": it is not the same months.
    assert (now.value, before.value) == (D(210), D(74))
    assert not_comparable(now, before) == (
        "không cùng các tháng: Năm 2026 có số liệu từ tháng 1 đến tháng 9/2026, "
        "năm 2025 có số liệu từ tháng 10 đến tháng 12/2025"
    )


def test_periods_with_different_units_are_not_compared(tree, resolution):
    always_lived(tree.commune_a, tree.commune_b)
    t = resolution.new_members
    for u in (tree.commune_a, tree.commune_b):
        submit(t, u, Q(2026, 1), 10)
    submit(t, tree.commune_a, Q(2025, 1), 10)
    now = one(resolution.doc, tree.province, Q(2026, 1), t)
    before = one(resolution.doc, tree.province, Q(2025, 1), t)
    assert not_comparable(now, before) == (
        "không cùng các đơn vị: Quý I/2026 có số liệu của 2 đơn vị, quý I/2025 của 1 đơn vị"
    )


def test_like_with_like_is_compared(tree, resolution):
    always_lived(tree.commune_a, tree.commune_b)
    t = resolution.new_members
    for y in (2025, 2026):
        for q in (1, 2):
            for u in (tree.commune_a, tree.commune_b):
                submit(t, u, Q(y, q), 10)
    now = one(resolution.doc, tree.province, Period.half(2026, 1), t)
    before = one(resolution.doc, tree.province, Period.half(2025, 1), t)
    assert not_comparable(now, before) == ""
    # A quarter against the one before: same units, each with its whole quarter.
    q2 = one(resolution.doc, tree.province, Q(2026, 2), t)
    q1 = one(resolution.doc, tree.province, Q(2026, 1), t)
    assert not_comparable(q2, q1) == ""


def test_one_unit_with_other_months_is_not_compared(tree, resolution):
    always_lived(tree.commune_a, tree.commune_b)
    t = resolution.new_members
    for u in (tree.commune_a, tree.commune_b):
        submit(t, u, Q(2026, 1), 10)
        submit(t, u, Q(2026, 2), 10)
    # 2025: commune A reported Q1 and Q2, commune B only Q1 and Q2 again…
    submit(t, tree.commune_a, Q(2025, 1), 10)
    submit(t, tree.commune_a, Q(2025, 2), 10)
    submit(t, tree.commune_b, Q(2025, 2), 10)  # … no Q1
    now = one(resolution.doc, tree.province, Period.half(2026, 1), t)
    before = one(resolution.doc, tree.province, Period.half(2025, 1), t)
    assert not_comparable(now, before) == (
        "không cùng các tháng: 1 đơn vị có số liệu của những tháng khác nhau "
        "giữa 6 tháng đầu năm 2026 và 6 tháng đầu năm 2025"
    )


def test_the_review_report_says_not_comparable_instead_of_a_change(tree, users, resolution):
    from nghiquyet.reports.review import review_data, target_sentence

    t = resolution.new_members
    for q in (1, 2, 3):
        submit(t, tree.commune_a, Q(2026, q), 40)
    submit(t, tree.commune_a, Q(2025, 4), 45)
    data = review_data(resolution.doc, tree.province, Period.year(2026))
    row = next(r for r in data.rows if r.result.target.pk == t.pk)
    assert row.vs_last is None
    assert row.vs_last_text == "Không so sánh được"
    text = target_sentence(data, row)
    assert "so với cùng kỳ" not in text.replace("không so sánh được với cùng kỳ", "")
    assert (
        "không so sánh được với cùng kỳ (không cùng các tháng: Năm 2026 có số liệu từ tháng 1 đến tháng 9/2026"
        in text
    )


# -- mid-year progress -------------------------------------------------------------


@pytest.fixture
def crimes(resolution, tree):
    t = target(
        resolution.doc,
        "9",
        name="Số vụ phạm pháp hình sự",
        measure="vụ",
        direction=Direction.LOWER,
        group=TargetGroup.DEFENCE,
    )
    Milestone.objects.create(target=t, year=2026, value=D(660))
    for u in (tree.commune_a, tree.commune_b):
        Assignment.objects.create(target=t, unit=u)
    return t


def test_mid_year_counts_only_higher_flows_and_stocks_and_says_why(tree, resolution, crimes):
    submit(crimes, tree.commune_a, Q(2026, 1), 200)
    submit(crimes, tree.commune_b, Q(2026, 2), 159)
    submit(resolution.new_members, tree.commune_a, Q(2026, 1), 60)
    submit(resolution.new_members, tree.commune_b, Q(2026, 2), 50)
    submit(resolution.poverty, tree.commune_a, Q(2026, 2), D("2.8"))
    submit(resolution.poverty, tree.commune_b, Q(2026, 2), D("2.8"))
    submit(resolution.forest, tree.commune_a, Q(2026, 2), 55)
    submit(resolution.forest, tree.commune_b, Q(2026, 2), 55)
    r = rollup(resolution.doc, tree.province, Period.half(2026, 1), today=CLOSED)
    by = {x.target.code: x for x in r.targets}
    # 359 crimes against the year's cap of 660: 54,39% of the cap used, no
    # verdict and no achievement: never "vượt 183,8%", never in the count.
    assert by["9"].cap_used == D("54.39")
    assert by["9"].achievement is None
    assert by["9"].outcome == Outcome.NOT_ASSESSED and by["9"].outcome_label == LABEL_WAITING
    # New members 110 of 200 (55%): counted, and not called "chưa đánh giá".
    assert by["1"].achievement == D("55.00") and by["1"].outcome_label == LABEL_WAITING
    # Poverty 2,8% against 3% (lower is better): 3 / 2,8 = 107,14%, vượt.
    assert by["2"].outcome == Outcome.EXCEEDED
    # Forest cover is judged at year end only: left out.
    assert r.half_reached() == 2
    assert [(x.target.code, why) for x, why in r.half_left_out()] == [
        ("3", "chỉ đánh giá vào cuối năm"),
        ("9", "chỉ tiêu có mức trần cả năm, giữa năm chỉ nêu phần mức trần đã dùng"),
    ]
    assert r.summary() == "4 chỉ tiêu: 1 đạt và vượt, 3 đánh giá vào cuối năm"
    assert r.half_reached_sentence() == (
        "02 chỉ tiêu đạt từ 50% trở lên so với kế hoạch năm (không tính 02 chỉ tiêu: "
        "Tỷ lệ che phủ rừng – chỉ đánh giá vào cuối năm; Số vụ phạm pháp hình sự – chỉ tiêu có mức trần "
        "cả năm, giữa năm chỉ nêu phần mức trần đã dùng)"
    )


def test_the_half_count_never_includes_a_target_called_chua_danh_gia(tree, resolution):
    # New members: no figure at all → "chưa đánh giá", not counted.
    submit(resolution.poverty, tree.commune_a, Q(2026, 2), D("1.2"))
    r = rollup(resolution.doc, tree.province, Period.half(2026, 1), today=CLOSED)
    called = [x for x in r.targets if x.outcome_label == Outcome.LABELS[Outcome.NOT_ASSESSED]]
    left_out = {x.target.pk for x, _ in r.half_left_out()}
    assert called and all(x.target.pk in left_out for x in called)
    # Only poverty (1,2% against 3%: vượt) counts.
    assert r.half_reached() == 1


def test_one_quarter_of_a_flow_is_no_share_of_the_years_goal(tree, resolution):
    t = resolution.new_members
    submit(t, tree.commune_a, Q(2026, 3), 150)
    q3 = one(resolution.doc, tree.province, Q(2026, 3), t, today=CLOSED)
    assert q3.value == D(150) and q3.achievement is None
    # From 1 January it is progress: Q1 150 of 200 = 75%.
    submit(t, tree.commune_a, Q(2026, 1), 150)
    assert one(resolution.doc, tree.province, Q(2026, 1), t, today=CLOSED).achievement == D("75.00")


# -- the units of the time, offered ---------------------------------------------


@pytest.fixture
def merged_2025(tree, resolution, old_communes):
    """Q2/2025 reported by the two old communes (10 + 20), merged on 01/7/2025."""
    t = resolution.new_members
    a, b = old_communes
    for u in old_communes:
        Assignment.objects.create(target=t, unit=u)
    submit(t, a, Q(2025, 2), 10)
    submit(t, b, Q(2025, 2), 20)
    new = merge(tree, old_communes)
    Assignment.objects.create(target=t, unit=new)
    return new


def test_the_api_reads_the_units_of_the_time_on_request(
    client, tree, users, resolution, old_communes, merged_2025
):
    _, key = ApiToken.issue(users.viewer, "thử nghiệm")
    h = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = f"/api/targets/{resolution.new_members.pk}/rollup?unit={tree.province.pk}&period=2025-Q2"
    today = client.get(url, **h).json()
    then = client.get(url + "&units_of_time=true", **h).json()
    # Today: the new commune carries 10 + 20; then: the two old communes.
    assert [(u["unit_id"], D(str(u["value"]))) for u in today["units"] if u["value"] is not None] == [
        (merged_2025.pk, D(30))
    ]
    assert today["units_of_time"] is False and then["units_of_time"] is True
    assert sorted((u["unit_id"], D(str(u["value"]))) for u in then["units"] if u["value"] is not None) == [
        (old_communes[0].pk, D(10)),
        (old_communes[1].pk, D(20)),
    ]
    assert D(str(then["value"])) == D(str(today["value"])) == D(30)


def test_the_target_page_offers_the_units_of_the_time(
    client, tree, users, resolution, old_communes, merged_2025
):
    client.force_login(users.viewer)
    url = f"/so-lieu/chi-tieu/{resolution.new_members.pk}/?don_vi={tree.province.pk}&ky=2025-Q2"
    page = client.get(url).content.decode()
    assert "Xem theo các đơn vị của thời kỳ đó" in page
    assert "Đảng ủy thị trấn Đức Thọ" not in page
    then = client.get(url + "&don_vi_thoi_ky=1").content.decode()
    assert "Xem theo đơn vị hiện nay" in then
    assert "Đảng ủy thị trấn Đức Thọ" in then and "Đảng ủy xã Tùng Ảnh cũ" in then


def test_a_report_on_a_past_period_shows_the_units_of_that_time(tree, resolution, old_communes, merged_2025):
    from nghiquyet.reports.review import review_data

    data = review_data(resolution.doc, tree.province, Q(2025, 2))
    row = next(r for r in data.rows if r.result.target.pk == resolution.new_members.pk)
    assert data.rollup.as_of_today is False
    assert set(u for u, v in row.result.units.items() if v.value is not None) == {p.pk for p in old_communes}
    # Asked for today's units, the new commune carries them.
    today = review_data(resolution.doc, tree.province, Q(2025, 2), as_of_today=True)
    row = next(r for r in today.rows if r.result.target.pk == resolution.new_members.pk)
    assert set(u for u, v in row.result.units.items() if v.value is not None) == {merged_2025.pk}
    # A period after the merger is read in today's units.
    assert review_data(resolution.doc, tree.province, Q(2026, 1)).rollup.as_of_today is True


def test_a_provisional_mid_year_is_counted_as_tam_tinh_never_as_chua_danh_gia(tree, resolution):
    # 20/6/2026: the first half still running; new members 60 + 50 = 110 of 200.
    submit(resolution.new_members, tree.commune_a, Q(2026, 1), 60)
    submit(resolution.new_members, tree.commune_b, Q(2026, 2), 50)
    r = rollup(resolution.doc, tree.province, Period.half(2026, 1), today=dt.date(2026, 6, 20))
    members = next(x for x in r.targets if x.target.pk == resolution.new_members.pk)
    assert members.outcome == Outcome.NOT_ASSESSED and members.outcome_label == "Tạm tính"
    # Poverty has no figure: that one is "chưa đánh giá"; forest is judged at year end only.
    assert r.summary() == "3 chỉ tiêu: 1 có số liệu tạm tính, 2 chưa đánh giá (tạm tính)"
    assert r.half_reached() == 1  # 110 / 200 = 55%


def test_the_target_page_chart_marks_the_open_quarter(client, tree, users, resolution):
    # 02/12/2026: Q1–Q3 complete, Q4 still running with one commune in.
    t = resolution.new_members
    submit(t, tree.commune_a, Q(2026, 3), 40)
    submit(t, tree.commune_b, Q(2026, 3), 45)
    submit(t, tree.commune_a, Q(2026, 4), 2)
    client.force_login(users.viewer)
    page = client.get(f"/so-lieu/chi-tieu/{t.pk}/?don_vi={tree.province.pk}&ky=2026").content.decode()
    import json
    import re

    raw = re.search(rf'<script id="chart-t{t.pk}-period" type="application/json">(.*?)</script>', page, re.S)
    option = json.loads(raw.group(1))
    final, partial = option["series"]
    # Q3's 85 is the last final point; Q4's 2 is on the dashed "tạm tính" line only.
    assert final["data"] == [None, None, 85.0, None]
    assert partial["data"] == [None, None, 85.0, 2.0]
    assert partial["markArea"]["data"][0][0]["name"] == "Tạm tính"
