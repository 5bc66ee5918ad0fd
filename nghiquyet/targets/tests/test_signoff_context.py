"""Sign-off with context and separation of duties: nobody approves a figure
they entered or last changed; the approver sees the previous period, the
same period last year, the note and the warnings; flagged figures are left
out of bulk approval; each figure's history is on its page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import make_user
from nghiquyet.accounts.models import Role
from nghiquyet.core.periods import Period
from nghiquyet.targets.actions import do_approve_results, do_return_result, do_save_result
from nghiquyet.targets.models import ConfirmedWarning, Result, ResultStatus

pytestmark = pytest.mark.django_db

Q3_2025, Q2, Q3 = Period.quarter(2025, 3), Period.quarter(2026, 2), Period.quarter(2026, 3)
PAGE = "/so-lieu/duyet/"


def at(day: dt.date):
    """Each write inside its period's reporting window (a few days after its end)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def approver(tree, django_user_model):
    return make_user(
        django_user_model,
        "duyet_ductho",
        tree.commune_a,
        Role.APPROVER,
        first_name="Thắng",
        last_name="Bùi Đức",
    )


@pytest.fixture
def province_approver(tree, django_user_model):
    return make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER)


def fresh(r):
    return Result.objects.get(pk=r.pk)


# -- separation of duties ------------------------------------------------------


def test_nobody_approves_a_figure_they_entered(approver, province_approver, tree, resolution):
    with at(dt.date(2026, 10, 3)):
        own = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 12, acting_user=approver, submit=True
        )
        with pytest.raises(ValidationError, match="do chính mình nhập hoặc sửa lần cuối"):
            do_approve_results([own], acting_user=approver)
        assert fresh(own).status == ResultStatus.SUBMITTED
        (done,) = do_approve_results([own], acting_user=province_approver)
    assert (done.status, done.approved_by) == (ResultStatus.APPROVED, province_approver)


def test_nor_one_they_first_entered_and_another_changed(approver, users, province_approver, tree, resolution):
    with at(dt.date(2026, 10, 3)):
        first = do_save_result(resolution.new_members, tree.commune_a, Q3, 12, acting_user=approver)
        sent = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 13, acting_user=users.reporter, submit=True,
            expected_version=first.version,
        )  # fmt: skip
        with pytest.raises(ValidationError, match="chính mình"):
            do_approve_results([sent], acting_user=approver)
        # The reporter who changed it last is refused too, and in a set the whole set is.
        other = do_save_result(
            resolution.poverty, tree.commune_a, Q3, "3,1", acting_user=province_approver, submit=True
        )
        with pytest.raises(ValidationError, match="chính mình"):
            do_approve_results([other, sent], acting_user=province_approver)
        assert fresh(sent).status == fresh(other).status == ResultStatus.SUBMITTED
        assert {r.pk for r in do_approve_results([other], acting_user=approver)} == {other.pk}


def test_the_page_tells_the_approver_why(client, approver, tree, resolution):
    with at(dt.date(2026, 10, 3)):
        own = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 12, acting_user=approver, submit=True
        )
        client.force_login(approver)
        r = client.post(f"{PAGE}so-lieu/{own.pk}/", {"phien_ban": own.version}, HTTP_HX_REQUEST="true")
    assert "không thể duyệt số liệu" in r.content.decode()
    assert fresh(own).status == ResultStatus.SUBMITTED


# -- context and warnings --------------------------------------------------------


@pytest.fixture
def history(users, tree, resolution):
    """Đức Thọ's new members: 7 in Q3/2025, 10 in Q2/2026, then 30 in
    Q3/2026 sent through the form with the warning confirmed; poverty 3,2
    in Q3/2026, no warning (nothing before it)."""
    with at(dt.date(2025, 10, 3)):
        do_save_result(
            resolution.new_members, tree.commune_a, Q3_2025, 7, acting_user=users.reporter, submit=True
        )
    with at(dt.date(2026, 7, 3)):
        do_save_result(
            resolution.new_members, tree.commune_a, Q2, 10, acting_user=users.reporter, submit=True
        )
    return users.reporter


def _send_q3(client, users, tree, resolution, confirmed=True):
    client.force_login(users.reporter)
    data = {"gui": "1"}
    for t, v, n in ((resolution.new_members, "30", "Đợt kết nạp dịp 2/9"), (resolution.poverty, "3,2", "")):
        data.update({f"gia_tri_{t.pk}": v, f"ghi_chu_{t.pk}": n, f"phien_ban_{t.pk}": "0"})
    if confirmed:
        data["xac_nhan"] = "1"
    return client.post(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}", data)


def test_confirmed_warnings_are_kept_with_the_version(client, users, tree, resolution, history):
    with at(dt.date(2026, 10, 3)):
        assert _send_q3(client, users, tree, resolution).status_code == 302
    sent = Result.objects.get(target=resolution.new_members, unit=tree.commune_a, period_key=Q3.key())
    (w,) = ConfirmedWarning.objects.all()
    # (30 − 10) / 10 = +200%
    assert (w.result_id, w.version, w.confirmed_by) == (sent.pk, 1, users.reporter)
    assert w.text == "Giá trị tăng 200% so với kỳ trước (10). Đề nghị kiểm tra lại."


def test_the_approver_sees_context_and_flagged_rows_are_left_out_of_bulk(
    client, users, tree, resolution, history, approver
):
    with at(dt.date(2026, 10, 3)):
        _send_q3(client, users, tree, resolution)
        client.force_login(approver)
        html = client.get(f"{PAGE}?ky={Q3.key()}").content.decode()
        assert "Quý II/2026" in html and "Quý III/2025" in html  # previous period, same period last year
        assert ">10<" in html and ">7<" in html
        assert "Đợt kết nạp dịp 2/9" in html
        assert "tăng 200% so với kỳ trước" in html and "đơn vị đã kiểm tra và xác nhận" in html
        assert "Duyệt tất cả (1) trừ số liệu có cảnh báo" in html
        assert "1 số liệu có cảnh báo không được duyệt cùng lúc" in html
        members = Result.objects.get(target=resolution.new_members, unit=tree.commune_a, period_key=Q3.key())
        poverty = Result.objects.get(target=resolution.poverty, unit=tree.commune_a, period_key=Q3.key())
        # Even if the flagged row is posted in bulk, it is left out.
        r = client.post(
            f"{PAGE}don-vi/{tree.commune_a.pk}/",
            {"ky": Q3.key(), f"kq_{members.pk}": "1", f"kq_{poverty.pk}": "1"},
            HTTP_HX_REQUEST="true",
        )
        assert (
            "Đã duyệt 1 số liệu" in r.content.decode()
            and "1 số liệu có cảnh báo chưa được duyệt" in r.content.decode()
        )
        assert (fresh(members).status, fresh(poverty).status) == (
            ResultStatus.SUBMITTED,
            ResultStatus.APPROVED,
        )
        # One by one: refused until the approver ticks "Đã xem cảnh báo".
        r = client.post(f"{PAGE}so-lieu/{members.pk}/", {"phien_ban": "1"}, HTTP_HX_REQUEST="true")
        assert "Đã xem cảnh báo" in r.content.decode() and fresh(members).status == ResultStatus.SUBMITTED
        client.post(f"{PAGE}so-lieu/{members.pk}/", {"phien_ban": "1", "xac_nhan": "1"})
        assert fresh(members).status == ResultStatus.APPROVED


def test_a_figure_sent_without_the_form_is_flagged_too(client, users, tree, resolution, history, approver):
    """The API and sheets show no warning to the reporter: the approval
    page raises it itself (30 against 10 the quarter before)."""
    with at(dt.date(2026, 10, 3)):
        sent = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 30, acting_user=users.reporter, submit=True
        )
        client.force_login(approver)
        html = client.get(f"{PAGE}?ky={Q3.key()}").content.decode()
        assert "tăng 200% so với kỳ trước" in html and "đơn vị đã kiểm tra" not in html
        assert "Duyệt tất cả" not in html
        r = client.post(f"{PAGE}don-vi/{tree.commune_a.pk}/", {"ky": Q3.key(), f"kq_{sent.pk}": "1"})
        assert r.status_code == 302 and fresh(sent).status == ResultStatus.SUBMITTED


# -- a figure's history ------------------------------------------------------------


def test_a_figures_history_on_its_page(client, users, tree, resolution, approver, province_approver):
    users.reporter.first_name, users.reporter.last_name = "Hồng", "Nguyễn Thị"
    users.reporter.save()
    with at(dt.date(2026, 10, 2)):
        r = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 10, acting_user=users.reporter, submit=True
        )
    with at(dt.date(2026, 10, 3)):
        do_return_result(r, reason="Chưa khớp biên bản", acting_user=approver)
    with at(dt.date(2026, 10, 4)):
        r = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 12, acting_user=users.reporter, submit=True,
            expected_version=fresh(r).version,
        )  # fmt: skip
    with at(dt.date(2026, 10, 5)):
        do_approve_results([r], acting_user=approver)
    client.force_login(users.viewer)
    html = client.get(f"/so-lieu/ket-qua/{r.pk}/").content.decode()
    body = html[html.index("<h2>Lịch sử</h2>") :]
    rows = body.split("<tr><td")[1:]
    assert len(rows) == 4
    expected = [
        ("02/10/2026", "Nguyễn Thị Hồng", "Nhập, sửa số liệu", ">10<", "Đã gửi"),
        ("03/10/2026", "Bùi Đức Thắng", "Trả lại số liệu", ">10<", "Bị trả lại"),
        ("04/10/2026", "Nguyễn Thị Hồng", "Nhập, sửa số liệu", ">12<", "Đã gửi"),
        ("05/10/2026", "Bùi Đức Thắng", "Duyệt số liệu", ">12<", "Đã duyệt"),
    ]
    for row, parts in zip(rows, expected, strict=True):
        for part in parts:
            assert part in row, (part, row)
    assert "Lý do trả lại: Chưa khớp biên bản" in rows[1]


def test_who_may_read_a_figures_history(client, users, tree, resolution):
    with at(dt.date(2026, 10, 2)):
        r = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 10, acting_user=users.reporter, submit=True
        )
    url = f"/so-lieu/ket-qua/{r.pk}/"
    client.force_login(users.reporter)
    with at(dt.date(2026, 10, 2)):
        form = client.get(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}").content.decode()
    assert f'href="{url}"' in form  # reached from the reporter's form
    for who, status in (("viewer", 200), ("reporter", 200), ("reporter_b", 404), ("outsider", 404)):
        client.force_login(getattr(users, who))
        assert client.get(url).status_code == status, who
    client.logout()
    assert client.get(url).status_code == 302
    assert Decimal(10) == fresh(r).value


def test_api_bulk_approval_refuses_flagged_figures_not_confirmed(
    client, users, tree, resolution, history, approver
):
    from nghiquyet.accounts.models import ApiToken

    _, key = ApiToken.issue(approver, "thử")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    with at(dt.date(2026, 10, 3)):
        flagged = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 30, acting_user=users.reporter, submit=True
        )
        plain = do_save_result(
            resolution.poverty, tree.commune_a, Q3, "3,2", acting_user=users.reporter, submit=True
        )
        body = {"results": [flagged.pk, plain.pk]}
        r = client.post("/api/results/approve", body, content_type="application/json", **auth)
        assert r.status_code == 422 and str(flagged.pk) in r.json()["detail"]
        assert fresh(plain).status == ResultStatus.SUBMITTED
        r = client.post(
            "/api/results/approve",
            {**body, "confirmed": [flagged.pk]},
            content_type="application/json",
            **auth,
        )
        assert r.status_code == 200 and [x["status"] for x in r.json()] == ["approved", "approved"]
