"""Tree paths compare byte by byte whatever the database's locale."""

from __future__ import annotations

import pytest
from django.db import connection

from conftest import TEST_DB_COLLATION, icu_locale
from nghiquyet.orgs.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not TEST_DB_COLLATION, reason="NGHIQUYET_TEST_DB_COLLATION không được đặt")
def test_test_database_has_the_requested_locale():
    """The run asked for a locale is not silently a run on C again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datlocprovider, daticulocale FROM pg_database WHERE datname = current_database()"
        )
        provider, locale = cursor.fetchone()
    assert (provider, locale) == ("i", icu_locale(TEST_DB_COLLATION))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite so sánh nhị phân")
def test_path_column_is_compared_in_c_collation():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'orgs_orgunit' AND column_name = 'path'"
        )
        assert cursor.fetchone() == ("C",)


def test_subtree_of_many_units_under_any_locale(tree):
    """Dozens of children and grandchildren: the range finds them all (under
    the vi-VN ICU locale "~" sorts before digits, and the range found only
    the unit itself)."""
    communes = [
        OrgUnit.objects.create(name=f"Đảng ủy xã {i}", kind=UnitKind.COMMUNE, parent=tree.province)
        for i in range(40)
    ]
    for c in communes[:5]:
        OrgUnit.objects.create(name=f"Chi bộ {c.pk}", kind=UnitKind.CELL, parent=c)
    assert OrgUnit.objects.subtree(tree.province).count() == 1 + 2 + 40 + 5
    assert OrgUnit.objects.subtree(communes[0]).count() == 2
    assert OrgUnit.objects.subtree(tree.root).count() == 1 + 5 + 40 + 5
    assert {u.pk for u in communes[3].ancestors()} == {tree.root.pk, tree.province.pk}
