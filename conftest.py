"""Shared fixtures: a small tree with a provincial admin, a commune reporter,
a read-only viewer and an outsider from another province.

    Ban Chấp hành Trung ương Đảng
    ├── Tỉnh ủy Hà Tĩnh (province)
    │   ├── Đảng ủy xã Đức Thọ (commune_a)
    │   └── Đảng ủy xã Tùng Ảnh (commune_b)
    └── Tỉnh ủy Nghệ An (other_province)
        └── Đảng ủy phường Vinh Phú (other_commune)
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from types import SimpleNamespace

import pytest

from nghiquyet.accounts.models import Membership, Role
from nghiquyet.orgs.models import OrgUnit, UnitKind

PASSWORD = "mat-khau-thu-nghiem"

# A PostgreSQL collation name ("vi-VN-x-icu"): the test database is created
# with that ICU locale instead of copying template1 (C.UTF-8 here), so that
# what depends on collation is tested the way a Vietnamese server sorts.
TEST_DB_COLLATION = os.environ.get("NGHIQUYET_TEST_DB_COLLATION", "")


def icu_locale(collation: str) -> str:
    """The ICU locale of a PostgreSQL ICU collation name: "vi-VN-x-icu" → "vi-VN"."""
    return collation.removesuffix("-x-icu")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    if not TEST_DB_COLLATION:
        yield
        return
    from django.db import connection
    from django.db.backends.postgresql.creation import DatabaseCreation

    if connection.vendor != "postgresql":
        raise pytest.UsageError("NGHIQUYET_TEST_DB_COLLATION cần DATABASE_URL trỏ tới PostgreSQL.")
    locale = icu_locale(TEST_DB_COLLATION).replace("'", "")
    suffix = f"WITH ENCODING 'UTF8' TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{locale}'"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(DatabaseCreation, "sql_table_creation_suffix", lambda self: suffix)
        yield


@pytest.fixture
def tree(db):
    root = OrgUnit.objects.create(name="Ban Chấp hành Trung ương Đảng", kind=UnitKind.CENTRAL)
    province = OrgUnit.objects.create(name="Tỉnh ủy Hà Tĩnh", kind=UnitKind.PROVINCE, parent=root, code="42")
    commune_a = OrgUnit.objects.create(
        name="Đảng ủy xã Đức Thọ", kind=UnitKind.COMMUNE, parent=province, valid_from=dt.date(2025, 7, 1)
    )
    commune_b = OrgUnit.objects.create(
        name="Đảng ủy xã Tùng Ảnh", kind=UnitKind.COMMUNE, parent=province, valid_from=dt.date(2025, 7, 1)
    )
    other_province = OrgUnit.objects.create(
        name="Tỉnh ủy Nghệ An", kind=UnitKind.PROVINCE, parent=root, code="40"
    )
    other_commune = OrgUnit.objects.create(
        name="Đảng ủy phường Vinh Phú", kind=UnitKind.COMMUNE, parent=other_province
    )
    return SimpleNamespace(
        root=root,
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        other_province=other_province,
        other_commune=other_commune,
    )


def make_user(django_user_model, username: str, unit: OrgUnit | None, role: str | None, **extra):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)
    if unit is not None and role is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def users(tree, django_user_model):
    return SimpleNamespace(
        province_admin=make_user(django_user_model, "qt_tinh", tree.province, Role.ADMIN),
        viewer=make_user(django_user_model, "lanh_dao", tree.province, Role.VIEWER),
        reporter=make_user(django_user_model, "bc_ductho", tree.commune_a, Role.REPORTER),
        reporter_b=make_user(django_user_model, "bc_tunganh", tree.commune_b, Role.REPORTER),
        outsider=make_user(django_user_model, "nghe_an", tree.other_province, Role.ADMIN),
        superuser=django_user_model.objects.create_superuser("admin", "admin@example.invalid", PASSWORD),
    )


@pytest.fixture
def resolution(tree):
    """A congress resolution with a few targets of different rules,
    assigned to both communes of the province."""
    from nghiquyet.documents.models import Document
    from nghiquyet.targets.models import (
        Assignment,
        Direction,
        Judged,
        Milestone,
        Target,
        TargetGroup,
        TimeAggregation,
        UnitAggregation,
        ValueType,
    )

    doc = Document.objects.create(
        kind="nghi_quyet",
        number="01",
        sign="01-NQ/ĐH",
        title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025–2030",
        issuing_unit=tree.province,
        issued=dt.date(2025, 10, 15),
        term_start=2025,
        term_end=2030,
    )
    new_members = Target.objects.create(
        document=doc,
        code="1",
        name="Kết nạp đảng viên mới",
        group=TargetGroup.PARTY,
        measure="đảng viên",
        value_type=ValueType.INTEGER,
        target_value=Decimal(1000),
        time_aggregation=TimeAggregation.SUM,
        unit_aggregation=UnitAggregation.SUM,
        order=1,
    )
    Milestone.objects.create(target=new_members, year=2026, value=Decimal(200))
    poverty = Target.objects.create(
        document=doc,
        code="2",
        name="Tỷ lệ hộ nghèo",
        group=TargetGroup.SOCIETY,
        measure="%",
        value_type=ValueType.PERCENT,
        direction=Direction.LOWER,
        baseline_value=Decimal("3.5"),
        target_value=Decimal("1.5"),
        time_aggregation=TimeAggregation.LATEST,
        unit_aggregation=UnitAggregation.WEIGHTED_MEAN,
        order=2,
    )
    Milestone.objects.create(target=poverty, year=2026, value=Decimal("3.0"))
    forest = Target.objects.create(
        document=doc,
        code="3",
        name="Tỷ lệ che phủ rừng",
        group=TargetGroup.ENVIRONMENT,
        measure="%",
        value_type=ValueType.PERCENT,
        direction=Direction.THRESHOLD,
        target_value=Decimal(50),
        time_aggregation=TimeAggregation.LATEST,
        unit_aggregation=UnitAggregation.MEAN,
        judged=Judged.YEAR_END,
        order=3,
    )
    for unit, households in ((tree.commune_a, 1000), (tree.commune_b, 3000)):
        for t in (new_members, poverty, forest):
            Assignment.objects.create(
                target=t, unit=unit, weight=Decimal(households) if t is poverty else None
            )
    return SimpleNamespace(doc=doc, new_members=new_members, poverty=poverty, forest=forest)
