"""A unit administrator manages the accounts of its subtree: create, grant,
revoke, reset a password; every write audited; nobody reaches outside
their subtree; names shown family name first."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD, make_user
from nghiquyet.accounts.models import Membership, Role
from nghiquyet.accounts.names import person_name, split_full_name
from nghiquyet.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "/nguoi-dung/"


@pytest.fixture
def commune_admin(tree, django_user_model):
    return make_user(django_user_model, "qt_ductho", tree.commune_a, Role.ADMIN)


def _can_sign_in(username: str, password: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).check_password(password)


def _password(html: str) -> str:
    m = re.search(r'id="mat-khau">([^<]+)<', html)
    assert m, html
    return m.group(1)


def test_names_are_split_and_shown_family_name_first(django_user_model):
    assert split_full_name("  Đặng  Thị Mai ") == ("Đặng Thị", "Mai")
    assert split_full_name("Mai") == ("", "Mai")
    user = django_user_model(username="dtmai", first_name="Mai", last_name="Đặng Thị")
    assert person_name(user) == "Đặng Thị Mai"
    assert person_name(django_user_model(username="khong_ten")) == "khong_ten"
    assert person_name(None) == "–"


def test_admin_creates_an_account_with_a_role_and_a_temporary_password(client, users, tree):
    client.force_login(users.province_admin)
    r = client.post(
        f"{BASE}them/",
        {
            "ho_ten": "Đặng Thị Mai",
            "ten_dang_nhap": "dtmai",
            "don_vi": tree.commune_a.pk,
            "vai_tro": "reporter",
        },
    )
    html = r.content.decode()
    assert r.status_code == 200 and "Đã tạo tài khoản" in html and "Đặng Thị Mai" in html
    password = _password(html)
    user = Membership.objects.get(unit=tree.commune_a, role=Role.REPORTER, user__username="dtmai").user
    assert (user.last_name, user.first_name) == ("Đặng Thị", "Mai")
    assert _can_sign_in("dtmai", password)
    created = AuditEntry.objects.get(action="create_user")
    assert (created.actor, created.unit, created.after["username"]) == (
        users.province_admin,
        tree.commune_a,
        "dtmai",
    )
    assert "password" not in created.after and password not in str(created.after)
    granted = AuditEntry.objects.get(action="grant_role")
    assert (granted.after["role"], granted.after["unit"]) == ("reporter", tree.commune_a.pk)


def test_the_new_account_is_shown_family_name_first_everywhere(client, users, tree):
    client.force_login(users.province_admin)
    client.post(
        f"{BASE}them/",
        {
            "ho_ten": "Bùi Đức Thắng",
            "ten_dang_nhap": "bdthang",
            "don_vi": tree.commune_a.pk,
            "vai_tro": "viewer",
        },
    )
    html = client.get(BASE).content.decode()
    assert "Bùi Đức Thắng" in html and "Thắng Bùi Đức" not in html
    client.force_login(Membership.objects.get(user__username="bdthang").user)
    html = client.get("/").content.decode()
    assert 'title="Đổi mật khẩu">Bùi Đức Thắng</a>' in html


def test_a_taken_login_or_a_missing_name_is_refused_in_vietnamese(client, users, tree):
    client.force_login(users.province_admin)
    data = {
        "ho_ten": "Nguyễn Văn A",
        "ten_dang_nhap": "bc_ductho",
        "don_vi": tree.commune_a.pk,
        "vai_tro": "viewer",
    }
    r = client.post(f"{BASE}them/", data)
    assert r.status_code == 400 and "đã có người dùng" in r.content.decode()
    r = client.post(f"{BASE}them/", {**data, "ten_dang_nhap": "moi", "ho_ten": "  "})
    assert r.status_code == 400 and "Cần ghi họ và tên" in r.content.decode()
    r = client.post(f"{BASE}them/", {**data, "ten_dang_nhap": "Có dấu"})
    assert r.status_code == 400 and "Tên đăng nhập gồm" in r.content.decode()
    assert not AuditEntry.objects.filter(action="create_user").exists()


def test_no_account_is_created_outside_the_admins_subtree(client, users, tree, commune_admin):
    data = {"ho_ten": "Lê Văn Bình", "ten_dang_nhap": "lvbinh", "vai_tro": "admin"}
    client.force_login(users.province_admin)
    assert client.post(f"{BASE}them/", {**data, "don_vi": tree.other_commune.pk}).status_code == 404
    client.force_login(commune_admin)
    assert client.post(f"{BASE}them/", {**data, "don_vi": tree.commune_b.pk}).status_code == 404
    assert client.post(f"{BASE}them/", {**data, "don_vi": tree.province.pk}).status_code == 404
    assert not Membership.objects.filter(user__username="lvbinh").exists()


def test_grant_and_revoke_a_role_audited(client, users, tree):
    client.force_login(users.province_admin)
    r = client.post(
        f"{BASE}{users.reporter.pk}/giao-vai-tro/", {"don_vi": tree.commune_b.pk, "vai_tro": "approver"}
    )
    assert r.status_code == 302
    m = Membership.objects.get(user=users.reporter, unit=tree.commune_b, role=Role.APPROVER)
    html = client.get(f"{BASE}{users.reporter.pk}/").content.decode()
    assert "Đảng ủy xã Tùng Ảnh" in html and "Phê duyệt" in html
    r = client.post(f"{BASE}{users.reporter.pk}/thu-hoi/", {"quyen": m.pk})
    assert r.status_code == 302 and not Membership.objects.filter(pk=m.pk).exists()
    revoked = AuditEntry.objects.get(action="revoke_role")
    assert (revoked.actor, revoked.before["role"], revoked.unit) == (
        users.province_admin,
        "approver",
        tree.commune_b,
    )


def test_the_list_takes_few_queries_whatever_the_number_of_accounts(
    client, users, tree, django_user_model, django_assert_max_num_queries
):
    for i in range(30):
        make_user(
            django_user_model, f"bc_{i:02d}", tree.commune_a if i % 2 else tree.commune_b, Role.REPORTER
        )
    client.force_login(users.province_admin)
    with django_assert_max_num_queries(8):
        html = client.get(BASE).content.decode()
    assert "bc_29" in html and html.count("Báo cáo – Đảng ủy xã") == 32
    assert 'href="/nguoi-dung/"' in html and 'href="/nhat-ky/"' in html  # in an administrator's menu


def test_a_commune_admin_manages_only_its_commune(client, users, tree, commune_admin):
    client.force_login(commune_admin)
    html = client.get(BASE).content.decode()
    assert "bc_ductho" in html and "bc_tunganh" not in html and "qt_tinh" not in html
    assert client.get(f"{BASE}{users.reporter_b.pk}/").status_code == 404
    r = client.post(
        f"{BASE}{users.reporter_b.pk}/giao-vai-tro/", {"don_vi": tree.commune_a.pk, "vai_tro": "viewer"}
    )
    assert r.status_code == 404
    # A role of the province's is out of its reach, even on an account it sees.
    m = Membership.objects.create(user=users.reporter, unit=tree.province, role=Role.VIEWER)
    assert client.post(f"{BASE}{users.reporter.pk}/thu-hoi/", {"quyen": m.pk}).status_code == 404
    assert Membership.objects.filter(pk=m.pk).exists()


def test_reset_password_gives_a_new_one_and_the_old_stops_working(client, users, tree):
    client.force_login(users.province_admin)
    r = client.post(f"{BASE}{users.reporter.pk}/dat-lai-mat-khau/")
    assert r.status_code == 200
    password = _password(r.content.decode())
    assert password != PASSWORD
    assert not _can_sign_in("bc_ductho", PASSWORD)
    assert _can_sign_in("bc_ductho", password)
    entry = AuditEntry.objects.get(action="reset_password")
    assert (entry.actor, entry.unit, entry.object_id) == (
        users.province_admin,
        tree.commune_a,
        str(users.reporter.pk),
    )


def test_no_reset_for_an_account_holding_a_role_above_the_admin(client, users, tree, commune_admin):
    # The province viewer also reports for Đức Thọ: Đức Thọ's administrator
    # sees the account but may not take it over.
    Membership.objects.create(user=users.viewer, unit=tree.commune_a, role=Role.REPORTER)
    client.force_login(commune_admin)
    html = client.get(f"{BASE}{users.viewer.pk}/").content.decode()
    assert "Đặt lại mật khẩu</button>" not in html and "1 vai trò tại đơn vị ngoài phạm vi" in html
    assert client.post(f"{BASE}{users.viewer.pk}/dat-lai-mat-khau/").status_code == 403
    assert _can_sign_in("lanh_dao", PASSWORD)
    # Nor for oneself (one changes one's own password) or a superuser.
    client.force_login(users.province_admin)
    assert client.post(f"{BASE}{users.province_admin.pk}/dat-lai-mat-khau/").status_code == 403
    Membership.objects.create(user=users.superuser, unit=tree.commune_a, role=Role.VIEWER)
    assert client.post(f"{BASE}{users.superuser.pk}/dat-lai-mat-khau/").status_code == 404


def test_an_admin_cannot_revoke_its_own_role(client, users, tree):
    client.force_login(users.province_admin)
    m = Membership.objects.get(user=users.province_admin)
    client.post(f"{BASE}{users.province_admin.pk}/thu-hoi/", {"quyen": m.pk})
    assert Membership.objects.filter(pk=m.pk).exists()


@pytest.mark.parametrize("who", ["viewer", "reporter", "reporter_b"])
def test_viewer_and_reporters_are_refused_every_page(client, users, tree, who):
    client.force_login(getattr(users, who))
    target = users.reporter.pk
    assert client.get(BASE).status_code == 403
    assert client.get(f"{BASE}them/").status_code == 403
    assert (
        client.post(
            f"{BASE}them/", {"ho_ten": "A B", "ten_dang_nhap": "ab", "don_vi": tree.commune_a.pk}
        ).status_code
        == 403
    )
    assert client.get(f"{BASE}{target}/").status_code == 403
    for action in ("giao-vai-tro", "thu-hoi", "dat-lai-mat-khau"):
        assert (
            client.post(
                f"{BASE}{target}/{action}/", {"don_vi": tree.commune_a.pk, "vai_tro": "admin"}
            ).status_code
            == 403
        )
    assert not Membership.objects.filter(role=Role.ADMIN, unit=tree.commune_a).exists()
    assert 'href="/nguoi-dung/"' not in client.get("/").content.decode()


def test_outsider_from_another_province_sees_nothing_of_ha_tinh(client, users, tree):
    client.force_login(users.outsider)
    html = client.get(BASE).content.decode()
    assert "bc_ductho" not in html and "qt_tinh" not in html
    target = users.reporter.pk
    assert client.get(f"{BASE}{target}/").status_code == 404
    for action in ("giao-vai-tro", "thu-hoi", "dat-lai-mat-khau"):
        assert (
            client.post(
                f"{BASE}{target}/{action}/", {"don_vi": tree.other_commune.pk, "vai_tro": "admin"}
            ).status_code
            == 404
        )
    assert _can_sign_in("bc_ductho", PASSWORD)
    assert Membership.objects.filter(user=users.reporter).count() == 1


# -- the same through the API --------------------------------------------------


def api(client, method, url, user, body=None):
    from nghiquyet.accounts.models import ApiToken

    _, key = ApiToken.issue(user, "thử")
    extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        extra.update(data=body, content_type="application/json")
    return getattr(client, method)(url, **extra)


def test_api_create_grant_revoke_reset(client, users, tree):
    admin = users.province_admin
    r = api(
        client, "post", "/api/users", admin,
        {"username": "dtmai", "full_name": "Đặng Thị Mai", "unit": tree.commune_a.pk, "role": "reporter"},
    )  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["full_name"], body["roles"][0]["role"]) == ("Đặng Thị Mai", "reporter")
    assert _can_sign_in("dtmai", body["password"])
    uid = body["id"]
    r = api(client, "post", f"/api/users/{uid}/roles", admin, {"unit": tree.commune_b.pk, "role": "approver"})
    assert r.status_code == 201 and r.json()["unit_name"] == "Đảng ủy xã Tùng Ảnh"
    r = api(client, "post", f"/api/users/{uid}/roles/{r.json()['id']}/revoke", admin, {})
    assert r.status_code == 200 and [x["role"] for x in r.json()["roles"]] == ["reporter"]
    r = api(client, "post", f"/api/users/{uid}/password", admin, {})
    assert r.status_code == 200 and _can_sign_in("dtmai", r.json()["password"])
    assert [u["username"] for u in api(client, "get", "/api/users", admin).json()].count("dtmai") == 1
    actions = set(AuditEntry.objects.filter(actor=admin).values_list("action", flat=True))
    assert actions == {"create_user", "grant_role", "revoke_role", "reset_password"}


@pytest.mark.parametrize("who", ["viewer", "reporter", "reporter_b"])
def test_api_refuses_viewer_and_reporters(client, users, tree, who):
    user = getattr(users, who)
    uid = users.reporter.pk
    assert api(client, "get", "/api/users", user).status_code == 403
    assert api(client, "get", f"/api/users/{uid}", user).status_code == 403
    body = {"username": "moi", "full_name": "Lê Văn Bình", "unit": tree.commune_a.pk, "role": "admin"}
    assert api(client, "post", "/api/users", user, body).status_code == 403
    assert (
        api(
            client, "post", f"/api/users/{uid}/roles", user, {"unit": tree.commune_a.pk, "role": "admin"}
        ).status_code
        == 403
    )
    assert api(client, "post", f"/api/users/{uid}/password", user, {}).status_code == 403
    assert not Membership.objects.filter(role=Role.ADMIN, unit=tree.commune_a).exists()


def test_api_outsider_gets_404(client, users, tree):
    uid = users.reporter.pk
    body = {"username": "moi", "full_name": "Lê Văn Bình", "unit": tree.commune_a.pk, "role": "admin"}
    assert api(client, "post", "/api/users", users.outsider, body).status_code == 404
    assert api(client, "get", f"/api/users/{uid}", users.outsider).status_code == 404
    r = api(
        client,
        "post",
        f"/api/users/{uid}/roles",
        users.outsider,
        {"unit": tree.other_commune.pk, "role": "admin"},
    )
    assert r.status_code == 404
    assert api(client, "post", f"/api/users/{uid}/password", users.outsider, {}).status_code == 404
    assert "bc_ductho" not in api(client, "get", "/api/users", users.outsider).content.decode()
    assert _can_sign_in("bc_ductho", PASSWORD)


def test_anyone_changes_their_own_password_audited(client, users, tree):
    client.force_login(users.reporter)
    url = f"{BASE}doi-mat-khau/"
    assert client.get(url).status_code == 200
    r = client.post(
        url, {"old_password": "sai", "new_password1": "Bac-Ha-2026!", "new_password2": "Bac-Ha-2026!"}
    )
    assert r.status_code == 400 and _can_sign_in("bc_ductho", PASSWORD)
    r = client.post(
        url, {"old_password": PASSWORD, "new_password1": "Bac-Ha-2026!", "new_password2": "Bac-Ha-2026!"}
    )
    assert r.status_code == 302 and _can_sign_in("bc_ductho", "Bac-Ha-2026!")
    assert client.get("/").status_code == 200  # still signed in
    entry = AuditEntry.objects.get(action="change_password")
    assert (entry.actor, entry.unit) == (users.reporter, tree.commune_a)
    assert "Bac-Ha" not in str(entry.after)
