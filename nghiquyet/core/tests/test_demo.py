"""`demo`: Hà Tĩnh's demo work on the real units; a second run changes nothing.

One test runs the whole thing (units included, a few seconds) and checks many things.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

from nghiquyet.accounts.models import Membership, Role
from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.demo import PASSWORD
from nghiquyet.documents.models import Document
from nghiquyet.meetings.models import Meeting
from nghiquyet.orgs.models import OrgUnit, UnitKind
from nghiquyet.targets.models import Assignment, Result, ResultStatus, Target
from nghiquyet.tasks.models import Task


def _counts():
    return {
        m.__name__: m.objects.count()
        for m in (Document, Target, Assignment, Result, Task, Meeting, OrgUnit, AuditEntry, Membership)
    }


@pytest.mark.django_db
def test_demo_builds_hatinh_and_twice_changes_nothing():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        out = StringIO()
        call_command("demo", stdout=out)
        first = _counts()
        text = out.getvalue()
        assert "Tài khoản dùng thử" in text and "baocao_ductho" in text and PASSWORD in text

        resolution = Document.objects.get(sign="01-NQ/ĐH")
        province = resolution.issuing_unit
        assert province.name == "Tỉnh ủy Hà Tĩnh"
        assert resolution.implemented_by.count() == 2
        assert 18 <= resolution.targets.count() <= 25
        assert {t.group for t in resolution.targets.all()} == {
            "kinh_te",
            "van_hoa_xa_hoi",
            "moi_truong",
            "quoc_phong_an_ninh",
            "xay_dung_dang",
        }
        communes = OrgUnit.objects.subtree(province).current().filter(kind=UnitKind.COMMUNE)
        budget = resolution.targets.get(code="3")
        assert Assignment.objects.filter(target=budget).count() == communes.count() == 69
        # Results only for periods begun, none after Quý III/2026; some drafts (late reporters).
        assert not Result.objects.filter(period_start__gt=dt.date(2026, 7, 1)).exists()
        assert Result.objects.filter(status=ResultStatus.DRAFT).exists()
        reporting = (
            Result.objects.filter(target=budget, period_key="2025-Q4").values("unit").distinct().count()
        )
        assert 60 <= reporting < 69  # a few never report
        assert Task.objects.overdue(dt.date(2026, 11, 21)).exists()
        assert Meeting.objects.count() == 3
        reporter = get_user_model().objects.get(username="baocao_ductho")
        assert reporter.check_password(PASSWORD)
        assert Membership.objects.get(user=reporter).role == Role.REPORTER
        assert AuditEntry.objects.filter(action="load_demo").count() == 1

        out = StringIO()
        call_command("demo", stdout=out)
        assert "Không thay đổi gì" in out.getvalue()
        assert _counts() == first
