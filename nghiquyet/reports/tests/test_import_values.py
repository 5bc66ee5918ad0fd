"""The Excel import goes through the one writer: the unit typed, counts and
the unit's life are checked there too (#11, "Values"); all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen
from nghiquyet.reports.entry import DATA_SHEET, TARGETS_FIRST_ROW, build_unit_template
from nghiquyet.reports.importing import ImportRejected, do_import_results
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0), tick=False):
        yield


def fill(data: bytes, cells: dict[str, object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        wb[DATA_SHEET][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def refused(data, users, tree, period) -> str:
    with pytest.raises(ImportRejected) as exc:
        do_import_results(data, acting_user=users.reporter, unit=tree.commune_a, period=period)
    assert not Result.objects.exists()
    return " ".join(str(e) for e in exc.value.errors)


def test_an_import_for_a_period_before_the_unit_existed_is_refused(users, tree, resolution):
    # xã Đức Thọ exists from 01/7/2025: a sheet for Quý II/2025 writes nothing.
    q2 = Period.quarter(2025, 2)
    r = TARGETS_FIRST_ROW
    data = fill(build_unit_template(resolution.doc, tree.commune_a, q2), {f"F{r}": 12})
    assert "chỉ có hiệu lực từ 01/7/2025: không nhận số liệu kỳ Quý II/2025" in refused(data, users, tree, q2)


def test_an_import_reads_units_and_refuses_a_negative_count(users, tree, resolution):
    q3 = Period.quarter(2026, 3)
    reopen(tree.province, q3)  # Q3's reporting window closed on 15/10: entry reopened from above
    template = build_unit_template(resolution.doc, tree.commune_a, q3)
    r = TARGETS_FIRST_ROW
    assert "không nhận số âm" in refused(fill(template, {f"F{r}": "−5"}), users, tree, q3)
    assert "chỉ tiêu này tính bằng “%”" in refused(fill(template, {f"F{r + 1}": "12 km"}), users, tree, q3)
    # 12‰ is 1,2%; a float from the sheet is read to a float's precision.
    data = fill(template, {f"F{r}": 7, f"F{r + 1}": "12‰", f"F{r + 2}": 0.1 + 0.2})
    do_import_results(data, acting_user=users.reporter, unit=tree.commune_a, period=q3)
    assert sorted(Result.objects.values_list("target__code", "value")) == [
        ("1", Decimal(7)),
        ("2", Decimal("1.2")),
        ("3", Decimal("0.3")),
    ]
