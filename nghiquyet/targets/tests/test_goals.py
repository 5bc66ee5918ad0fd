"""Goals per unit and per year (issue 11, item 1): derived milestones,
history, apportionment, and the roll-up judging each unit against its own.

Every expectation is computed by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.periods import Period
from nghiquyet.documents.models import Document
from nghiquyet.targets.actions import (
    StaleAssignmentError,
    do_apportion_goals,
    do_assign_target,
    do_save_result,
    do_set_goals,
)
from nghiquyet.targets.goals import apportion, goal_in_force
from nghiquyet.targets.models import (
    ApportionRule,
    Assignment,
    AssignmentGoal,
    GoalSource,
    Milestone,
    Target,
    TargetGroup,
    TimeAggregation,
    UnitAggregation,
    ValueType,
)
from nghiquyet.targets.rollup import Outcome, rollup

pytestmark = pytest.mark.django_db

D = Decimal


def submit(target, unit, period, value):
    return do_save_result(target, unit, period, value, acting_user=None, submit=True)


def one(doc, unit, period, target, today=None):
    t = Target.objects.prefetch_related("milestones").select_related("document").get(pk=target.pk)
    return rollup(doc, unit, period, targets=[t], today=today).targets[0]


def assignment(target, unit):
    return Assignment.objects.select_related("target__document", "unit").get(target=target, unit=unit)


# -- the case: a year without a milestone ------------------------------------


@pytest.fixture
def old_term(tree):
    """Nghị quyết Đại hội 2020–2025: 11.000 new Party members over the term,
    no yearly milestone."""
    doc = Document.objects.create(
        kind="nghi_quyet",
        number="02",
        sign="02-NQ/ĐH",
        title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XIX, nhiệm kỳ 2020–2025",
        issuing_unit=tree.province,
        issued=dt.date(2020, 10, 20),
        term_start=2020,
        term_end=2025,
    )
    members = Target.objects.create(
        document=doc,
        code="1",
        name="Kết nạp đảng viên mới",
        group=TargetGroup.PARTY,
        measure="đảng viên",
        value_type=ValueType.INTEGER,
        target_value=D(11000),
        time_aggregation=TimeAggregation.SUM,
        unit_aggregation=UnitAggregation.SUM,
        report_every="year",
    )
    do_assign_target(members, [tree.commune_a, tree.commune_b], acting_user=None)
    return doc, members


def test_a_year_without_milestone_is_judged_against_the_derived_one(tree, old_term):
    doc, members = old_term
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0), tick=False):
        submit(members, tree.commune_a, Period.year(2025), 611)
        submit(members, tree.commune_b, Period.year(2025), 500)
    r = one(doc, tree.province, Period.year(2025), members, today=dt.date(2026, 2, 1))
    # 611 + 500 = 1.111 = 10,1% of 11.000; the 2025 goal is 11.000 / 5 years = 2.200,
    # so 1.111 / 2.200 = 50,50%: not met, and not "10,1% of the term".
    assert r.value == D(1111)
    assert r.goal == D(2200)
    assert r.achievement == D("50.50")
    assert r.outcome == Outcome.NOT_MET
    assert r.goal_source.startswith("Suy ra theo quy tắc")
    assert "11.000" in r.goal_source and "5 năm" in r.goal_source
    g = goal_in_force(members, tree.province, 2025)
    assert (g.value, g.kind) == (D(2200), "derived")
    # The whole term is judged against the term's goal.
    assert goal_in_force(members, tree.province, None).value == D(11000)


def test_flow_spread_between_given_milestones(tree, resolution):
    t = resolution.new_members  # 1.000 over 2026–2030, 200 given for 2026
    # (1.000 − 200) / 4 years left = 200.
    assert goal_in_force(t, tree.province, 2027).value == D(200)
    Milestone.objects.create(target=t, year=2027, value=D(300))
    t = Target.objects.get(pk=t.pk)
    # (1.000 − 200 − 300) / 3 = 166,6667.
    g = goal_in_force(t, tree.province, 2028)
    assert g.value == D("166.6667") and g.kind == "derived"
    assert "500" in g.how and "3 năm" in g.how
    assert goal_in_force(t, tree.province, 2027).kind == "own"
    # The congress year 2025 closes the outgoing term: no goal of this one.
    assert goal_in_force(t, tree.province, 2025).value is None


def test_stock_straight_path_from_baseline_and_between_milestones(tree, resolution):
    t = resolution.poverty  # baseline 3,5 (2025), 1,5 at the term's end (2030), 3,0 given for 2026
    # Between 3,0 (2026) and 1,5 (2030): 3,0 − 1,5 × 1/4 = 2,625.
    assert goal_in_force(t, tree.province, 2027).value == D("2.625")
    # The term's last year holds the term goal itself.
    assert goal_in_force(t, tree.province, 2030).value == D("1.5")
    Milestone.objects.filter(target=t).delete()
    t = Target.objects.get(pk=t.pk)
    # From 3,5 (2025) to 1,5 (2030): 3,5 − 2 × 3/5 = 2,3.
    g = goal_in_force(t, tree.province, 2028)
    assert g.value == D("2.3") and "giá trị gốc" in g.how
    # No baseline: no path, the year is not judged.
    Target.objects.filter(pk=t.pk).update(baseline_value=None)
    t = Target.objects.get(pk=t.pk)
    assert goal_in_force(t, tree.province, 2028).kind == "none"


def test_threshold_holds_its_level_every_year(tree, resolution):
    g = goal_in_force(resolution.forest, tree.province, 2027)  # threshold 50% for the term
    assert (g.value, g.kind) == (D(50), "derived")


# -- a unit's own goals ---------------------------------------------------------------


def test_unit_has_only_its_own_goal_never_the_parents(tree, resolution):
    t = resolution.new_members
    do_set_goals(assignment(t, tree.commune_a), {"term": 100}, acting_user=None)
    # 100 / 5 years = 20 for 2027; commune B has none (never the province's 200).
    a = goal_in_force(t, tree.commune_a, 2027)
    assert (a.value, a.kind) == (D(20), "derived")
    assert goal_in_force(t, tree.commune_a, None).kind == "own"
    assert goal_in_force(t, tree.commune_b, 2027).value is None
    with time_machine.travel(dt.datetime(2027, 12, 20, 9, 0), tick=False):
        submit(t, tree.commune_a, Period.quarter(2027, 4), 25)
        submit(t, tree.commune_b, Period.quarter(2027, 4), 30)
    r = one(resolution.doc, tree.province, Period.year(2027), t, today=dt.date(2028, 2, 1))
    a, b = r.units[tree.commune_a.pk], r.units[tree.commune_b.pk]
    assert (a.goal, a.outcome, a.achievement) == (D(20), Outcome.EXCEEDED, D("125.00"))  # 25 / 20
    assert a.goal_source.startswith("Suy ra theo quy tắc")
    assert (b.goal, b.outcome) == (None, Outcome.NOT_ASSESSED)
    assert r.goal == D(200)  # the province: (1.000 − 200) / 4


def test_a_goal_changed_after_figures_exist_keeps_the_old_one_for_past_periods(tree, users, resolution):
    t = resolution.new_members
    a = assignment(t, tree.commune_a)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0), tick=False):
        do_set_goals(a, {"2026": 40}, acting_user=users.province_admin)
        # No figure yet: a change replaces it from the beginning.
        do_set_goals(a, {"2026": 45}, acting_user=users.province_admin)
    assert goal_in_force(t, tree.commune_a, 2026, on=dt.date(2026, 1, 1)).value == D(45)
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, 0), tick=False):
        submit(t, tree.commune_a, Period.quarter(2026, 4), 50)
    with time_machine.travel(dt.datetime(2027, 2, 10, 9, 0), tick=False):
        do_set_goals(a, {"2026": 60}, acting_user=users.province_admin)
    # 2026 is judged against 45, in force on its last day; 60 holds from 10/02/2027.
    assert goal_in_force(t, tree.commune_a, 2026).value == D(45)
    assert goal_in_force(t, tree.commune_a, 2026, on=dt.date(2027, 2, 10)).value == D(60)
    r = one(resolution.doc, tree.province, Period.year(2026), t, today=dt.date(2027, 3, 1))
    assert r.units[tree.commune_a.pk].goal == D(45)
    assert r.units[tree.commune_a.pk].achievement == D("111.11")  # 50 / 45
    rows = list(AssignmentGoal.objects.filter(assignment=a).order_by("recorded_at", "id"))
    assert [(g.value, g.effective_from) for g in rows] == [
        (D(40), None),
        (D(45), None),
        (D(60), dt.date(2027, 2, 10)),
    ]
    assert all(g.recorded_by == users.province_admin for g in rows)
    a.refresh_from_db()
    assert a.version == 4  # three changes
    entry = AuditEntry.objects.filter(action="set_goals").order_by("-id").first()
    assert entry.before == {"2026": "45.0000"} and entry.after["2026"] == "60"


def test_a_stale_version_is_refused_and_nothing_written(tree, resolution):
    a = assignment(resolution.new_members, tree.commune_a)
    do_set_goals(a, {"term": 100}, acting_user=None)  # version 2
    with pytest.raises(StaleAssignmentError):
        do_set_goals(a, {"term": 120}, acting_user=None, expected_version=1)
    assert goal_in_force(resolution.new_members, tree.commune_a, None).value == D(100)


@pytest.mark.parametrize(
    ("goals", "message"),
    [
        ({"2024": 10}, "ngoài nhiệm kỳ"),
        ({"term": "-5"}, "không được âm"),
        ({"term": "12,5"}, "số nguyên"),  # a count of members
        ({"term": "mười"}, "không phải là số"),
        ({"2026x": 1}, "không hợp lệ"),
    ],
)
def test_bad_goals_are_refused_in_vietnamese(tree, resolution, goals, message):
    with pytest.raises(ValidationError) as exc:
        do_set_goals(assignment(resolution.new_members, tree.commune_a), goals, acting_user=None)
    assert message in " ".join(exc.value.messages)
    assert not AssignmentGoal.objects.exists()


# -- apportionment ----------------------------------------------------------------------


def test_apportion_arithmetic_adds_up_exactly():
    assert apportion(ApportionRule.EQUAL, D(1000), [1, 2, 3]) == {
        1: D("333.3333"),
        2: D("333.3333"),
        3: D("333.3334"),  # takes what rounding left: the parts add up to 1.000
    }
    assert apportion(ApportionRule.WEIGHT, D(200), [1, 2], {1: D(1000), 2: D(3000)}) == {1: D(50), 2: D(150)}
    assert apportion(ApportionRule.PARENT, D("1.5"), [1, 2]) == {1: D("1.5"), 2: D("1.5")}
    # A count in whole parts: 1.000 by weights 1, 1, 1 → 333,33 each; the one
    # left goes to the first of the equal remainders.
    assert apportion(ApportionRule.EQUAL, D(1000), [1, 2, 3], whole=True) == {1: D(334), 2: D(333), 3: D(333)}
    # 2.200 by households 2.500 / 4.100 / 9.800 (16.400): 335,37 / 550,00 / 1.314,63
    # → floors 335 + 550 + 1.314 = 2.199; the largest remainder (0,63) takes the last one.
    assert apportion(
        ApportionRule.WEIGHT, D(2200), [1, 2, 3], {1: D(2500), 2: D(4100), 3: D(9800)}, whole=True
    ) == {1: D(335), 2: D(550), 3: D(1315)}


def test_apportion_equal_and_by_weight_from_the_province(tree, resolution):
    t = resolution.new_members  # 1.000 for the term, 200 for 2026
    do_apportion_goals(
        t, tree.province, [tree.commune_a, tree.commune_b], ApportionRule.EQUAL, acting_user=None
    )
    a = goal_in_force(t, tree.commune_a, 2026)
    assert (a.value, a.kind, a.rule) == (D(100), GoalSource.APPORTIONED, ApportionRule.EQUAL)
    assert a.label == "Phân bổ từ mục tiêu cấp trên, chia đều cho các đơn vị"
    assert goal_in_force(t, tree.commune_b, None).value == D(500)
    # 2027 from the unit's term goal: (500 − 100) / 4 = 100.
    assert goal_in_force(t, tree.commune_a, 2027).value == D(100)
    do_apportion_goals(
        t,
        tree.province,
        [tree.commune_a, tree.commune_b],
        ApportionRule.WEIGHT,
        acting_user=None,
        weights={tree.commune_a.pk: D(1000), tree.commune_b.pk: D(3000)},
    )
    # 1.000 × 1/4 = 250 and × 3/4 = 750; 2026: 50 and 150.
    assert goal_in_force(t, tree.commune_a, None).value == D(250)
    assert goal_in_force(t, tree.commune_b, 2026).value == D(150)
    assert goal_in_force(t, tree.commune_b, 2026).rule == ApportionRule.WEIGHT


def test_apportion_a_rate_takes_the_parents_value(tree, resolution):
    t = resolution.poverty  # 1,5% for the term, 3,0% for 2026, baseline 3,5%
    with pytest.raises(ValidationError, match="không chia ra được"):
        do_apportion_goals(t, tree.province, [tree.commune_a], ApportionRule.EQUAL, acting_user=None)
    do_apportion_goals(
        t, tree.province, [tree.commune_a, tree.commune_b], ApportionRule.PARENT, acting_user=None
    )
    assert goal_in_force(t, tree.commune_b, 2026).value == D("3.0")
    assert goal_in_force(t, tree.commune_b, None).value == D("1.5")
    # The unit's own path, from the baseline it was given: 3,0 (2026) → 1,5 (2030) → 2,625 in 2027.
    assert goal_in_force(t, tree.commune_b, 2027).value == D("2.625")


def test_apportion_by_weight_needs_every_weight(tree, resolution):
    with pytest.raises(ValidationError, match="Đảng ủy xã Đức Thọ"):
        do_apportion_goals(
            resolution.new_members,
            tree.province,
            [tree.commune_a, tree.commune_b],
            ApportionRule.WEIGHT,
            acting_user=None,
            weights={tree.commune_b.pk: D(5)},
        )
    assert not AssignmentGoal.objects.exists()


# -- the target's page ------------------------------------------------------------------


def test_apportion_from_the_target_page(client, users, tree, resolution):
    t = resolution.new_members
    url = f"/so-lieu/chi-tieu/{t.pk}/muc-tieu/phan-bo/?don_vi={tree.province.pk}"
    for user, status in ((users.viewer, 403), (users.reporter, 404), (users.outsider, 404)):
        client.force_login(user)
        assert client.post(url, {"rule": "equal"}).status_code == status, user
    assert not AssignmentGoal.objects.exists()
    client.force_login(users.province_admin)
    page = client.post(url, {"rule": "equal"}, follow=True).content.decode()
    assert "Đã phân bổ mục tiêu cho 2 đơn vị trực thuộc Tỉnh ủy Hà Tĩnh" in page
    # 1.000 / 2 = 500 each for the term; 2026: 200 / 2 = 100.
    assert goal_in_force(t, tree.commune_b, None).value == D(500)
    assert goal_in_force(t, tree.commune_b, 2026).value == D(100)
    page = client.get(f"/so-lieu/chi-tieu/{t.pk}/?don_vi={tree.province.pk}&ky=2026").content.decode()
    assert "Phân bổ từ mục tiêu cấp trên, chia đều cho các đơn vị" in page
    # A rate cannot be split.
    url = f"/so-lieu/chi-tieu/{resolution.poverty.pk}/muc-tieu/phan-bo/?don_vi={tree.province.pk}"
    page = client.post(url, {"rule": "weight"}, follow=True).content.decode()
    assert "không chia ra được" in page


def test_the_goal_rules_cost_no_query_per_target(tree, resolution, django_assert_max_num_queries):
    targets = list(Target.objects.filter(document=resolution.doc).prefetch_related("milestones"))
    # assignments (with their goals), grouped values, latest values, the
    # period's reporting rounds; no document read per target
    with django_assert_max_num_queries(5):
        r = rollup(resolution.doc, tree.province, Period.year(2027), targets=targets)
    assert {t.target.code: t.goal for t in r.targets}["1"] == D(200)  # (1.000 − 200) / 4


def test_the_target_page_lists_goals_by_year_and_their_history(client, users, tree, resolution):
    t = resolution.new_members
    a = assignment(t, tree.commune_a)
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0), tick=False):
        do_set_goals(a, {"term": 150, "2026": 40}, acting_user=users.province_admin)
    with time_machine.travel(dt.datetime(2026, 12, 20, 9, 0), tick=False):
        submit(t, tree.commune_a, Period.quarter(2026, 4), 10)
    with time_machine.travel(dt.datetime(2027, 2, 10, 9, 0), tick=False):
        do_set_goals(a, {"2026": 35}, acting_user=users.province_admin)
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0), tick=False):
        client.force_login(users.viewer)
        html = client.get(f"/so-lieu/chi-tieu/{t.pk}/?don_vi={tree.commune_a.pk}&ky=2026").content.decode()
    assert "Mục tiêu của Đảng ủy xã Đức Thọ theo nhiệm kỳ và từng năm" in html
    # 2027: (150 − 35) / 4 = 28,75, derived.
    # Each year as judged: 2026 against 40 (in force on 31/12/2026), 2027 derived
    # from the term after the change: (150 − 35) / 4 = 28,75.
    assert '<td>Năm 2026</td><td class="num">40</td>' in html.replace("\n", "")
    assert "28,75" in html and "Suy ra theo quy tắc" in html
    assert "năm 2026 = 35 (nhập trực tiếp), áp dụng từ 10/02/2027" in html
    assert "năm 2026 = 40 (nhập trực tiếp)" in html
    assert "Tải mẫu nhập mục tiêu" not in html  # a viewer sets no goals
