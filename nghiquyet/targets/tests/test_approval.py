"""Sign-off: an approver approves the figures a unit submitted, or returns
them with a reason; who may do it, on every path; what the roll-up counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import make_user
from nghiquyet.accounts.models import ApiToken, Role
from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.tests.webhelpers import Q3, TODAY, reopen, submit
from nghiquyet.targets.actions import (
    StaleResultError,
    do_approve_results,
    do_return_result,
    do_save_result,
    do_withdraw_approval,
)
from nghiquyet.targets.locks import EntryLocked
from nghiquyet.targets.models import Result, ResultRevision, ResultStatus
from nghiquyet.targets.rollup import reporting_status, rollup

pytestmark = pytest.mark.django_db

PAGE = "/so-lieu/duyet/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Figures of Q3 are written after their reporting window closed:
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q3)


@pytest.fixture
def approvers(users, tree, django_user_model):
    return {
        "a": make_user(django_user_model, "duyet_ductho", tree.commune_a, Role.APPROVER),
        "b": make_user(django_user_model, "duyet_tunganh", tree.commune_b, Role.APPROVER),
        "province": make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER),
    }


@pytest.fixture
def sent(users, tree, resolution):
    """Both communes submitted Q3 figures for two targets."""
    return {
        "a": submit(resolution.new_members, tree.commune_a, Q3, 10, users.reporter),
        "a2": submit(resolution.poverty, tree.commune_a, Q3, "3,2", users.reporter),
        "b": submit(resolution.new_members, tree.commune_b, Q3, 30, users.reporter_b),
    }


def fresh(result):
    return Result.objects.get(pk=result.pk)


# -- actions -----------------------------------------------------------------


def test_approve_then_return_round_trip(approvers, sent, users, tree, resolution):
    a = sent["a"]
    done = do_approve_results([a], acting_user=approvers["a"], expected_versions={a.pk: 1})
    assert [r.pk for r in done] == [a.pk]
    a = fresh(a)
    assert (a.status, a.version, a.approved_by, a.approved_at is not None) == (
        ResultStatus.APPROVED,
        2,
        approvers["a"],
        True,
    )
    assert a.status_label == "Đã duyệt"
    entry = AuditEntry.objects.filter(action="approve_result").get()
    assert (entry.actor, entry.object_id, entry.before["status"], entry.after["status"]) == (
        approvers["a"],
        str(a.pk),
        "submitted",
        "approved",
    )
    assert ResultRevision.objects.filter(result=a, version=1, status=ResultStatus.SUBMITTED).exists()

    do_return_result(a, reason="  Số liệu chưa khớp   biên bản  ", acting_user=approvers["a"])
    a = fresh(a)
    assert (a.status, a.version, a.approved_by, a.returned_reason, a.returned_by) == (
        ResultStatus.DRAFT,
        3,
        None,
        "Số liệu chưa khớp biên bản",
        approvers["a"],
    )
    assert a.is_returned and a.status_label == "Bị trả lại: Số liệu chưa khớp biên bản"
    assert AuditEntry.objects.filter(
        action="return_result", object_id=str(a.pk), actor=approvers["a"]
    ).exists()

    # The unit submits again: the return is answered, the approver sees it again.
    a = do_save_result(
        resolution.new_members,
        tree.commune_a,
        Q3,
        12,
        acting_user=users.reporter,
        submit=True,
        expected_version=3,
    )
    assert (a.status, a.returned_reason, a.version) == (ResultStatus.SUBMITTED, "", 4)


def test_a_return_needs_a_reason(approvers, sent):
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="lý do"):
            do_return_result(sent["a"], reason=reason, acting_user=approvers["a"])
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="return_result").exists()


@pytest.mark.parametrize("who", ["reporter", "viewer", "approver_b", "outsider", "nobody"])
def test_actions_refuse_without_the_approver_role(who, approvers, sent, users):
    user = {"approver_b": approvers["b"], "nobody": None}.get(who) or getattr(users, who, None)
    with pytest.raises(ValidationError, match="không có quyền duyệt"):
        do_approve_results([sent["a"]], acting_user=user)
    with pytest.raises(ValidationError, match="không có quyền duyệt"):
        do_return_result(sent["a"], reason="Sai", acting_user=user)
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED and fresh(sent["a"]).version == 1


def test_one_refused_result_refuses_the_whole_set(approvers, sent):
    with pytest.raises(ValidationError):
        do_approve_results([sent["a"], sent["b"]], acting_user=approvers["a"])
    assert set(Result.objects.values_list("status", flat=True)) == {ResultStatus.SUBMITTED}


def test_province_approver_and_admin_may_approve_below(approvers, sent, users):
    do_approve_results([sent["a"]], acting_user=approvers["province"])
    do_approve_results([sent["b"]], acting_user=users.province_admin)
    assert fresh(sent["a"]).status == fresh(sent["b"]).status == ResultStatus.APPROVED


def test_a_draft_cannot_be_approved(approvers, users, tree, resolution):
    draft = do_save_result(resolution.new_members, tree.commune_a, Q3, 5, acting_user=users.reporter)
    with pytest.raises(ValidationError, match="chưa được gửi"):
        do_approve_results([draft], acting_user=approvers["a"])
    with pytest.raises(ValidationError, match="chưa được gửi"):
        do_return_result(draft, reason="Sai", acting_user=approvers["a"])


def test_approving_a_figure_changed_since_it_was_shown_is_refused(approvers, sent, users, resolution, tree):
    do_save_result(resolution.new_members, tree.commune_a, Q3, 11, acting_user=users.reporter, submit=True)
    with pytest.raises(StaleResultError):
        do_approve_results([sent["a"]], acting_user=approvers["a"], expected_versions={sent["a"].pk: 1})
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED


def test_an_approved_figure_is_locked_until_an_approver_above_withdraws_it(
    approvers, sent, users, tree, resolution
):
    # Issue 13 changes this: an edited approved figure no longer goes back
    # for approval; approval locks it until the level above withdraws it.
    do_approve_results([sent["a"]], acting_user=approvers["a"])
    # Sent again unchanged (a draft save or a submit): stays approved.
    for flag in (False, True):
        same = do_save_result(
            resolution.new_members, tree.commune_a, Q3, 10, acting_user=users.reporter, submit=flag
        )
        assert (same.status, same.version) == (ResultStatus.APPROVED, 2)
    # Changed, even as a "draft": refused, with the reason.
    with pytest.raises(EntryLocked, match="đã được duyệt nên đã khóa"):
        do_save_result(resolution.new_members, tree.commune_a, Q3, 14, acting_user=users.reporter)
    assert (fresh(sent["a"]).value, fresh(sent["a"]).status) == (Decimal(10), ResultStatus.APPROVED)
    # The commune's own approver is not above it; the province's is.
    with pytest.raises(ValidationError, match="Chỉ người duyệt của cấp trên"):
        do_withdraw_approval(tree.commune_a, Q3, reason="Sửa số liệu", acting_user=approvers["a"])
    (w,) = do_withdraw_approval(tree.commune_a, Q3, reason="Sửa số liệu", acting_user=approvers["province"])
    assert (w.status, w.version, w.approved_by) == (ResultStatus.SUBMITTED, 3, None)
    a = do_save_result(
        resolution.new_members, tree.commune_a, Q3, 14, acting_user=users.reporter, submit=True
    )
    assert (a.status, a.version, a.value) == (ResultStatus.SUBMITTED, 4, Decimal(14))
    assert a.pk in {r.pk for r in do_approve_results([a], acting_user=approvers["a"])}
    assert AuditEntry.objects.filter(action="withdraw_approval", object_id=str(a.pk)).count() == 1


def test_an_approved_figure_cannot_be_emptied(approvers, sent, users, tree, resolution):
    do_approve_results([sent["a"]], acting_user=approvers["a"])
    with pytest.raises(ValidationError, match="đã được duyệt"):
        do_save_result(resolution.new_members, tree.commune_a, Q3, "", acting_user=users.reporter)
    assert fresh(sent["a"]).value == 10


def test_rollup_counts_submitted_and_approved_but_not_returned(approvers, sent, tree, resolution):
    do_approve_results([sent["a"]], acting_user=approvers["a"])
    tr = rollup(resolution.doc, tree.province, Q3, targets=[resolution.new_members]).targets[0]
    assert (tr.value, tr.reporting_units) == (Decimal(40), 2)
    status = {s.unit.pk: s for s in reporting_status(resolution.doc, tree.province, Q3)}
    assert status[tree.commune_a.pk].submitted == 2 and status[tree.commune_b.pk].submitted == 1
    do_return_result(sent["b"], reason="Chưa đúng kỳ", acting_user=approvers["b"])
    tr = rollup(resolution.doc, tree.province, Q3, targets=[resolution.new_members]).targets[0]
    assert (tr.value, tr.reporting_units) == (Decimal(10), 1)
    status = {s.unit.pk: s for s in reporting_status(resolution.doc, tree.province, Q3)}
    assert (status[tree.commune_b.pk].submitted, status[tree.commune_b.pk].drafts) == (0, 1)


# -- pages -------------------------------------------------------------------


def test_approver_page_lists_submitted_figures_by_unit(
    client, approvers, sent, django_assert_max_num_queries
):
    client.force_login(approvers["province"])
    with django_assert_max_num_queries(12):
        r = client.get(f"{PAGE}?ky={Q3.key()}")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Đảng ủy xã Đức Thọ" in html and "Đảng ủy xã Tùng Ảnh" in html
    assert "Duyệt tất cả (2)" in html and "Duyệt tất cả (1)" in html
    assert "3 số liệu đã gửi đang chờ duyệt" in html
    assert 'href="/so-lieu/duyet/"' in client.get("/").content.decode()  # in the menu


def test_commune_approver_sees_only_their_commune(client, approvers, sent):
    client.force_login(approvers["a"])
    html = client.get(f"{PAGE}?ky={Q3.key()}").content.decode()
    assert "Đảng ủy xã Đức Thọ" in html and "Đảng ủy xã Tùng Ảnh" not in html


def test_approve_a_unit_with_htmx(client, approvers, sent):
    client.force_login(approvers["a"])
    data = {"ky": Q3.key(), f"kq_{sent['a'].pk}": "1", f"kq_{sent['a2'].pk}": "1"}
    r = client.post(f"{PAGE}don-vi/{sent['a'].unit_id}/", data, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200 and "Đã duyệt 2 số liệu" in html and 'id="duyet-' in html
    assert fresh(sent["a"]).status == fresh(sent["a2"]).status == ResultStatus.APPROVED
    assert AuditEntry.objects.filter(action="approve_result").count() == 2


def test_approve_one_row_and_return_another(client, approvers, sent, users, tree):
    client.force_login(approvers["a"])
    r = client.post(f"{PAGE}so-lieu/{sent['a'].pk}/", {"phien_ban": "1"}, **HTMX)
    assert "Đã duyệt “Kết nạp đảng viên mới”" in r.content.decode()
    r = client.post(f"{PAGE}so-lieu/{sent['a2'].pk}/tra-lai/", {"phien_ban": "1", "ly_do": ""}, **HTMX)
    assert "Cần ghi lý do" in r.content.decode() and fresh(sent["a2"]).status == ResultStatus.SUBMITTED
    r = client.post(
        f"{PAGE}so-lieu/{sent['a2'].pk}/tra-lai/", {"phien_ban": "1", "ly_do": "Thiếu số hộ cận nghèo"}
    )
    assert r.status_code == 302
    assert fresh(sent["a2"]).returned_reason == "Thiếu số hộ cận nghèo"
    # The reporter reads the badges in their form.
    client.force_login(users.reporter)
    html = client.get(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}").content.decode()
    assert "Đã duyệt" in html and "Bị trả lại: Thiếu số hộ cận nghèo" in html


def test_stale_approval_from_the_page_is_told(client, approvers, sent, users, resolution, tree):
    do_save_result(resolution.new_members, tree.commune_a, Q3, 11, acting_user=users.reporter, submit=True)
    client.force_login(approvers["a"])
    r = client.post(f"{PAGE}so-lieu/{sent['a'].pk}/", {"phien_ban": "1"}, **HTMX)
    assert "vừa được cập nhật" in r.content.decode()
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED


def test_reporter_and_viewer_are_refused(client, users, sent):
    for user in (users.reporter, users.viewer):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(f"{PAGE}so-lieu/{sent['a'].pk}/", {"phien_ban": "1"}).status_code == 403
        assert client.post(f"{PAGE}so-lieu/{sent['a'].pk}/tra-lai/", {"ly_do": "x"}).status_code == 403
        r = client.post(f"{PAGE}don-vi/{sent['a'].unit_id}/", {"ky": Q3.key(), f"kq_{sent['a'].pk}": "1"})
        assert r.status_code == 403
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED


def test_approver_of_commune_a_gets_404_for_commune_b(client, approvers, sent, tree):
    client.force_login(approvers["a"])
    b = sent["b"]
    assert client.get(f"{PAGE}?don_vi={tree.commune_b.pk}").status_code == 404
    assert client.post(f"{PAGE}so-lieu/{b.pk}/", {"phien_ban": "1"}).status_code == 404
    assert client.post(f"{PAGE}so-lieu/{b.pk}/tra-lai/", {"ly_do": "x"}).status_code == 404
    r = client.post(f"{PAGE}don-vi/{tree.commune_b.pk}/", {"ky": Q3.key(), f"kq_{b.pk}": "1"})
    assert r.status_code == 404
    # Ids of another unit slipped into commune A's form are ignored.
    r = client.post(f"{PAGE}don-vi/{tree.commune_a.pk}/", {"ky": Q3.key(), f"kq_{b.pk}": "1"}, **HTMX)
    assert "Không có số liệu nào để duyệt" in r.content.decode()
    assert fresh(b).status == ResultStatus.SUBMITTED


def test_outsider_gets_404_and_anonymous_signs_in(client, users, sent, tree):
    client.force_login(users.outsider)
    assert client.get(f"{PAGE}?don_vi={tree.province.pk}").status_code == 404
    assert client.post(f"{PAGE}so-lieu/{sent['a'].pk}/", {"phien_ban": "1"}).status_code == 404
    assert client.post(f"{PAGE}so-lieu/{sent['a'].pk}/tra-lai/", {"ly_do": "x"}).status_code == 404
    client.logout()
    assert client.get(PAGE).status_code == 302
    assert client.post(f"{PAGE}so-lieu/{sent['a'].pk}/", {}).status_code == 302
    assert fresh(sent["a"]).status == ResultStatus.SUBMITTED


# -- API ---------------------------------------------------------------------


def bearer(user):
    _, key = ApiToken.issue(user, "thử nghiệm")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def test_api_approve_and_return(client, approvers, sent):
    a, a2 = sent["a"], sent["a2"]
    r = post(client, f"/api/results/{a.pk}/approve?expected_version=1", {}, approvers["a"])
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "approved" and r.json()["approved_by_id"] == approvers["a"].pk
    r = post(client, f"/api/results/{a2.pk}/return", {"reason": ""}, approvers["a"])
    assert r.status_code == 422 and "lý do" in r.json()["detail"]
    r = post(
        client, f"/api/results/{a2.pk}/return", {"reason": "Sai kỳ", "expected_version": 1}, approvers["a"]
    )
    assert r.status_code == 200 and r.json()["status"] == "draft" and r.json()["returned_reason"] == "Sai kỳ"
    r = post(client, f"/api/results/{a2.pk}/approve", {}, approvers["a"])
    assert r.status_code == 422 and "chưa được gửi" in r.json()["detail"]


def test_api_bulk_approve_is_all_or_nothing(client, approvers, sent):
    ids = [sent["a"].pk, sent["a2"].pk]
    r = post(client, "/api/results/approve", {"results": ids, "versions": {str(ids[0]): 2}}, approvers["a"])
    assert r.status_code == 409
    assert set(Result.objects.values_list("status", flat=True)) == {ResultStatus.SUBMITTED}
    r = post(client, "/api/results/approve", {"results": ids}, approvers["a"])
    assert r.status_code == 200 and [x["status"] for x in r.json()] == ["approved", "approved"]


def test_api_refusals(client, approvers, sent, users):
    a, b = sent["a"], sent["b"]
    assert post(client, f"/api/results/{a.pk}/approve", {}, users.reporter).status_code == 403
    assert post(client, f"/api/results/{a.pk}/return", {"reason": "x"}, users.viewer).status_code == 403
    assert post(client, f"/api/results/{b.pk}/approve", {}, approvers["a"]).status_code == 404
    assert post(client, f"/api/results/{b.pk}/return", {"reason": "x"}, approvers["a"]).status_code == 404
    r = post(client, "/api/results/approve", {"results": [a.pk, b.pk]}, approvers["a"])
    assert r.status_code == 404
    assert post(client, f"/api/results/{a.pk}/approve", {}, users.outsider).status_code == 404
    assert client.post(f"/api/results/{a.pk}/approve").status_code == 401
    assert set(Result.objects.values_list("status", flat=True)) == {ResultStatus.SUBMITTED}


def test_changing_an_approved_figure_in_the_form_is_refused_with_the_reason(
    client, approvers, sent, users, tree, resolution
):
    # Issue 13 changes this: approval locks the figure (it used to go back for approval).
    do_approve_results([sent["a"]], acting_user=approvers["a"])
    client.force_login(users.reporter)
    data = {}
    for r in (sent["a"], sent["a2"]):
        t = r.target
        data[f"gia_tri_{t.pk}"] = "15" if r is sent["a"] else "3,2"
        data[f"ghi_chu_{t.pk}"] = ""
        data[f"phien_ban_{t.pk}"] = str(fresh(r).version)
    r = client.post(f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky={Q3.key()}", {**data, "luu": "1"})
    assert "đã được duyệt nên đã khóa" in r.content.decode()
    a = fresh(sent["a"])
    assert (a.status, a.value, a.version) == (ResultStatus.APPROVED, Decimal(10), 2)
