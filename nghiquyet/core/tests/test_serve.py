"""`nghiquyet serve`: limits from flags or the environment, and a server that
keeps answering while idle connections pile up."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management.base import CommandError

from nghiquyet.core.management.commands.serve import DEFAULT_MAX_REQUEST_BYTES, resolve_options

IDLE_CONNECTIONS = 200
# Generous: Django starts in a second or two, but the machine is shared.
START_TIMEOUT = 90
ANSWER_TIMEOUT = 30


def test_defaults_hold_an_office():
    adj = resolve_options({}, environ={})
    assert adj["threads"] == 8
    assert adj["connection_limit"] >= 500
    assert 30 <= adj["channel_timeout"] <= 120
    assert adj["host"] == "127.0.0.1" and adj["port"] == 8000
    # The uploads settings give it (twice the upload limit and a little); 64 MiB is the fallback.
    assert adj["max_request_body_size"] == settings.NGHIQUYET_MAX_REQUEST_BYTES


def test_request_limit_falls_back_without_the_uploads_setting(settings):
    del settings.NGHIQUYET_MAX_REQUEST_BYTES
    assert resolve_options({}, environ={})["max_request_body_size"] == DEFAULT_MAX_REQUEST_BYTES


def test_flag_wins_over_environment_which_wins_over_default():
    env = {"NGHIQUYET_THREADS": "12", "NGHIQUYET_CONNECTION_LIMIT": "300", "NGHIQUYET_HOST": "0.0.0.0"}
    adj = resolve_options({"threads": 4}, environ=env)
    assert adj["threads"] == 4
    assert adj["connection_limit"] == 300
    assert adj["host"] == "0.0.0.0"


@pytest.mark.parametrize("value", ["tám", "0", "-3", "1.5"])
def test_bad_number_in_environment_is_refused_by_name(value):
    with pytest.raises(CommandError, match="NGHIQUYET_CHANNEL_TIMEOUT"):
        resolve_options({}, environ={"NGHIQUYET_CHANNEL_TIMEOUT": value})


def test_request_body_limit_follows_the_upload_setting(settings):
    settings.NGHIQUYET_MAX_REQUEST_BYTES = 5_000_000
    assert resolve_options({}, environ={})["max_request_body_size"] == 5_000_000
    assert resolve_options({"max_request_body": 1000}, environ={})["max_request_body_size"] == 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def running_server(tmp_path, *args: str, env: dict | None = None):
    """`python -m nghiquyet serve` on a free port with a throwaway data dir."""
    port = _free_port()
    environ = {**os.environ, "NGHIQUYET_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    environ.pop("DATABASE_URL", None)
    environ.update(env or {})
    log = open(tmp_path / "serve.log", "w+b")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "nghiquyet", "serve", "--port", str(port), *args],
        cwd=settings.BASE_DIR,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if _get(port, "/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"server did not start:\n{log.read().decode(errors='replace')}")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_idle_connections_do_not_stop_the_server_answering(tmp_path):
    # Waitress's stock limit (100) stopped accepting at about 98 idle sockets.
    with running_server(tmp_path) as port:
        idle = []
        try:
            for _ in range(IDLE_CONNECTIONS):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=10))
            status, body = _get(port, "/healthz", timeout=ANSWER_TIMEOUT)
        finally:
            for s in idle:
                s.close()
    assert status == 200 and body == b"ok"
    assert len(idle) == IDLE_CONNECTIONS


def test_request_body_over_the_limit_is_refused_by_the_server(tmp_path):
    with running_server(tmp_path, "--max-request-body", "1000") as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_TIMEOUT)
        try:
            conn.request("POST", "/healthz", body=b"x" * 5000)
            status = conn.getresponse().status
        finally:
            conn.close()
    assert status == 413


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@pytest.mark.skipif(_postgres_url() is None, reason="needs DATABASE_URL on PostgreSQL")
def test_healthz_answers_after_the_database_drops_its_connections(tmp_path):
    # A restart of PostgreSQL kills every kept connection; without health checks
    # the next request on each thread failed with a 500, /healthz included.
    import psycopg

    base = _postgres_url().rsplit("/", 1)[0]
    name = "nq_server_serve_health"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
        with running_server(tmp_path, "--threads", "1", env={"DATABASE_URL": f"{base}/{name}"}) as port:
            assert _get(port, "/healthz", timeout=ANSWER_TIMEOUT)[0] == 200
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s", [name]
            ).fetchone()[0]
            assert killed >= 1
            status, body = _get(port, "/healthz", timeout=ANSWER_TIMEOUT)
    assert (status, body) == (200, b"ok")
