"""Login throttling: one account from one address is locked after repeated
wrong passwords; nobody else is; the lock ends by itself or by an admin."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nghiquyet.accounts.lockout import client_ip
from nghiquyet.audit.models import AuditEntry

PASSWORD = "mat-khau-dung-123"
OFFICE = "10.0.5.20"
ELSEWHERE = "10.0.9.77"
PROXY = "10.0.0.254"


@pytest.fixture
def leader(django_user_model):
    return django_user_model.objects.create_user(username="lanhdao", password=PASSWORD)


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(username="vanthu", password=PASSWORD)


def login(client, username: str, password: str, ip: str = OFFICE, **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("home")


def lock(client, username: str = "lanhdao", ip: str = OFFICE, **extra) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "sai-mat-khau", ip, **extra)


@pytest.mark.django_db
def test_wrong_passwords_lock_that_account_from_that_address(client, leader):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "lanhdao", "sai-mat-khau").status_code == 200
    response = login(client, "lanhdao", "sai-mat-khau")
    assert response.status_code == 429

    response = login(client, "lanhdao", PASSWORD)
    assert response.status_code == 429
    assert "Đăng nhập tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_locked_login_costs_no_password_hash(client, leader):
    lock(client)
    with mock.patch.object(ModelBackend, "authenticate", autospec=True) as check_password:
        login(client, "lanhdao", PASSWORD)
    check_password.assert_not_called()


@pytest.mark.django_db
def test_same_account_from_another_address_still_logs_in(client, leader):
    lock(client)
    assert logged_in(login(client, "lanhdao", PASSWORD, ip=ELSEWHERE))


@pytest.mark.django_db
def test_another_account_from_the_same_address_still_logs_in(client, leader, clerk):
    lock(client)
    assert logged_in(login(client, "vanthu", PASSWORD))


@pytest.mark.django_db
def test_lock_ends_by_itself_after_the_cooloff(client, leader):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        lock(client)
        traveller.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=30))
        assert login(client, "lanhdao", PASSWORD).status_code == 429
        # That refused try counted as a failure and started the cool-off again.
        traveller.shift(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))
        assert logged_in(login(client, "lanhdao", PASSWORD))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        ("axes_reset_username", "lanhdao"),
        ("axes_reset_ip_username", OFFICE, "lanhdao"),
        ("axes_reset_ip", OFFICE),
        ("axes_reset",),
    ],
)
def test_admin_command_unlocks_at_once(client, leader, command, capsys):
    lock(client)
    call_command(*command)
    assert "Đã mở khóa" in capsys.readouterr().out
    assert logged_in(login(client, "lanhdao", PASSWORD))


@pytest.mark.django_db
def test_admin_deleting_the_attempt_unlocks(admin_client, client, leader):
    from axes.models import AccessAttempt

    lock(client)
    attempt = AccessAttempt.objects.get(username="lanhdao")
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert logged_in(login(client, "lanhdao", PASSWORD))


@pytest.mark.django_db
def test_unlocking_by_command_is_audited(client, leader):
    lock(client)
    call_command("axes_reset_username", "lanhdao")
    row = AuditEntry.objects.get(action="login_unlocked")
    assert row.object_type == "axes.accessattempt"
    assert row.before == {
        "username": "lanhdao",
        "ip_address": OFFICE,
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    assert row.actor is None  # from the command line


@pytest.mark.django_db
def test_unlocking_in_the_admin_is_audited(admin_client, client, leader):
    from axes.models import AccessAttempt

    lock(client)
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    url = reverse("admin:axes_accessattempt_changelist")
    r = admin_client.post(url, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert r.status_code == 302
    assert not AccessAttempt.objects.exists()
    row = AuditEntry.objects.get(action="login_unlocked")
    assert row.before["username"] == "lanhdao" and row.actor.is_superuser
    assert logged_in(login(client, "lanhdao", PASSWORD))


@pytest.mark.django_db
def test_each_lockout_writes_one_audit_row(client, leader):
    lock(client)
    login(client, "lanhdao", "sai-mat-khau")
    login(client, "lanhdao", PASSWORD)
    rows = AuditEntry.objects.filter(action="login_locked_out")
    assert rows.count() == 1
    row = rows.get()
    assert row.object_type == "axes.accessattempt"
    assert row.after["username"] == "lanhdao"
    assert row.after["ip_address"] == OFFICE
    assert row.after["failures"] == settings.AXES_FAILURE_LIMIT

    call_command("axes_reset_username", "lanhdao")
    lock(client)
    assert AuditEntry.objects.filter(action="login_locked_out").count() == 2


@pytest.mark.django_db
def test_forwarded_for_is_ignored_without_a_trusted_proxy(client, leader):
    # Rotating a made-up header must not buy fresh guesses.
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, "lanhdao", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert login(client, "lanhdao", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client, leader, settings):
    settings.NGHIQUYET_TRUSTED_PROXIES = [PROXY]
    lock(client, ip=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)
    assert login(client, "lanhdao", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=OFFICE).status_code == 429
    assert logged_in(login(client, "lanhdao", PASSWORD, ip=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE))


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        ([], OFFICE, "1.2.3.4", OFFICE),  # no proxy declared: header ignored
        ([PROXY], OFFICE, "1.2.3.4", OFFICE),  # not from our proxy: header ignored
        ([PROXY], PROXY, OFFICE, OFFICE),
        ([PROXY], PROXY, f"6.6.6.6, {OFFICE}", OFFICE),  # the client's own left entry is not believed
        (["10.0.0.0/24"], PROXY, f"{OFFICE}, 10.0.0.7", OFFICE),  # two of our proxies in a row
        ([PROXY], PROXY, None, PROXY),
        ([PROXY], PROXY, "rác, ", PROXY),
        (["2001:db8::/32"], "2001:db8::1", "2001:db8:ffff::1, 2400:cb00::5", "2400:cb00::5"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.NGHIQUYET_TRUSTED_PROXIES = proxies
    assert client_ip(_request(remote, forwarded)) == expected
