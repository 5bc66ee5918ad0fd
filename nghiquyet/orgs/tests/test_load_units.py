"""`load-units`: the real tree, its lineage, and a second run that changes nothing.

A full load takes seconds, so one test does it (twice) and checks many
things; the dataset reading is tested without the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from nghiquyet.audit.models import AuditEntry
from nghiquyet.orgs.loader import EFFECTIVE, LAST_DAY, equal_shares, read_dataset
from nghiquyet.orgs.models import (
    AdminArea,
    AdminAreaSuccession,
    OrgUnit,
    UnitEvent,
    UnitKind,
    UnitLink,
    UnitSuccessor,
)


@pytest.fixture(scope="module")
def dataset():
    return read_dataset()


def test_dataset_has_the_units_in_force_and_before(dataset):
    assert len(dataset.provinces) == 34
    assert len(dataset.communes) == 3321
    assert len(dataset.legacy_provinces) == 63
    assert len(dataset.legacy_districts) == 696
    # 10,040 rows: 10,035 communes and the five island districts without any.
    assert len(dataset.legacy_communes) + len(dataset.district_successor) == 10040
    assert set(dataset.commune_successors) == set(dataset.legacy_communes)
    assert len(dataset.continuing_provinces) == 34


def test_equal_shares_sum_to_one():
    for n in range(1, 8):
        shares = equal_shares(n)
        assert len(shares) == n
        assert sum(shares) == 1


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (AdminArea, AdminAreaSuccession, OrgUnit, UnitEvent, UnitLink, UnitSuccessor, AuditEntry)
    }


@pytest.mark.django_db
def test_load_units_builds_the_tree_and_twice_changes_nothing():
    out = StringIO()
    call_command("load_units", stdout=out)
    assert "34 tỉnh, thành phố; 3.321 xã, phường, đặc khu" in out.getvalue()
    first = _counts()

    current = OrgUnit.objects.current()
    assert current.filter(kind=UnitKind.PROVINCE).count() == 34
    assert current.filter(kind=UnitKind.COMMUNE).count() == 3321
    assert AdminArea.objects.filter(legacy=False, level=AdminArea.Level.COMMUNE).count() == 3321
    assert AdminArea.objects.filter(legacy=True, level=AdminArea.Level.COMMUNE).count() == 10035

    root = OrgUnit.objects.get(kind=UnitKind.CENTRAL)
    assert root.name == "Ban Chấp hành Trung ương Đảng"
    assert OrgUnit.objects.subtree(root).count() == OrgUnit.objects.count()

    ha_tinh = OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="42", valid_to__isnull=True)
    assert ha_tinh.name == "Tỉnh ủy Hà Tĩnh"
    assert (
        OrgUnit.objects.get(kind=UnitKind.PROVINCE, code="01", valid_to__isnull=True).name
        == "Thành ủy Hà Nội"
    )
    communes = OrgUnit.objects.subtree(ha_tinh).current().filter(kind=UnitKind.COMMUNE)
    assert communes.count() == 69
    # The tree of 2024: Hà Tĩnh's districts and their communes, none of today's.
    then = OrgUnit.objects.subtree(ha_tinh, include_self=False).valid_on(dt.date(2024, 1, 1))
    assert then.filter(kind=UnitKind.COMMUNE, valid_from=EFFECTIVE).count() == 0
    assert then.filter(kind=UnitKind.DISTRICT).count() == 12  # Lộc Hà went into Thạch Hà before

    # DOMAIN.md: xã Đức Thọ was made of thị trấn Đức Thọ and xã Tùng Ảnh, Hòa Lạc, Tân Dân.
    duc_tho = communes.get(name="Đảng ủy xã Đức Thọ")
    assert duc_tho.valid_from == EFFECTIVE
    predecessors = UnitSuccessor.objects.filter(successor=duc_tho).select_related("unit__parent")
    assert {p.unit.name for p in predecessors} == {
        "Đảng ủy thị trấn Đức Thọ",
        "Đảng ủy xã Tùng Ảnh",
        "Đảng ủy xã Hòa Lạc",
        "Đảng ủy xã Tân Dân",
    }
    assert all(p.share == 1 and p.unit.valid_to == LAST_DAY for p in predecessors)
    assert {p.unit.parent.name for p in predecessors} == {"Huyện ủy Đức Thọ"}

    # Every former commune counts toward today's communes in full; a divided one in parts.
    totals = UnitSuccessor.objects.values("unit").annotate(total=Sum("share"), n=Count("id"))
    assert all(row["total"] == Decimal(1) for row in totals)
    divided = [row for row in totals if row["n"] > 1]
    assert len(divided) == 471
    assert AdminAreaSuccession.objects.filter(partial=True).values("old").distinct().count() == 471

    # A provincial committee merged away counts toward the one that went on.
    bac_giang = OrgUnit.objects.get(name="Tỉnh ủy Bắc Giang")
    assert bac_giang.valid_to == LAST_DAY
    assert bac_giang.current_successors.get().successor.name == "Tỉnh ủy Bắc Ninh"
    # District committees were dissolved: no successor, except island districts.
    assert not UnitSuccessor.objects.filter(unit__name="Huyện ủy Đức Thọ").exists()
    assert UnitSuccessor.objects.get(unit__name="Huyện ủy Lý Sơn").successor.name == "Đảng ủy đặc khu Lý Sơn"
    assert UnitEvent.objects.get(kind=UnitEvent.Kind.DISSOLVE).links.count() == 691

    assert AuditEntry.objects.filter(action="load_units").count() == 1

    out = StringIO()
    call_command("load_units", stdout=out)
    assert out.getvalue().strip() == (
        "Đã có dữ liệu đơn vị: 34 tỉnh, thành phố; 3.321 xã, phường, đặc khu. Không thay đổi gì."
    )
    assert _counts() == first
