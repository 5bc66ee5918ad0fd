"""The tree: subtree queries, moves, renames, merges and splits read both ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.orgs.actions import (
    do_add_position,
    do_create_person,
    do_create_unit,
    do_merge_units,
    do_move_unit,
    do_rename_unit,
    do_split_unit,
)
from nghiquyet.orgs.models import OrgUnit, UnitEvent, UnitKind, UnitSuccessor

pytestmark = pytest.mark.django_db


def test_subtree_is_one_indexed_range_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(OrgUnit.objects.subtree(tree.province).values_list("name", flat=True))
    assert names == {"Tỉnh ủy Hà Tĩnh", "Đảng ủy xã Đức Thọ", "Đảng ủy xã Tùng Ảnh"}
    assert set(tree.province.descendants()) == {tree.commune_a, tree.commune_b}
    assert list(tree.commune_a.ancestors()) == [tree.root, tree.province]
    assert tree.commune_a.is_within(tree.province)
    assert not tree.commune_a.is_within(tree.other_province)


def test_sql_of_subtree_uses_a_range_not_a_walk(tree):
    sql = str(OrgUnit.objects.subtree(tree.province).query)
    assert '"path" >=' in sql and '"path" <' in sql


def test_units_sort_in_vietnamese_order(tree):
    for name in ("Đảng ủy xã An Hòa", "Đảng ủy xã Ân Phú", "Đảng ủy xã Bình An"):
        OrgUnit.objects.create(name=name, kind=UnitKind.COMMUNE, parent=tree.province)
    names = [u.name for u in OrgUnit.objects.filter(parent=tree.province).vn_ordered()]
    assert names == [
        "Đảng ủy xã An Hòa",
        "Đảng ủy xã Ân Phú",
        "Đảng ủy xã Bình An",
        "Đảng ủy xã Đức Thọ",
        "Đảng ủy xã Tùng Ảnh",
    ]


def test_move_rewrites_the_subtree_paths(tree):
    cell = do_create_unit(name="Chi bộ thôn 1", kind=UnitKind.CELL, parent=tree.commune_a, acting_user=None)
    do_move_unit(tree.commune_a, tree.other_province, effective=dt.date(2026, 1, 1), acting_user=None)
    cell.refresh_from_db()
    tree.commune_a.refresh_from_db()
    assert tree.commune_a.parent == tree.other_province
    assert cell.path.startswith(tree.other_province.path)
    assert cell.depth == 3
    assert set(OrgUnit.objects.subtree(tree.province)) == {tree.province, tree.commune_b}
    event = UnitEvent.objects.get(kind=UnitEvent.Kind.MOVE)
    assert (event.old_parent, event.new_parent) == (tree.province, tree.other_province)
    # Where it stood on either side of the move.
    assert tree.commune_a.parent_on(dt.date(2025, 12, 31)) == tree.province
    assert tree.commune_a.parent_on(dt.date(2026, 1, 1)) == tree.other_province


def test_move_into_own_subtree_is_refused(tree):
    cell = do_create_unit(name="Chi bộ thôn 1", kind=UnitKind.CELL, parent=tree.commune_a, acting_user=None)
    with pytest.raises(ValidationError, match="nằm trong chính đơn vị"):
        do_move_unit(tree.commune_a, cell, effective=dt.date(2026, 1, 1), acting_user=None)
    cell.refresh_from_db()
    assert cell.parent == tree.commune_a  # nothing half-written


def test_rename_keeps_the_old_name_for_old_dates(tree):
    do_rename_unit(tree.commune_a, "Đảng ủy xã Đức Thọ Mới", effective=dt.date(2026, 1, 1), acting_user=None)
    tree.commune_a.refresh_from_db()
    assert tree.commune_a.name == "Đảng ủy xã Đức Thọ Mới"
    assert tree.commune_a.name_on(dt.date(2025, 12, 31)) == "Đảng ủy xã Đức Thọ"
    assert tree.commune_a.name_on(dt.date(2026, 1, 1)) == "Đảng ủy xã Đức Thọ Mới"


def test_merge_closes_predecessors_and_links_them(tree):
    merged = do_merge_units(
        [tree.commune_a, tree.commune_b],
        name="Đảng ủy xã Đức Thọ",
        parent=tree.province,
        effective=dt.date(2026, 1, 1),
        acting_user=None,
    )
    tree.commune_a.refresh_from_db()
    assert tree.commune_a.valid_to == dt.date(2025, 12, 31)
    assert merged.valid_from == dt.date(2026, 1, 1)
    # The tree as it stood on each date.
    before = set(OrgUnit.objects.subtree(tree.province).valid_on(dt.date(2025, 12, 31)))
    after = set(OrgUnit.objects.subtree(tree.province).valid_on(dt.date(2026, 1, 1)))
    assert before == {tree.province, tree.commune_a, tree.commune_b}
    assert after == {tree.province, merged}
    # Predecessors and successors, both ways.
    assert {link.predecessor for link in merged.predecessor_links.all()} == {tree.commune_a, tree.commune_b}
    assert list(UnitSuccessor.objects.filter(unit=tree.commune_a).values_list("successor", "share")) == [
        (merged.pk, Decimal(1))
    ]
    assert AuditEntry.objects.filter(action="merge_units").count() == 1


def test_chained_merge_and_split_resolve_to_current_units(tree):
    c = do_create_unit(name="Đảng ủy xã C", kind=UnitKind.COMMUNE, parent=tree.province, acting_user=None)
    d = do_create_unit(name="Đảng ủy xã D", kind=UnitKind.COMMUNE, parent=tree.province, acting_user=None)
    ab = do_merge_units(
        [tree.commune_a, tree.commune_b],
        name="AB",
        parent=tree.province,
        effective=dt.date(2025, 7, 1),
        acting_user=None,
    )
    do_split_unit(
        ab, [(c, Decimal("0.25")), (d, Decimal("0.75"))], effective=dt.date(2026, 1, 1), acting_user=None
    )
    shares = dict(UnitSuccessor.objects.filter(unit=tree.commune_a).values_list("successor", "share"))
    assert shares == {c.pk: Decimal("0.25"), d.pk: Decimal("0.75")}


def test_split_shares_must_add_up(tree):
    c = do_create_unit(name="Đảng ủy xã C", kind=UnitKind.COMMUNE, parent=tree.province, acting_user=None)
    with pytest.raises(ValidationError, match="Tổng tỷ lệ"):
        do_split_unit(
            tree.commune_a,
            [(c, Decimal("0.5")), (tree.commune_b, Decimal("0.4"))],
            effective=dt.date(2026, 1, 1),
            acting_user=None,
        )
    tree.commune_a.refresh_from_db()
    assert tree.commune_a.valid_to is None


def test_merge_of_a_closed_unit_is_refused(tree):
    do_merge_units(
        [tree.commune_a, tree.commune_b], name="AB", effective=dt.date(2025, 7, 1), acting_user=None
    )
    tree.commune_a.refresh_from_db()
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        do_merge_units(
            [tree.commune_a, tree.other_commune], name="X", effective=dt.date(2026, 1, 1), acting_user=None
        )


def test_person_holds_several_positions_at_once(tree):
    p = do_create_person(full_name="Nguyễn  Văn   An", acting_user=None)
    assert p.full_name == "Nguyễn Văn An"
    do_add_position(
        p, title="Bí thư Tỉnh ủy", unit=tree.province, start=dt.date(2025, 10, 1), acting_user=None
    )
    do_add_position(
        p, title="Chủ tịch HĐND tỉnh", unit=tree.province, start=dt.date(2026, 3, 1), acting_user=None
    )
    do_add_position(
        p,
        title="Phó Bí thư Tỉnh ủy",
        unit=tree.province,
        start=dt.date(2020, 10, 1),
        end=dt.date(2025, 9, 30),
        acting_user=None,
    )
    titles = lambda d: sorted(pos.title for pos in p.positions_on(d))  # noqa: E731
    assert titles(dt.date(2026, 6, 1)) == ["Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"]
    assert titles(dt.date(2024, 1, 1)) == ["Phó Bí thư Tỉnh ủy"]
    with pytest.raises(ValidationError):
        do_add_position(
            p, title="X", unit=None, start=dt.date(2026, 1, 2), end=dt.date(2026, 1, 1), acting_user=None
        )
