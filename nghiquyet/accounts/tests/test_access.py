"""Roles apply to a unit's whole subtree; outside it records do not exist."""

from __future__ import annotations

import pytest
from django.http import Http404

from nghiquyet.accounts.access import access_unit, has_role, home_unit, scope_paths, visible_units
from nghiquyet.accounts.models import ApiToken, Membership, Role

pytestmark = pytest.mark.django_db


def test_role_covers_the_subtree(tree, users):
    seen = set(visible_units(users.viewer))
    assert seen == {tree.province, tree.commune_a, tree.commune_b}
    assert has_role(users.province_admin, tree.commune_b, Role.REPORTER)  # admin includes reporter


def test_commune_reporter_sees_only_their_commune(tree, users):
    assert set(visible_units(users.reporter)) == {tree.commune_a}
    assert access_unit(users.reporter, tree.commune_a.pk, Role.REPORTER) == tree.commune_a
    with pytest.raises(Http404):
        access_unit(users.reporter, tree.commune_b.pk)
    with pytest.raises(Http404):
        access_unit(users.reporter, tree.province.pk)


def test_viewer_cannot_report(tree, users):
    assert access_unit(users.viewer, tree.commune_a.pk) == tree.commune_a
    with pytest.raises(Http404):
        access_unit(users.viewer, tree.commune_a.pk, Role.REPORTER)


def test_outsider_gets_404_not_403(tree, users):
    for unit in (tree.province, tree.commune_a):
        with pytest.raises(Http404):
            access_unit(users.outsider, unit.pk)
    # A unit that does not exist looks exactly the same.
    with pytest.raises(Http404):
        access_unit(users.outsider, 10**9)
    with pytest.raises(Http404):
        access_unit(users.outsider, "not-a-number")


def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert scope_paths(AnonymousUser()) == []
    assert not visible_units(AnonymousUser()).exists()


def test_superuser_sees_everything(tree, users):
    assert visible_units(users.superuser).count() == 6
    assert home_unit(users.superuser) == tree.root


def test_nested_memberships_collapse_to_one_root(tree, users):
    Membership.objects.create(user=users.viewer, unit=tree.commune_a, role=Role.ADMIN)
    users.viewer._nq_memberships = None
    del users.viewer._nq_memberships
    assert scope_paths(users.viewer) == [tree.province.path]
    assert scope_paths(users.viewer, Role.ADMIN) == [tree.commune_a.path]
    assert home_unit(users.viewer) == tree.province


def test_api_token_stores_only_a_hash(users):
    token, key = ApiToken.issue(users.reporter, "máy chủ báo cáo")
    assert key.startswith("nq_")
    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash


def test_api_token_command_issues_and_revokes(users, capsys):
    from django.core.management import call_command

    call_command("api_token", "bc_ductho", name="máy tính xã")
    key = capsys.readouterr().out.split("\n")[1].strip()
    token = ApiToken.objects.get(user=users.reporter)
    assert token.key_hash == ApiToken.hash_key(key) and not token.revoked
    call_command("api_token", "bc_ductho", revoke=key[:8])
    token.refresh_from_db()
    assert token.revoked
