"""`nghiquyet first-run`: a real installation without the demo — the province
chosen, its first administrator, a working empty product."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from nghiquyet.accounts.access import home_unit
from nghiquyet.accounts.firstrun import find_province
from nghiquyet.accounts.models import Membership, Role
from nghiquyet.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "mot-mat-khau-du-dai-2026"


def run(*args, tmp_path, password=PASSWORD):
    secret = tmp_path / "mat-khau.txt"
    secret.write_text(password + "\n", encoding="utf-8")
    out = StringIO()
    call_command("first_run", "--noinput", "--password-file", str(secret), *args, stdout=out)
    return out.getvalue()


def test_first_admin_administers_the_chosen_province(tree, tmp_path, client):
    out = run("--province", "42", "--username", "qt_tinh", "--full-name", "Đặng Thị Mai", tmp_path=tmp_path)
    assert "Đã tạo quản trị viên “qt_tinh” của Tỉnh ủy Hà Tĩnh" in out
    user = get_user_model().objects.get(username="qt_tinh")
    assert (user.last_name, user.first_name) == ("Đặng Thị", "Mai")
    assert not user.is_superuser
    assert list(Membership.objects.filter(user=user).values_list("unit", "role")) == [
        (tree.province.pk, Role.ADMIN)
    ]
    assert home_unit(user) == tree.province  # the dashboard starts at the province, not the country
    actions = sorted(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert actions == ["create_user", "grant_role"]
    assert user.check_password(PASSWORD)
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200 and "Tỉnh ủy Hà Tĩnh" in page.content.decode()


@pytest.mark.parametrize("given", ["Hà Tĩnh", "ha tinh", "Tỉnh ủy Hà Tĩnh", "42"])
def test_province_by_code_or_name(tree, given):
    assert find_province(given) == tree.province


def test_unknown_province_is_refused_in_vietnamese(tree, tmp_path):
    with pytest.raises(CommandError, match="Không có tỉnh, thành phố “Hà Tây”"):
        run("--province", "Hà Tây", "--username", "qt", tmp_path=tmp_path)
    assert not get_user_model().objects.exists()


def test_short_password_is_refused_and_nothing_is_written(tree, tmp_path):
    with pytest.raises(CommandError):
        run("--province", "42", "--username", "qt", tmp_path=tmp_path, password="123")
    assert not get_user_model().objects.exists() and not AuditEntry.objects.exists()


def test_second_run_creates_no_second_administrator(tree, tmp_path):
    run("--province", "42", "--username", "qt_tinh", tmp_path=tmp_path)
    out = run("--province", "40", "--username", "qt_khac", tmp_path=tmp_path)
    assert "đã có quản trị viên" in out
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["qt_tinh"]


def test_without_password_noinput_says_how(tree, monkeypatch):
    monkeypatch.delenv("NGHIQUYET_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--password-file"):
        call_command("first_run", "--noinput", "--province", "42", "--username", "qt", stdout=StringIO())


def test_list_provinces(tree):
    out = StringIO()
    call_command("first_run", "--noinput", "--list-provinces", stdout=out)
    assert out.getvalue().splitlines() == ["42  Tỉnh ủy Hà Tĩnh", "40  Tỉnh ủy Nghệ An"]


CHECK_LOGIN = textwrap.dedent(
    """
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from nghiquyet.orgs.models import OrgUnit
    user = get_user_model().objects.get(username="qt_hatinh")
    assert user.check_password(open(__import__("sys").argv[1]).read().strip())
    c = Client()
    c.force_login(user)
    page = c.get("/")
    print(page.status_code, OrgUnit.objects.filter(kind="province", valid_to__isnull=True).count())
    """
)


def test_fresh_installation_end_to_end(tmp_path):
    """On an empty data folder: tables, the real units, the administrator; the product then serves."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env.update(NGHIQUYET_DATA_DIR=str(tmp_path / "data"), DJANGO_SETTINGS_MODULE="config.settings")
    secret = tmp_path / "mk.txt"
    secret.write_text(PASSWORD)
    first = subprocess.run(
        [sys.executable, "-m", "nghiquyet", "first-run", "--noinput", "--province", "Hà Tĩnh"]
        + ["--username", "qt_hatinh", "--full-name", "Đặng Thị Mai", "--password-file", str(secret)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert first.returncode == 0, first.stderr
    assert "34 tỉnh, thành phố" in first.stdout and "Đã tạo quản trị viên “qt_hatinh”" in first.stdout
    assert (tmp_path / "data" / "secret_key").exists()
    check = subprocess.run(
        [sys.executable, "-c", CHECK_LOGIN, str(secret)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.stdout.split() == ["200", "34"], check.stderr
