"""The migration that moves Assignment.target_value into the goals' history:
the old value becomes the unit's term goal, typed, in force from the start."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("targets", "0004_users_confirmed_warnings")]
AFTER = [("targets", "0005_goals_assignment_goals")]


@pytest.mark.django_db(transaction=True)
def test_unit_goals_move_into_the_history():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    OrgUnit = apps.get_model("orgs", "OrgUnit")
    Document = apps.get_model("documents", "Document")
    Target = apps.get_model("targets", "Target")
    Assignment = apps.get_model("targets", "Assignment")
    province = OrgUnit.objects.create(name="Tỉnh ủy Thử", kind="province", path="/1/", depth=1)
    commune = OrgUnit.objects.create(
        name="Đảng ủy xã Thử", kind="commune", parent=province, path="/1/2/", depth=2
    )
    other = OrgUnit.objects.create(
        name="Đảng ủy xã Khác", kind="commune", parent=province, path="/1/3/", depth=2
    )
    doc = Document.objects.create(kind="nghi_quyet", number="1", sign="1-NQ/TU", title="Nghị quyết thử")
    t = Target.objects.create(document=doc, code="1", name="Chỉ tiêu thử", group="kinh_te")
    a = Assignment.objects.create(target=t, unit=commune, target_value=Decimal(120), weight=Decimal(3))
    b = Assignment.objects.create(target=t, unit=other)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Goal = apps.get_model("targets", "AssignmentGoal")
    rows = list(
        Goal.objects.values_list("assignment_id", "kind", "year", "value", "source", "effective_from")
    )
    assert rows == [(a.pk, "term", None, Decimal(120), "typed", None)]
    assert apps.get_model("targets", "Assignment").objects.get(pk=a.pk).weight == Decimal(3)
    assert not Goal.objects.filter(assignment_id=b.pk).exists()

    # And back: the term goal returns to the column.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    assert apps.get_model("targets", "Assignment").objects.get(pk=a.pk).target_value == Decimal(120)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
