"""A full or read-only data folder: a Vietnamese 503 on the pages and in the
API, the error logged, and nothing half-written (the transaction rolled back)."""

from __future__ import annotations

import errno
import sqlite3

import pytest
import time_machine
from django.db import OperationalError
from django.test import Client

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.middleware import STORAGE_MESSAGE, is_storage_error
from nghiquyet.core.tests.webhelpers import Q3, TODAY, reopen
from nghiquyet.targets import actions
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db

WORDS = "Máy chủ không ghi được dữ liệu (ổ đĩa đầy hoặc chỉ cho đọc)"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """Q3's reporting window has closed by TODAY (issue 13): entry reopened from above."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Q3)


def fail_on_second_audit(monkeypatch, exc):
    """The cells are written, then the disk gives out as their audit rows go
    in (the writer inserts every cell, then its audit rows). ``calls`` gets
    the results present in the transaction when it failed."""
    calls = []

    def record_many(*args, **kwargs):
        calls.append(Result.objects.count())
        raise exc

    monkeypatch.setattr(actions, "record_many", record_many)
    return calls


def post_two_cells(client, resolution, unit, **extra):
    data = {"luu": "1"}
    for t, v in ((resolution.new_members, "12"), (resolution.poverty, "2,5")):
        data |= {f"gia_tri_{t.pk}": v, f"ghi_chu_{t.pk}": "", f"phien_ban_{t.pk}": "0"}
    return client.post(f"/so-lieu/bao-cao/?don_vi={unit.pk}&ky={Q3.key()}", data, **extra)


ERRORS = [
    pytest.param(OSError(errno.ENOSPC, "No space left on device"), id="ENOSPC"),
    pytest.param(OSError(errno.EROFS, "Read-only file system"), id="EROFS"),
    pytest.param(sqlite3.OperationalError("database or disk is full"), id="sqlite-full"),
    pytest.param(OperationalError("attempt to write a readonly database"), id="sqlite-readonly"),
]


@pytest.mark.parametrize("exc", ERRORS)
def test_full_disk_during_a_post_is_a_vietnamese_503_and_nothing_is_kept(
    client, users, resolution, tree, monkeypatch, caplog, exc
):
    client.force_login(users.reporter)
    calls = fail_on_second_audit(monkeypatch, exc)
    audit_before = AuditEntry.objects.count()
    response = post_two_cells(client, resolution, tree.commune_a)
    assert response.status_code == 503
    html = response.content.decode()
    assert WORDS in html and "<main" in html  # the full page, with the site's frame
    assert calls == [2]  # the failure came after both cells were written...
    assert not Result.objects.exists()  # ...and that cell was rolled back with it
    assert AuditEntry.objects.count() == audit_before
    assert any(r.name == "nghiquyet.storage" and r.levelname == "ERROR" for r in caplog.records)


def test_htmx_post_gets_the_message_to_swap_into_the_page(client, users, resolution, tree, monkeypatch):
    client.force_login(users.reporter)
    fail_on_second_audit(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    response = post_two_cells(client, resolution, tree.commune_a, HTTP_HX_REQUEST="true")
    assert response.status_code == 503
    assert response["HX-Retarget"] == "#main"
    html = response.content.decode()
    assert WORDS in html and "<html" not in html
    assert not Result.objects.exists()


def test_api_write_on_a_full_disk_is_json_503(client, users, resolution, tree, monkeypatch):
    from nghiquyet.accounts.models import ApiToken

    _, key = ApiToken.issue(users.reporter, "thử nghiệm")
    monkeypatch.setattr(actions, "record_many", _raise(sqlite3.OperationalError("database or disk is full")))
    body = {
        "target": resolution.new_members.pk,
        "unit": tree.commune_a.pk,
        "period": Q3.key(),
        "value": "12",
        "submit": True,
        "expected_version": 0,
    }
    response = client.post(
        "/api/results", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 503
    assert response.json() == {"detail": STORAGE_MESSAGE}
    assert not Result.objects.exists()


def test_other_errors_are_not_taken_for_a_full_disk(client, users, resolution, tree, monkeypatch):
    client.force_login(users.reporter)
    fail_on_second_audit(monkeypatch, OSError(errno.ECONNREFUSED, "Connection refused"))
    with pytest.raises(OSError):  # the test client re-raises what became a 500
        post_two_cells(client, resolution, tree.commune_a)
    assert not Result.objects.exists()


def test_error_raised_outside_a_view_still_gets_the_503(users, monkeypatch):
    """The session saved on the way out is not inside the view: handler500 sees it."""
    from django.contrib.sessions.middleware import SessionMiddleware

    monkeypatch.setattr(
        SessionMiddleware, "process_response", _raise(OperationalError("database or disk is full"))
    )
    client = Client(raise_request_exception=False)
    client.force_login(users.reporter)
    response = client.get("/")
    assert response.status_code == 503
    assert WORDS in response.content.decode()
    assert "content-security-policy" in response.headers  # still under the policy


def test_what_counts_as_a_storage_error():
    assert is_storage_error(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert is_storage_error(OSError(errno.EACCES, "Permission denied"))
    wrapped = OperationalError("database or disk is full")
    wrapped.__cause__ = sqlite3.OperationalError("database or disk is full")
    assert is_storage_error(wrapped)

    class DiskFull(Exception):
        sqlstate = "53100"  # what psycopg puts on PostgreSQL's disk_full

    outer = OperationalError("could not extend file")
    outer.__cause__ = DiskFull()
    assert is_storage_error(outer)
    assert not is_storage_error(OSError(errno.ENOENT, "No such file"))
    assert not is_storage_error(sqlite3.OperationalError("no such table: x"))
    assert not is_storage_error(ValueError("database or disk is full"))


def _raise(exc):
    def f(*args, **kwargs):
        raise exc

    return f
