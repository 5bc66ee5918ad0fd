"""Settings, all from the environment.

NGHIQUYET_DATA_DIR   where the SQLite database, secret key and uploads live (default ./data)
DATABASE_URL         e.g. postgres://postgres@127.0.0.1:5432/nghiquyet (default: SQLite in the data dir)
SECRET_KEY           generated once and kept in the data dir when not given
DEBUG                "1" for development pages
ALLOWED_HOSTS        comma-separated (default 127.0.0.1,localhost)
NGHIQUYET_HTTPS, NGHIQUYET_*  security and login lockout: see the blocks below and README
NGHIQUYET_MAX_UPLOAD_MB  largest file a user may upload, in MB (default 20)
CONN_MAX_AGE, LOG_LEVEL  database connection reuse (seconds), log level (WARNING)

EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT,
DEFAULT_FROM_EMAIL, NGHIQUYET_SITE_URL   reminders by email (SMTP when EMAIL_HOST is set, else the console)

Importing the settings writes nothing: the `nghiquyet` command makes the data
folder and the secret key on its first run (nghiquyet.core.datadir). A malformed
variable stops the start with a message naming it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from nghiquyet.core.datadir import DataDirError, data_dir, read_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def env_bool(name: str, default: bool = False) -> bool:
    # A typo ("ture", "có") must stop the start, not silently read as "off".
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Biến môi trường {name}={os.environ[name]!r} không hợp lệ: "
        f"dùng một trong {', '.join(_TRUE)} (bật) hoặc {', '.join(_FALSE)} (tắt)."
    )


def env_int(name: str, default: int, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ImproperlyConfigured(
            f"Biến môi trường {name}={os.environ[name]!r} không hợp lệ: cần số nguyên từ {minimum} trở lên."
        )
    return number


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    key = read_secret_key(DATA_DIR)
    if key is None:
        raise ImproperlyConfigured(
            f"Chưa có khóa bí mật trong {DATA_DIR}: chạy một lệnh `nghiquyet` (ví dụ `nghiquyet migrate`) "
            "để tạo thư mục dữ liệu và khóa, hoặc đặt biến SECRET_KEY."
        )
    return key


try:
    DATA_DIR = data_dir()
    SECRET_KEY = _secret_key()
except DataDirError as err:
    raise ImproperlyConfigured(str(err)) from None
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "nghiquyet.core",
    "nghiquyet.audit",
    "nghiquyet.orgs",
    "nghiquyet.accounts",
    "nghiquyet.documents",
    "nghiquyet.targets",
    "nghiquyet.rounds",
    "nghiquyet.meetings",
    "nghiquyet.tasks",
    "nghiquyet.reports",
    "nghiquyet.ingestion",
    "nghiquyet.notify",
    "nghiquyet.home",
    "axes",  # last: nghiquyet.accounts overrides its commands with Vietnamese ones
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # outermost but one: error pages get the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "nghiquyet.core.middleware.StorageErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes requires: turns a lockout into the 429 page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.config(
            default=f"sqlite:///{DATA_DIR / 'nghiquyet.sqlite3'}",
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            # A kept connection is tested before each request reuses it: after a
            # PostgreSQL restart no thread answers one request with an error.
            conn_health_checks=True,
        )
    }
except ValueError as err:  # an unknown scheme ("postgress://"), a port that is not a number
    raise ImproperlyConfigured(
        f"Biến môi trường DATABASE_URL không hợp lệ ({err}): ví dụ postgres://người_dùng@máy:5432/tên_csdl."
    ) from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a report deadline brings bursts of writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # made by `nghiquyet` (datadir.prepare): WhiteNoise warns without it
# Front-end packages come from the npm registry at set-up and are served by
# the application itself: offices run on intranets with no internet.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/echarts", BASE_DIR / "node_modules" / "echarts" / "dist"),
]
# A missing front-end folder (npm not run) is a system check error
# (nghiquyet.core.checks), not a page silently without its scripts.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MEDIA_ROOT = DATA_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp), enforced, not report-only ---
# Every script is a static file served by the application: no inline <script>,
# no on* attributes, no eval (htmx runs with allowEval off, see base.html).
# style-src keeps 'unsafe-inline' for style attributes (bar widths, ECharts' SVG).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# --- end CSP ---

# PDF builds (LibreOffice, nghiquyet.reports.pdf): time limit of one build, builds at once.
PDF_TIMEOUT_SECONDS = env_int("NGHIQUYET_PDF_TIMEOUT", 120, minimum=1)
PDF_MAX_CONCURRENT = env_int("NGHIQUYET_PDF_MAX_CONCURRENT", 2, minimum=1)

# Days after a period's end during which units still report; a period is judged only after.
NGHIQUYET_REPORTING_WINDOW_DAYS = env_int("NGHIQUYET_REPORTING_WINDOW_DAYS", 15)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "WARNING"
if not isinstance(logging.getLevelName(LOG_LEVEL), int):
    raise ImproperlyConfigured(
        f"Biến môi trường LOG_LEVEL={os.environ['LOG_LEVEL']!r} không hợp lệ: dùng DEBUG, INFO, WARNING, ERROR hoặc CRITICAL."
    )

# --- Email (reminders, nghiquyet.notify) -------------------------------------
# The console backend (messages printed to the server's output) unless an
# SMTP server is named: the demo and a fresh install send nothing outside.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
if EMAIL_PORT > 65535:
    raise ImproperlyConfigured(f"Biến môi trường EMAIL_PORT={EMAIL_PORT} không hợp lệ: cổng từ 1 đến 65535.")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Chỉ bật một trong EMAIL_USE_TLS (STARTTLS, cổng 587) và EMAIL_USE_SSL (cổng 465)."
    )
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "nghiquyet@localhost").strip()
if DEFAULT_FROM_EMAIL.count("@") != 1 or any(c.isspace() for c in DEFAULT_FROM_EMAIL.split("<")[-1]):
    raise ImproperlyConfigured(
        f"Biến môi trường DEFAULT_FROM_EMAIL={DEFAULT_FROM_EMAIL!r} không phải địa chỉ thư, ví dụ vanphong@tinhuy.vn."
    )
# The address users open the product at, for links in emails (e.g. http://10.0.0.5:8000).
NGHIQUYET_SITE_URL = os.environ.get("NGHIQUYET_SITE_URL", "").strip().rstrip("/")
if NGHIQUYET_SITE_URL and not NGHIQUYET_SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"Biến môi trường NGHIQUYET_SITE_URL={NGHIQUYET_SITE_URL!r} phải bắt đầu bằng http:// hoặc https://."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}


# --- Security (HTTPS, cookies, sessions) ------------------------------------
# The demo and many offices run on plain http://host:8000, where a "secure"
# cookie is never sent back and nobody could log in: cookies are secure, and
# HSTS on, only when the office declares HTTPS (NGHIQUYET_HTTPS=1).
HTTPS = env_bool("NGHIQUYET_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("NGHIQUYET_HSTS_SECONDS", 86400 if HTTPS and not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("NGHIQUYET_HSTS_SUBDOMAINS")
SECURE_SSL_REDIRECT = env_bool("NGHIQUYET_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors probe plain http on the host itself
# Only a proxy in front may say "this came over HTTPS"; trusted when declared.
if env_bool("NGHIQUYET_PROXY_HTTPS_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A working day, not Django's 14 days: shared office PCs stay logged in otherwise.
SESSION_COOKIE_AGE = env_int("NGHIQUYET_SESSION_HOURS", 8, minimum=1) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("NGHIQUYET_SESSION_BROWSER_CLOSE")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Login throttling (django-axes) ------------------------------------------
# Locked: one account from one address. A whole provincial office shares one
# address, and a guesser elsewhere must not lock a leader out at a deadline.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("NGHIQUYET_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("NGHIQUYET_LOGIN_LOCK_MINUTES", 15, minimum=1))
AXES_LOCKOUT_CALLABLE = "nghiquyet.accounts.lockout.lockout_response"
# The client address: REMOTE_ADDR, or X-Forwarded-For only when it comes from
# a proxy listed here (addresses or networks, e.g. 10.0.0.2,192.168.1.0/24).
NGHIQUYET_TRUSTED_PROXIES = env_list("NGHIQUYET_TRUSTED_PROXIES", "")
for _proxy in NGHIQUYET_TRUSTED_PROXIES:  # a typo must stop the start, not every login
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"NGHIQUYET_TRUSTED_PROXIES: “{_proxy}” không phải địa chỉ IP hay dải mạng (ví dụ 10.0.0.0/24)."
        ) from None
AXES_CLIENT_IP_CALLABLE = "nghiquyet.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# Axes masks the account and address in its log lines by default; an office
# administrator needs them to see who is guessing. Passwords stay masked.
AXES_SENSITIVE_PARAMETERS: list[str] = []

# --- Uploads (nghiquyet.core.uploads) -----------------------------------------
# One limit for any file sent. The middleware, first, answers 413 in
# Vietnamese before the body is parsed; Waitress (serve) refuses a body over
# NGHIQUYET_MAX_REQUEST_BYTES (twice the limit) at its headers.


def _upload_limit() -> int:
    try:
        mb = float(os.environ.get("NGHIQUYET_MAX_UPLOAD_MB", "20"))
    except ValueError:
        mb = 0
    if not 0 < mb < 1_000_000:  # nan and inf too
        raise ImproperlyConfigured("NGHIQUYET_MAX_UPLOAD_MB phải là một số MB lớn hơn 0, ví dụ 20.")
    return int(mb * 1024 * 1024)


NGHIQUYET_MAX_UPLOAD_BYTES = _upload_limit()
NGHIQUYET_MAX_REQUEST_BYTES = 2 * NGHIQUYET_MAX_UPLOAD_BYTES + 1024 * 1024
# Form fields other than files (a pasted article): as large as the body the
# middleware lets through, so that no request under it meets Django's own 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = NGHIQUYET_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # a larger file is spooled to a temporary file
MIDDLEWARE.insert(0, "nghiquyet.core.uploads.UploadLimitMiddleware")
