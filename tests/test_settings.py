"""Settings read from the environment: security switches with safe defaults,
and typos that stop the start instead of being read as "off"."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings as live_settings
from django.core.exceptions import ImproperlyConfigured

SETTINGS_FILE = live_settings.BASE_DIR / "config" / "settings.py"
OUR_VARIABLES = (
    "DEBUG",
    "NGHIQUYET_HTTPS",
    "NGHIQUYET_HSTS_SECONDS",
    "NGHIQUYET_HSTS_SUBDOMAINS",
    "NGHIQUYET_SSL_REDIRECT",
    "NGHIQUYET_PROXY_HTTPS_HEADER",
    "NGHIQUYET_SESSION_HOURS",
    "NGHIQUYET_SESSION_BROWSER_CLOSE",
    "NGHIQUYET_LOGIN_FAILURES",
    "NGHIQUYET_LOGIN_LOCK_MINUTES",
    "NGHIQUYET_TRUSTED_PROXIES",
)


@pytest.fixture
def load(monkeypatch, tmp_path):
    """Evaluate config/settings.py afresh under the given environment."""
    for name in OUR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NGHIQUYET_DATA_DIR", str(tmp_path))

    def _load(**env: str) -> dict:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return _load


def test_plain_http_defaults_keep_login_working(load):
    conf = load()
    assert conf["SESSION_COOKIE_SECURE"] is False and conf["CSRF_COOKIE_SECURE"] is False
    assert conf["SECURE_HSTS_SECONDS"] == 0
    assert "SECURE_PROXY_SSL_HEADER" not in conf
    assert conf["SESSION_COOKIE_AGE"] == 8 * 3600
    assert conf["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert conf["SECURE_REFERRER_POLICY"] == "same-origin"
    assert conf["NGHIQUYET_TRUSTED_PROXIES"] == []


def test_database_connections_are_health_checked(load):
    assert load()["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    pg = load(DATABASE_URL="postgres://postgres@127.0.0.1:5432/nghiquyet")
    assert pg["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert pg["DATABASES"]["default"]["CONN_MAX_AGE"] > 0


def test_declared_https_makes_cookies_secure_and_turns_hsts_on(load):
    conf = load(NGHIQUYET_HTTPS="1")
    assert conf["SESSION_COOKIE_SECURE"] is True and conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SECURE_HSTS_SECONDS"] > 0
    assert load(NGHIQUYET_HTTPS="yes", NGHIQUYET_HSTS_SECONDS="31536000")["SECURE_HSTS_SECONDS"] == 31536000


def test_proxy_https_header_only_when_declared(load):
    conf = load(NGHIQUYET_PROXY_HTTPS_HEADER="on")
    assert conf["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_session_and_lockout_lengths_from_environment(load):
    conf = load(NGHIQUYET_SESSION_HOURS="2", NGHIQUYET_LOGIN_FAILURES="10", NGHIQUYET_LOGIN_LOCK_MINUTES="30")
    assert conf["SESSION_COOKIE_AGE"] == 7200
    assert conf["AXES_FAILURE_LIMIT"] == 10
    assert conf["AXES_COOLOFF_TIME"].total_seconds() == 1800
    assert load(NGHIQUYET_TRUSTED_PROXIES="10.0.0.2, 10.1.0.0/16")["NGHIQUYET_TRUSTED_PROXIES"] == [
        "10.0.0.2",
        "10.1.0.0/16",
    ]


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "ture"), ("NGHIQUYET_HTTPS", "có"), ("DEBUG", "2")])
def test_malformed_boolean_stops_the_start(load, name, value):
    with pytest.raises(ImproperlyConfigured, match=name) as info:
        load(**{name: value})
    assert "1, true, yes, on" in str(info.value) and "0, false, no, off" in str(info.value)


def test_malformed_trusted_proxy_stops_the_start(load):
    with pytest.raises(ImproperlyConfigured, match="10.0.0.x"):
        load(NGHIQUYET_TRUSTED_PROXIES="10.0.0.2,10.0.0.x")


@pytest.mark.parametrize("value", ["tám", "-1", "0"])
def test_malformed_number_stops_the_start(load, value):
    with pytest.raises(ImproperlyConfigured, match="NGHIQUYET_SESSION_HOURS"):
        load(NGHIQUYET_SESSION_HOURS=value)


def test_booleans_accept_the_usual_spellings(load):
    assert load(DEBUG="Off")["DEBUG"] is False
    assert load(DEBUG=" TRUE ")["DEBUG"] is True
    assert load(DEBUG="")["DEBUG"] is False


def test_https_deployment_passes_django_security_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES and k != "DATABASE_URL"}
    env.update(
        NGHIQUYET_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
        NGHIQUYET_HTTPS="1",
        NGHIQUYET_SSL_REDIRECT="1",
        NGHIQUYET_HSTS_SECONDS="31536000",
        NGHIQUYET_HSTS_SUBDOMAINS="1",
        ALLOWED_HOSTS="nghiquyet.example.vn",
    )
    out = subprocess.run(
        [sys.executable, "-m", "nghiquyet", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=live_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # Preload is a one-way promise to browser vendors: left to the office.
    warnings = [line for line in out.stderr.splitlines() if "security.W" in line and "W021" not in line]
    assert warnings == [], out.stderr


# -- no writing at import; the `nghiquyet` command makes the data folder and key ------------


def test_importing_settings_writes_nothing(load, monkeypatch, tmp_path):
    folder = tmp_path / "chua-co"
    monkeypatch.setenv("NGHIQUYET_DATA_DIR", str(folder))
    conf = load(SECRET_KEY="k" * 50)
    assert conf["DATA_DIR"] == folder
    assert not folder.exists()


def test_missing_secret_key_stops_the_start_and_says_how(load, monkeypatch, tmp_path):
    folder = tmp_path / "chua-co"
    monkeypatch.setenv("NGHIQUYET_DATA_DIR", str(folder))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="nghiquyet migrate"):
        load()
    assert not folder.exists()


def test_key_file_is_read_when_no_variable(load, monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("khoa-bi-mat-cua-van-phong\n")
    assert load()["SECRET_KEY"] == "khoa-bi-mat-cua-van-phong"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONN_MAX_AGE", "sáu mươi"),
        ("LOG_LEVEL", "nhiều"),
        ("DATABASE_URL", "postgress://postgres@127.0.0.1:5432/nghiquyet"),
        ("NGHIQUYET_MAX_UPLOAD_MB", "hai mươi"),
        ("NGHIQUYET_REPORTING_WINDOW_DAYS", "-3"),
    ],
)
def test_other_malformed_variables_stop_the_start(load, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        load(**{name: value})


def test_data_dir_that_is_a_file_stops_the_start(load, monkeypatch, tmp_path):
    (tmp_path / "tep").write_text("")
    monkeypatch.setenv("NGHIQUYET_DATA_DIR", str(tmp_path / "tep"))
    with pytest.raises(ImproperlyConfigured, match="không phải thư mục"):
        load()


def test_log_level_accepts_lower_case(load):
    assert load(LOG_LEVEL="info")["LOGGING"]["root"]["level"] == "INFO"


def test_prepare_makes_folder_and_owner_only_key_once(tmp_path):
    from nghiquyet.core.datadir import prepare

    env = {"NGHIQUYET_DATA_DIR": str(tmp_path / "du-lieu")}
    folder = prepare(env)
    key = folder / "secret_key"
    assert folder == tmp_path / "du-lieu" and (folder / "static").is_dir()
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_text()
    assert len(first) >= 50
    prepare(env)
    assert key.read_text() == first  # a second run keeps it: a new key would log everyone out
    assert sorted(p.name for p in folder.iterdir()) == ["secret_key", "static"]


def test_prepare_writes_no_key_when_the_variable_is_set(tmp_path):
    from nghiquyet.core.datadir import prepare

    folder = prepare({"NGHIQUYET_DATA_DIR": str(tmp_path / "d"), "SECRET_KEY": "k" * 50})
    assert not (folder / "secret_key").exists()


def test_first_nghiquyet_command_makes_data_folder_and_key(tmp_path):
    folder = tmp_path / "lan-dau"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in OUR_VARIABLES and k not in ("DATABASE_URL", "SECRET_KEY")
    }
    env.update(NGHIQUYET_DATA_DIR=str(folder), DJANGO_SETTINGS_MODULE="config.settings")
    out = subprocess.run(
        [sys.executable, "-m", "nghiquyet", "check"],
        cwd=live_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600


def test_missing_frontend_folder_is_a_check_error(settings, tmp_path):
    from nghiquyet.core.checks import frontend_files

    assert frontend_files() == []
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("vendor/x", tmp_path / "khong-co")]
    errors = frontend_files()
    assert [e.id for e in errors] == ["nghiquyet.E001"]
    assert "npm ci" in errors[0].msg and "khong-co" in errors[0].msg


EMAIL_VARIABLES = (
    "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL",
    "NGHIQUYET_SITE_URL",
)  # fmt: skip


@pytest.fixture
def load_mail(load, monkeypatch):
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return load


def test_email_goes_to_the_console_by_default(load_mail):
    conf = load_mail()
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert conf["EMAIL_PORT"] == 25 and conf["EMAIL_USE_TLS"] is False


def test_email_host_switches_to_smtp(load_mail):
    conf = load_mail(
        EMAIL_HOST="mail.tinhuy.vn", EMAIL_PORT="587", EMAIL_USE_TLS="1", DEFAULT_FROM_EMAIL="vp@tinhuy.vn"
    )
    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"], conf["EMAIL_USE_TLS"]) == ("mail.tinhuy.vn", 587, True)
    assert conf["DEFAULT_FROM_EMAIL"] == "vp@tinhuy.vn"


@pytest.mark.parametrize(
    "env, words",
    [
        ({"EMAIL_PORT": "hai lăm"}, "EMAIL_PORT"),
        ({"EMAIL_PORT": "70000"}, "cổng từ 1 đến 65535"),
        ({"EMAIL_USE_TLS": "có"}, "EMAIL_USE_TLS"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "Chỉ bật một"),
        ({"EMAIL_TIMEOUT": "0"}, "EMAIL_TIMEOUT"),
        ({"DEFAULT_FROM_EMAIL": "van phong tinh uy"}, "không phải địa chỉ thư"),
        ({"NGHIQUYET_SITE_URL": "10.0.0.5:8000"}, "http://"),
    ],
)
def test_malformed_email_settings_stop_the_start(load_mail, env, words):
    with pytest.raises(ImproperlyConfigured, match=words):
        load_mail(**env)
