from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_user
from nghiquyet.accounts.models import Role
from nghiquyet.rounds.actions import do_open_round
from nghiquyet.targets.actions import do_save_result

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=9):
    """A frozen moment in Vietnam's time."""
    return time_machine.travel(dt.datetime(y, m, d, h, 0, tzinfo=VN), tick=False)


@pytest.fixture
def cycle(tree, users, resolution, django_user_model):
    """Quý IV/2026 round of the resolution, communes due 05/01/2027.
    Commune A sent its three figures on 20/12/2026; commune B nothing."""
    approver = make_user(django_user_model, "duyet_tinh", tree.province, Role.APPROVER, email="duyet@tinh.vn")
    users.reporter_b.email = "tunganh@xa.vn"
    users.reporter_b.save()
    users.province_admin.email = "qt@tinh.vn"
    users.province_admin.save()
    with at(2026, 12, 20):
        rnd = do_open_round(
            documents=[resolution.doc],
            unit=tree.province,
            period="2026-Q4",
            deadlines={"commune": dt.date(2027, 1, 5)},
            acting_user=users.province_admin,
        )
        results = [
            do_save_result(t, tree.commune_a, "2026-Q4", v, acting_user=users.reporter, submit=True)
            for t, v in ((resolution.new_members, 40), (resolution.poverty, "3,2"), (resolution.forest, 51))
        ]
    return SimpleNamespace(round=rnd, approver=approver, results=results)
