"""The Django admin is no side door: audited tables are read-only there,
and roles granted there go through the actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory

from nghiquyet.accounts.access import access_unit, has_role
from nghiquyet.accounts.models import Membership, Role
from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.tests.webhelpers import Q3, TODAY, submit
from nghiquyet.orgs.actions import do_create_unit, do_move_unit
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.cache import cached_rollup
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db

# Written from the admin, through the actions: add and delete, never edit in place.
THROUGH_ACTIONS = {Membership}


def our_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m.__module__.startswith("nghiquyet.")]


def test_every_audited_table_is_read_only_in_the_admin(users):
    request = RequestFactory().get("/quan-tri/")
    request.user = users.superuser
    checked = 0
    for model, model_admin in our_admins():
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_change_permission(request), model
        if model in THROUGH_ACTIONS:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (model, inline)
            assert not inline.has_change_permission(request), (model, inline)
            assert not inline.has_delete_permission(request), (model, inline)
        checked += 1
    assert checked >= 12  # a new admin lands here the day it is registered


@pytest.fixture
def admin_client_(client, users):
    client.force_login(users.superuser)
    return client


def test_admin_cannot_move_a_unit(admin_client_, tree):
    url = f"/quan-tri/orgs/orgunit/{tree.commune_a.pk}/change/"
    assert admin_client_.get(url).status_code == 200  # shown
    r = admin_client_.post(
        url, {"name": tree.commune_a.name, "kind": "commune", "parent": tree.other_province.pk}
    )
    assert r.status_code == 403
    tree.commune_a.refresh_from_db()
    assert tree.commune_a.parent == tree.province


def test_admin_cannot_delete_an_approved_result(admin_client_, tree, resolution):
    with time_machine.travel(TODAY, tick=False):
        result = submit(resolution.new_members, tree.commune_a, Q3, 5)
    Result.objects.filter(pk=result.pk).update(status="approved")
    r = admin_client_.post(f"/quan-tri/targets/result/{result.pk}/delete/", {"post": "yes"})
    assert r.status_code == 403
    assert Result.objects.filter(pk=result.pk).exists()


def test_admin_cannot_change_a_goal(admin_client_, resolution):
    t = resolution.new_members
    r = admin_client_.post(f"/quan-tri/targets/target/{t.pk}/change/", {"target_value": "1"})
    assert r.status_code == 403
    t.refresh_from_db()
    assert t.target_value == 1000


def test_role_granted_and_revoked_in_the_admin_is_audited(admin_client_, users, tree):
    r = admin_client_.post(
        "/quan-tri/accounts/membership/add/",
        {"user": users.reporter.pk, "unit": tree.commune_b.pk, "role": Role.APPROVER},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Membership.objects.get(user=users.reporter, unit=tree.commune_b, role=Role.APPROVER)
    grant = AuditEntry.objects.get(action="grant_role")
    assert (grant.actor, grant.object_id, grant.unit) == (users.superuser, str(m.pk), tree.commune_b)

    r = admin_client_.post(f"/quan-tri/accounts/membership/{m.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()
    revoke = AuditEntry.objects.get(action="revoke_role")
    assert revoke.before["role"] == Role.APPROVER and revoke.actor == users.superuser


def test_admin_refuses_a_role_on_a_retired_unit(admin_client_, users, tree):
    OrgUnit.objects.filter(pk=tree.commune_b.pk).update(valid_to=dt.date(2025, 6, 30))
    r = admin_client_.post(
        "/quan-tri/accounts/membership/add/",
        {"user": users.reporter.pk, "unit": tree.commune_b.pk, "role": Role.VIEWER},
    )
    assert r.status_code == 200 and "đã hết hiệu lực" in r.content.decode()
    assert not AuditEntry.objects.filter(action="grant_role").exists()


def test_admin_bulk_delete_of_roles_is_audited(admin_client_, users):
    ids = list(
        Membership.objects.filter(user__in=[users.reporter, users.viewer]).values_list("pk", flat=True)
    )
    r = admin_client_.post(
        "/quan-tri/accounts/membership/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert r.status_code == 302
    assert not Membership.objects.filter(pk__in=ids).exists()
    assert AuditEntry.objects.filter(action="revoke_role").count() == len(ids) == 2


# -- moving a unit, by the action or by a plain save ----------------------------


@pytest.mark.parametrize("how", ["action", "save", "save_parent_only"])
def test_a_moved_unit_takes_its_subtree_and_access_follows(how, tree, users):
    cell = do_create_unit(name="Chi bộ thôn 1", kind=UnitKind.CELL, parent=tree.commune_a, acting_user=None)
    sub = do_create_unit(name="Tổ đảng 1", kind=UnitKind.CELL, parent=cell, acting_user=None)
    assert has_role(users.province_admin, sub, Role.ADMIN)
    if how == "action":
        do_move_unit(tree.commune_a, tree.other_province, effective=dt.date(2026, 1, 1), acting_user=None)
    else:
        unit = OrgUnit.objects.get(pk=tree.commune_a.pk)
        unit.parent = tree.other_province
        unit.save(update_fields=["parent"] if how == "save_parent_only" else None)
    moved = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[tree.commune_a.pk, cell.pk, sub.pk])}
    assert all(u.path.startswith(tree.other_province.path) for u in moved.values())
    assert [moved[u].depth for u in (tree.commune_a.pk, cell.pk, sub.pk)] == [2, 3, 4]
    assert set(OrgUnit.objects.subtree(tree.province)) == {tree.province, tree.commune_b}
    assert OrgUnit.objects.subtree(tree.other_province).count() == 5
    # Access follows the new parent (fresh user objects: memberships are cached per user).
    province_admin = type(users.province_admin).objects.get(pk=users.province_admin.pk)
    outsider = type(users.outsider).objects.get(pk=users.outsider.pk)
    assert not has_role(province_admin, moved[sub.pk], Role.VIEWER)
    assert access_unit(outsider, sub.pk, Role.ADMIN) == moved[sub.pk]


def test_a_save_into_its_own_subtree_is_refused(tree):
    from django.core.exceptions import ValidationError

    cell = do_create_unit(name="Chi bộ thôn 1", kind=UnitKind.CELL, parent=tree.commune_a, acting_user=None)
    unit = OrgUnit.objects.get(pk=tree.commune_a.pk)
    unit.parent = cell
    with pytest.raises(ValidationError):
        unit.save()
    assert OrgUnit.objects.get(pk=tree.commune_a.pk).parent == tree.province


def test_cached_rollup_is_not_stale_after_a_move(tree, users, resolution):
    """The cache key holds the last audit id: the move's audit row drops the
    province's cached figure at once (not after the 5-minute timeout)."""
    with time_machine.travel(TODAY, tick=False):
        submit(resolution.new_members, tree.commune_a, Q3, 150)
        submit(resolution.new_members, tree.commune_b, Q3, 120)

        def province_total():
            r = cached_rollup(resolution.doc, tree.province, Q3, targets=[resolution.new_members])
            return r.targets[0].value

        assert province_total() == Decimal(270)
        do_move_unit(tree.commune_a, tree.other_province, effective=dt.date(2026, 1, 1), acting_user=None)
        assert province_total() == Decimal(120)


# -- users: written in the admin, each write audited -------------------------


def test_making_a_superuser_in_the_admin_is_audited(admin_client_, users):
    u = users.viewer
    r = admin_client_.post(
        f"/quan-tri/auth/user/{u.pk}/change/",
        {
            "username": u.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "01/01/2026",
            "date_joined_1": "00:00:00",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    u.refresh_from_db()
    assert u.is_superuser
    row = AuditEntry.objects.get(action="admin_change_user", object_id=str(u.pk))
    assert row.actor == users.superuser
    assert row.before["is_superuser"] is False and row.after["is_superuser"] is True
    assert "password" not in row.after


def test_deleting_a_user_in_the_admin_keeps_their_roles_in_the_audit(admin_client_, users, tree):
    u = users.reporter
    r = admin_client_.post(f"/quan-tri/auth/user/{u.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    row = AuditEntry.objects.get(action="admin_delete_user", object_id=str(u.pk))
    assert row.before["username"] == "bc_ductho"
    assert row.before["roles"] == [{"unit_id": tree.commune_a.pk, "role": Role.REPORTER}]


def test_a_password_set_in_the_admin_is_audited(admin_client_, users):
    u = users.viewer
    r = admin_client_.post(
        f"/quan-tri/auth/user/{u.pk}/password/",
        {"password1": "mot-mat-khau-moi-dai", "password2": "mot-mat-khau-moi-dai", "usable_password": "true"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    u.refresh_from_db()
    assert u.check_password("mot-mat-khau-moi-dai")
    row = AuditEntry.objects.get(action="admin_set_password", object_id=str(u.pk))
    assert row.actor == users.superuser and "password" not in row.after
