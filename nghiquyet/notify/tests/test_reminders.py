"""Reminders: who gets which, on which day, and never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from nghiquyet.notify.actions import do_send_reminders
from nghiquyet.notify.models import Kind, Notification, SentReminder
from nghiquyet.targets.actions import do_return_result
from nghiquyet.tasks.actions import do_create_task

from .conftest import at

pytestmark = pytest.mark.django_db


def _sent(report) -> dict[str, list[str]]:
    """{reminder key: recipients' logins}."""
    return {r.key: sorted(u.username for u in r.users) for r in report.sent}


def test_five_days_before_the_deadline(tree, users, cycle):
    # 31/12/2026: 5 days to 05/01/2027. Commune B sent 0 of 3; commune A's
    # three figures wait for the province's approvers (admin and approver).
    with at(2026, 12, 31):
        report = do_send_reminders()
    r = cycle.round.pk
    q4 = "2026-Q4"
    stamp = int(max(x.submitted_at for x in cycle.results).timestamp())
    assert _sent(report) == {
        f"round:{r}:unit:{tree.commune_b.pk}:before5": ["bc_tunganh"],
        f"approve:{tree.province.pk}:{stamp}": ["duyet_tinh", "qt_tinh"],
    }
    soon = Notification.objects.get(user=users.reporter_b)
    assert soon.kind == Kind.DEADLINE_SOON
    assert soon.title == "Đợt báo cáo Quý IV/2026: còn 5 ngày (Đảng ủy xã Tùng Ảnh)"
    assert "đã gửi 0/3 chỉ tiêu" in soon.body and "hết ngày 05/01/2027" in soon.body
    assert soon.url == f"/dot-bao-cao/{r}/"
    approve = Notification.objects.get(user=cycle.approver)
    assert approve.title == "3 số liệu chờ duyệt (1 đơn vị)"
    assert approve.body == "Số liệu đã gửi, đang chờ duyệt:\nĐảng ủy xã Đức Thọ, Quý IV/2026: 3"
    assert approve.url == f"/so-lieu/duyet/?don_vi={tree.province.pk}&ky={q4}"
    # Emails to those with an address: reporter B, the approver, the admin.
    assert sorted(m.to[0] for m in mail.outbox) == ["duyet@tinh.vn", "qt@tinh.vn", "tunganh@xa.vn"]
    assert mail.outbox[0].subject.startswith("[Theo dõi nghị quyết] ")
    assert not any("\n\n/" in m.body for m in mail.outbox)  # no site address set: no half link


def test_emails_link_to_the_site_when_its_address_is_set(tree, users, cycle, settings):
    settings.NGHIQUYET_SITE_URL = "http://10.0.0.5:8000"
    with at(2026, 12, 31):
        do_send_reminders()
    to_b = next(m for m in mail.outbox if m.to == ["tunganh@xa.vn"])
    assert to_b.subject == "[Theo dõi nghị quyết] Đợt báo cáo Quý IV/2026: còn 5 ngày (Đảng ủy xã Tùng Ảnh)"
    assert to_b.body.endswith(f"\n\nhttp://10.0.0.5:8000/dot-bao-cao/{cycle.round.pk}/")


def test_running_twice_sends_each_reminder_once(tree, users, cycle):
    with at(2026, 12, 31):
        first = do_send_reminders()
        second = do_send_reminders()
    assert len(first.sent) == 2 and first.notifications == 3
    assert second.sent == [] and second.notifications == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3
    assert SentReminder.objects.count() == 2


def test_command_twice_in_a_row(tree, users, cycle, capsys):
    with at(2026, 12, 31):
        call_command("send_reminders")
        out1 = capsys.readouterr().out
        call_command("send_reminders")
        out2 = capsys.readouterr().out
    assert "Đã gửi 2 nhắc việc, 3 thông báo, 3 thư." in out1
    assert "Đã gửi 0 nhắc việc, 0 thông báo, 0 thư." in out2
    assert len(mail.outbox) == 3


def test_dry_run_sends_nothing(tree, users, cycle, capsys):
    with at(2026, 12, 31):
        call_command("send_reminders", "--dry-run")
    assert "Sẽ gửi 2 nhắc việc, 3 thông báo" in capsys.readouterr().out
    assert Notification.objects.count() == 0 and SentReminder.objects.count() == 0 and not mail.outbox


def test_stages_one_day_before_then_late(tree, users, cycle):
    with at(2026, 12, 31):
        do_send_reminders()
    with at(2027, 1, 1):  # 4 days left: the 5-day reminder is already sent
        assert do_send_reminders().sent == []
    with at(2027, 1, 4):
        one = do_send_reminders()
    with at(2027, 1, 5):  # the deadline day: "1 day" already sent
        same_day = do_send_reminders()
    with at(2027, 1, 6):
        late = do_send_reminders()
    r, b = cycle.round.pk, tree.commune_b.pk
    assert _sent(one) == {f"round:{r}:unit:{b}:before1": ["bc_tunganh"]}
    assert one.sent[0].title == "Đợt báo cáo Quý IV/2026: còn 1 ngày (Đảng ủy xã Tùng Ảnh)"
    assert same_day.sent == []
    # Late: the unit and the level above it (the province's approvers).
    p = tree.province.pk
    assert _sent(late) == {
        f"round:{r}:unit:{b}:late": ["bc_tunganh"],
        f"round:{r}:above:{p}:late:2027-01-05": ["duyet_tinh", "qt_tinh"],
    }
    assert late.sent[0].title == "Đợt báo cáo Quý IV/2026: Đảng ủy xã Tùng Ảnh quá hạn báo cáo"
    assert late.sent[1].title == "Đợt báo cáo Quý IV/2026: 1 đơn vị trực thuộc quá hạn báo cáo"
    assert late.sent[1].body == (
        "Hạn báo cáo kỳ Quý IV/2026 (hết ngày 05/01/2027) đã qua; chưa gửi đủ số liệu: Đảng ủy xã Tùng Ảnh."
    )


def test_first_run_on_the_deadline_day_says_so(tree, users, cycle):
    with at(2027, 1, 5):
        report = do_send_reminders()
    titles = [r.title for r in report.sent if r.kind == Kind.DEADLINE_SOON]
    assert titles == ["Đợt báo cáo Quý IV/2026: hôm nay là hạn cuối (Đảng ủy xã Tùng Ảnh)"]


def test_a_returned_figure_goes_to_who_entered_it(tree, users, cycle):
    with at(2026, 12, 31):
        do_send_reminders()
    with at(2027, 1, 2):
        do_return_result(cycle.results[0], reason="Số kết nạp chưa khớp biên bản", acting_user=cycle.approver)
        report = do_send_reminders()
    returned = [r for r in report.sent if r.kind == Kind.RETURNED]
    assert [sorted(u.username for u in r.users) for r in returned] == [["bc_ductho"]]
    note = Notification.objects.get(user=users.reporter, kind=Kind.RETURNED)
    assert note.title == "Số liệu bị trả lại: Kết nạp đảng viên mới (Đảng ủy xã Đức Thọ, Quý IV/2026)"
    assert note.body == "Lý do: Số kết nạp chưa khớp biên bản"
    assert note.url == f"/so-lieu/bao-cao/?don_vi={tree.commune_a.pk}&ky=2026-Q4"


def test_a_task_reminds_its_lead_unit_when_due_and_when_overdue(tree, users):
    task = do_create_task(
        title="Rà soát đảng viên",
        lead_unit=tree.commune_a,
        deadline=dt.date(2027, 3, 10),
        acting_user=users.province_admin,
    )
    with at(2027, 3, 6):  # 4 days before: not yet
        assert do_send_reminders().sent == []
    with at(2027, 3, 7):
        due = do_send_reminders()
    with at(2027, 3, 11):
        overdue = do_send_reminders()
    assert _sent(due) == {f"task:{task.pk}:due:2027-03-10": ["bc_ductho"]}
    assert due.sent[0].title == "Nhiệm vụ đến hạn (còn 3 ngày): Rà soát đảng viên"
    assert _sent(overdue) == {f"task:{task.pk}:overdue:2027-03-10": ["bc_ductho"]}
    assert overdue.sent[0].url == f"/nhiem-vu/{task.pk}/"


def test_mail_server_down_keeps_the_notifications(tree, users, cycle, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens
    settings.EMAIL_TIMEOUT = 2
    with at(2026, 12, 31):
        report = do_send_reminders()
        again = do_send_reminders()
    assert report.email_errors and report.emails == 0
    assert Notification.objects.count() == 3 and not Notification.objects.filter(emailed=True).exists()
    assert again.sent == []


def test_the_level_above_gets_one_message_naming_its_late_units(tree, users, cycle):
    with at(2027, 1, 2):  # A's figure returned: A has 2 of 3 again
        do_return_result(cycle.results[0], reason="Chưa khớp", acting_user=cycle.approver)
    with at(2027, 1, 6):
        report = do_send_reminders()
    above = [r for r in report.sent if ":above:" in r.key]
    assert len(above) == 1
    assert above[0].title == "Đợt báo cáo Quý IV/2026: 2 đơn vị trực thuộc quá hạn báo cáo"
    assert above[0].body.endswith("chưa gửi đủ số liệu: Đảng ủy xã Đức Thọ, Đảng ủy xã Tùng Ảnh.")
    own = sorted(
        (r.key.split(":")[3], [u.username for u in r.users]) for r in report.sent if ":unit:" in r.key
    )
    assert own == sorted([(str(tree.commune_a.pk), ["bc_ductho"]), (str(tree.commune_b.pk), ["bc_tunganh"])])


def test_a_new_submission_brings_a_new_count_to_approvers(tree, users, resolution, cycle):
    from nghiquyet.targets.actions import do_save_result

    with at(2026, 12, 31):
        do_send_reminders()
    with at(2027, 1, 2):
        do_save_result(
            resolution.new_members, tree.commune_b, "2026-Q4", 9, acting_user=users.reporter_b, submit=True
        )
        report = do_send_reminders()
        again = do_send_reminders()
    approve = [r for r in report.sent if r.kind == Kind.TO_APPROVE]
    assert [(r.title, sorted(u.username for u in r.users)) for r in approve] == [
        ("4 số liệu chờ duyệt (2 đơn vị)", ["duyet_tinh", "qt_tinh"])
    ]
    assert approve[0].body.splitlines()[1:] == [
        "Đảng ủy xã Đức Thọ, Quý IV/2026: 3",
        "Đảng ủy xã Tùng Ảnh, Quý IV/2026: 1",
    ]
    assert again.sent == []


def test_figures_without_a_submission_time_still_reach_approvers(tree, users, cycle):
    from nghiquyet.targets.models import Result

    Result.objects.filter(pk__in=[r.pk for r in cycle.results]).update(submitted_at=None)
    with at(2026, 12, 31):
        report = do_send_reminders()
    assert [r.key for r in report.sent if r.kind == Kind.TO_APPROVE] == [f"approve:{tree.province.pk}:0"]
