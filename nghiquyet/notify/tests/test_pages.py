"""The notification list, its top-bar badge and marking read: each person
sees and marks only their own."""

from __future__ import annotations

import pytest

from nghiquyet.notify.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(users):
    mine = Notification.objects.create(
        user=users.reporter,
        kind=Kind.RETURNED,
        title="Số liệu bị trả lại: Kết nạp đảng viên mới",
        url="/so-lieu/bao-cao/",
    )
    theirs = Notification.objects.create(
        user=users.reporter_b, kind=Kind.LATE, title="Tùng Ảnh quá hạn báo cáo"
    )
    return mine, theirs


def test_anonymous_is_sent_to_sign_in(client):
    for url in ("/thong-bao/", "/thong-bao/chua-doc/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/")
    assert client.post("/thong-bao/da-doc/").status_code == 302


def test_each_person_sees_only_their_own(client, users, notes):
    for user, shown, hidden in (
        (users.reporter, "Kết nạp đảng viên mới", "Tùng Ảnh quá hạn"),
        (users.reporter_b, "Tùng Ảnh quá hạn", "Kết nạp đảng viên mới"),
    ):
        client.force_login(user)
        html = client.get("/thong-bao/").content.decode()
        assert shown in html and hidden not in html
    for user in (users.viewer, users.outsider):
        client.force_login(user)
        html = client.get("/thong-bao/").content.decode()
        assert "Chưa có thông báo nào." in html
        assert "Kết nạp" not in html and "Tùng Ảnh" not in html


def test_badge_counts_unread(client, users, notes):
    client.force_login(users.reporter)
    assert ">1</span>" in client.get("/thong-bao/chua-doc/").content.decode()
    client.force_login(users.outsider)
    assert client.get("/thong-bao/chua-doc/").content.decode().strip() == ""


def test_top_bar_loads_the_badge(client, users, notes):
    client.force_login(users.reporter)
    html = client.get("/thong-bao/").content.decode()
    assert 'hx-get="/thong-bao/chua-doc/"' in html


def test_nobody_marks_another_persons_notification(client, users, notes):
    mine, theirs = notes
    for user in (users.reporter, users.viewer, users.outsider):
        client.force_login(user)
        client.post("/thong-bao/da-doc/", {"id": theirs.pk})
        client.post("/thong-bao/da-doc/", {"id": theirs.pk, "mo": "1"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_follows_the_link(client, users, notes):
    mine, _ = notes
    client.force_login(users.reporter)
    r = client.post("/thong-bao/da-doc/", {"id": mine.pk, "mo": "1"})
    assert r.status_code == 302 and r["Location"] == "/so-lieu/bao-cao/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get("/thong-bao/chua-doc/").content.decode().strip() == ""


def test_mark_all_read(client, users, notes):
    client.force_login(users.reporter_b)
    r = client.post("/thong-bao/da-doc/")
    assert r.status_code == 302
    assert not Notification.objects.filter(user=users.reporter_b, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=users.reporter, read_at__isnull=True).count() == 1


def test_list_queries_do_not_grow_with_notifications(client, users, django_assert_num_queries):
    client.force_login(users.reporter)
    Notification.objects.bulk_create(
        Notification(user=users.reporter, kind=Kind.TASK_DUE, title=f"Nhiệm vụ {i}") for i in range(30)
    )
    # session, user, the pager's count, the unread count, the top bar's roles, the page
    with django_assert_num_queries(6):
        html = client.get("/thong-bao/").content.decode()
    assert html.count("<strong>Nhiệm vụ ") == 30


def _api(client, user):
    from nghiquyet.accounts.models import ApiToken

    _, key = ApiToken.issue(user, "thử")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_lists_and_marks_only_the_callers_own(client, users, notes):
    mine, theirs = notes
    auth = _api(client, users.reporter)
    r = client.get("/api/notifications", **auth)
    assert r.status_code == 200
    body = r.json()
    assert body["unread"] == 1 and [n["id"] for n in body["items"]] == [mine.pk]
    r = client.post(
        "/api/notifications/read", {"ids": [mine.pk, theirs.pk]}, content_type="application/json", **auth
    )
    assert r.json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get("/api/notifications?unread=true", **auth).json() == {"unread": 0, "items": []}
    for user in (users.viewer, users.outsider, users.reporter_b):
        auth = _api(client, user)
        items = client.get("/api/notifications", **auth).json()["items"]
        assert mine.pk not in [n["id"] for n in items]
    assert client.get("/api/notifications").status_code == 401
