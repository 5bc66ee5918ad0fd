"""The reporting form: Vietnamese input, draft then submit, warnings, no
lost update, and who may report for which unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from nghiquyet.core.tests.webhelpers import Q2, Q3, TODAY, reopen, submit
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import Result, ResultStatus

pytestmark = pytest.mark.django_db

URL = "/so-lieu/bao-cao/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of Q2 and Q3 are written after their reporting window closed:
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q2, Q3)


def url(unit, period=Q3):
    return f"{URL}?don_vi={unit.pk}&ky={period.key()}"


def form_data(resolution, **values):
    data = {}
    for t in (resolution.new_members, resolution.poverty):
        data[f"gia_tri_{t.pk}"] = values.get(f"v{t.code}", "")
        data[f"ghi_chu_{t.pk}"] = values.get(f"n{t.code}", "")
        data[f"phien_ban_{t.pk}"] = values.get(f"ver{t.code}", "0")
    return data


def test_anonymous_is_sent_to_sign_in(client, tree):
    assert client.get(URL).status_code == 302
    assert client.post(url(tree.commune_a), {}).status_code == 302


def test_reporter_sees_targets_assigned_for_the_period(client, users, resolution, tree):
    client.force_login(users.reporter)
    html = client.get(url(tree.commune_a)).content.decode()
    assert "Kết nạp đảng viên mới" in html and "Tỷ lệ hộ nghèo" in html
    # Che phủ rừng is quarterly too in the fixture; every assigned quarterly target is listed.
    assert 'name="phien_ban_' in html
    assert "Quý III/2026" in html


def test_default_unit_and_period(client, users, resolution, tree):
    client.force_login(users.reporter)
    r = client.get(URL)
    assert r.status_code == 200
    assert "Đảng ủy xã Đức Thọ" in r.content.decode()
    assert "Quý IV/2026" in r.content.decode()


def test_vietnamese_numbers_are_read_the_vietnamese_way(client, users, resolution, tree):
    client.force_login(users.reporter)
    r = client.post(url(tree.commune_a), {**form_data(resolution, v1="2.989", v2="48,93"), "luu": "1"})
    assert r.status_code == 302
    cells = {c.target_id: c for c in Result.objects.filter(unit=tree.commune_a)}
    assert cells[resolution.new_members.pk].value == Decimal("2989")
    assert cells[resolution.poverty.pk].value == Decimal("48.93")
    assert {c.status for c in cells.values()} == {ResultStatus.DRAFT}


def test_values_show_back_in_vietnamese_form(client, users, resolution, tree):
    do_save_result(resolution.poverty, tree.commune_a, Q3, "48,93", acting_user=None)
    client.force_login(users.reporter)
    assert 'value="48,93"' in client.get(url(tree.commune_a)).content.decode()


def test_invalid_value_gets_a_vietnamese_message_and_nothing_is_saved(client, users, resolution, tree):
    client.force_login(users.reporter)
    r = client.post(url(tree.commune_a), {**form_data(resolution, v1="abc", v2="2,5"), "luu": "1"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "Không đọc được số" in html
    assert "Chưa lưu: 1 ô số liệu cần sửa." in html
    assert not Result.objects.exists()


def test_integer_target_refuses_a_fraction(client, users, resolution, tree):
    client.force_login(users.reporter)
    html = client.post(url(tree.commune_a), {**form_data(resolution, v1="12,5"), "luu": "1"}).content.decode()
    assert "nhận số nguyên" in html


def test_percent_above_hundred_is_refused(client, users, resolution, tree):
    client.force_login(users.reporter)
    html = client.post(url(tree.commune_a), {**form_data(resolution, v2="120"), "luu": "1"}).content.decode()
    assert "lớn hơn mức tối đa 100" in html


def test_submitted_figures_show_at_once_in_the_province_rollup(client, users, resolution, tree):
    client.force_login(users.reporter)
    r = client.post(url(tree.commune_a), {**form_data(resolution, v1="150", v2="2,5"), "gui": "1"})
    assert r.status_code == 302
    assert set(Result.objects.values_list("status", flat=True)) == {ResultStatus.SUBMITTED}
    client.force_login(users.viewer)
    html = client.get(
        f"/van-ban/{resolution.doc.pk}/?don_vi={tree.province.pk}&ky={Q3.key()}"
    ).content.decode()
    assert ">150<" in html  # the province's new members for Quý III/2026


def test_draft_does_not_reach_the_rollup(client, users, resolution, tree):
    client.force_login(users.reporter)
    client.post(url(tree.commune_a), {**form_data(resolution, v1="150"), "luu": "1"})
    client.force_login(users.viewer)
    html = client.get(
        f"/van-ban/{resolution.doc.pk}/?don_vi={tree.province.pk}&ky={Q3.key()}"
    ).content.decode()
    assert ">150<" not in html


def test_value_far_from_last_period_needs_confirmation(client, users, resolution, tree):
    submit(resolution.new_members, tree.commune_a, Q2, 100)
    client.force_login(users.reporter)
    data = {**form_data(resolution, v1="400"), "gui": "1"}
    r = client.post(url(tree.commune_a), data)
    html = r.content.decode()
    assert "tăng 300% so với kỳ trước" in html
    assert "Tôi đã kiểm tra số liệu" in html
    assert not Result.objects.filter(period_key=Q3.key()).exists()
    r = client.post(url(tree.commune_a), {**data, "xac_nhan": "1"})
    assert r.status_code == 302
    assert Result.objects.get(period_key=Q3.key()).value == 400


def test_check_endpoint_answers_one_cell(client, users, resolution, tree):
    submit(resolution.new_members, tree.commune_a, Q2, 100)
    client.force_login(users.reporter)
    t = resolution.new_members
    base = {"don_vi": tree.commune_a.pk, "ky": Q3.key(), "chi_tieu": t.pk}
    assert (
        "Không đọc được số"
        in client.post("/so-lieu/bao-cao/kiem-tra/", {**base, f"gia_tri_{t.pk}": "x"}).content.decode()
    )
    assert (
        "giảm 90%"
        in client.post("/so-lieu/bao-cao/kiem-tra/", {**base, f"gia_tri_{t.pk}": "10"}).content.decode()
    )
    assert client.post("/so-lieu/bao-cao/kiem-tra/", {**base, "don_vi": tree.commune_b.pk}).status_code == 404


def test_stale_form_is_refused_and_nothing_is_overwritten(client, users, resolution, tree):
    client.force_login(users.reporter)
    first = do_save_result(resolution.new_members, tree.commune_a, Q3, 10, acting_user=None)
    # The form was opened at version 1; meanwhile a colleague saves 20.
    do_save_result(
        resolution.new_members, tree.commune_a, Q3, 20, acting_user=None, expected_version=first.version
    )
    r = client.post(
        url(tree.commune_a), {**form_data(resolution, v1="30", ver1=str(first.version)), "luu": "1"}
    )
    html = r.content.decode()
    assert r.status_code == 409
    assert "vừa được người khác cập nhật (giá trị hiện tại: 20)" in html
    assert "Không có số liệu nào bị ghi đè" in html
    assert Result.objects.get(target=resolution.new_members, unit=tree.commune_a).value == 20


def test_stale_cell_created_meanwhile_is_refused(client, users, resolution, tree):
    client.force_login(users.reporter)
    do_save_result(resolution.poverty, tree.commune_a, Q3, "3", acting_user=None)
    r = client.post(url(tree.commune_a), {**form_data(resolution, v2="2,5"), "luu": "1"})
    assert r.status_code == 409
    assert Result.objects.get(target=resolution.poverty, unit=tree.commune_a).value == 3


def test_htmx_save_returns_the_form_with_a_message(client, users, resolution, tree):
    client.force_login(users.reporter)
    r = client.post(
        url(tree.commune_a), {**form_data(resolution, v1="5"), "luu": "1"}, HTTP_HX_REQUEST="true"
    )
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert "Đã lưu nháp 1 số liệu." in html


def test_viewer_cannot_submit(client, users, resolution, tree):
    client.force_login(users.viewer)
    assert client.get(url(tree.commune_a)).status_code == 403
    r = client.post(url(tree.commune_a), {**form_data(resolution, v1="5"), "gui": "1"})
    assert r.status_code == 403
    assert not Result.objects.exists()


def test_reporter_of_commune_a_cannot_read_or_write_commune_b(client, users, resolution, tree):
    client.force_login(users.reporter)
    assert client.get(url(tree.commune_b)).status_code == 404
    r = client.post(url(tree.commune_b), {**form_data(resolution, v1="5"), "gui": "1"})
    assert r.status_code == 404
    assert not Result.objects.exists()


def test_outsider_is_refused(client, users, resolution, tree):
    client.force_login(users.outsider)
    assert client.get(url(tree.commune_a)).status_code == 404


def test_period_not_offered_is_refused(client, users, resolution, tree):
    client.force_login(users.reporter)
    assert client.get(f"{URL}?don_vi={tree.commune_a.pk}&ky=2030-Q1").status_code == 404


def test_target_page_by_unit_and_period(client, users, resolution, tree):
    submit(resolution.new_members, tree.commune_a, Q3, 150)
    client.force_login(users.viewer)
    r = client.get(f"/so-lieu/chi-tieu/{resolution.new_members.pk}/?don_vi={tree.province.pk}&ky=2026")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Đảng ủy xã Đức Thọ" in html and "Quý III/2026" in html and "150" in html
    client.force_login(users.outsider)
    assert client.get(f"/so-lieu/chi-tieu/{resolution.new_members.pk}/").status_code == 404
    client.force_login(users.reporter)
    assert (
        client.get(f"/so-lieu/chi-tieu/{resolution.new_members.pk}/?don_vi={tree.commune_b.pk}").status_code
        == 404
    )


def test_a_rollup_read_before_a_submit_is_not_served_after_it(client, users, resolution, tree):
    page = f"/van-ban/{resolution.doc.pk}/?don_vi={tree.province.pk}&ky={Q3.key()}"
    client.force_login(users.viewer)
    assert ">150<" not in client.get(page).content.decode()  # computed and kept
    client.force_login(users.reporter)
    client.post(url(tree.commune_a), {**form_data(resolution, v1="150"), "gui": "1"})
    client.force_login(users.viewer)
    assert ">150<" in client.get(page).content.decode()


@pytest.fixture
def race(monkeypatch, resolution, tree):
    """A colleague saves 20 after the form was read from the request and
    before it writes (the window the version check closes)."""
    from nghiquyet.targets.forms import ReportForm

    validate = ReportForm.validate

    def colleague_first(self, *args, **kwargs):
        current = Result.objects.get(target=resolution.new_members, unit=tree.commune_a)
        do_save_result(
            resolution.new_members, tree.commune_a, Q3, 20, acting_user=None, expected_version=current.version
        )
        return validate(self, *args, **kwargs)

    monkeypatch.setattr(ReportForm, "validate", colleague_first)


@pytest.mark.parametrize("htmx", [False, True])
def test_form_that_loses_a_race_is_409_shows_both_values_and_writes_nothing(
    client, users, resolution, tree, race, htmx
):
    client.force_login(users.reporter)
    first = do_save_result(resolution.new_members, tree.commune_a, Q3, 10, acting_user=None)
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    r = client.post(
        url(tree.commune_a), {**form_data(resolution, v1="30", ver1=str(first.version)), "luu": "1"}, **extra
    )
    html = r.content.decode()
    assert r.status_code == 409
    assert "giá trị hiện tại: 20" in html and "Giá trị đồng chí nhập (30) chưa được lưu" in html
    assert "Không có số liệu nào bị ghi đè" in html
    # The user's figure stays in its box; the version moves on only now that they have seen it.
    pk = resolution.new_members.pk
    assert f'name="gia_tri_{pk}" value="30"' in html
    assert f'name="phien_ban_{pk}" value="2"' in html
    assert Result.objects.get(target=resolution.new_members, unit=tree.commune_a).value == 20


def test_saving_again_after_seeing_the_conflict_is_a_decision_made_knowingly(client, users, resolution, tree):
    client.force_login(users.reporter)
    do_save_result(resolution.new_members, tree.commune_a, Q3, 20, acting_user=None)
    r = client.post(url(tree.commune_a), {**form_data(resolution, v1="30", ver1="1"), "luu": "1"})
    assert r.status_code == 302
    assert Result.objects.get(target=resolution.new_members, unit=tree.commune_a).value == 30
