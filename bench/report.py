"""Report and import benchmark: the review report (Word, with its appendix)
and the Excel appendix for a province, then a filled Excel sheet of 3,321
rows (one per commune, as many as the country has) taken in.

    .venv/bin/python bench/report.py [--communes 100] [--targets 20] [--rows 3321] [--repeat 3]

Builds its own province-sized dataset in a temporary SQLite database (never
the demo data): 1 province, ``--communes`` communes, ``--targets``
quarterly targets of a congress resolution in five groups, results for
every commune and quarter of 2025 and 2026 so far. Then it adds communes up
to ``--rows``, writes the provincial entry template (one row per commune),
fills every cell (numbers, and text in Vietnamese form: "2.989", "48,5%")
and imports it. Building and filling the sheet is not timed; the import is
(reading, checking every cell, writing in one transaction with revisions
and audit rows). The last line reads
``report: <ms> ms, import 3321 rows: <ms> ms``.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--targets", type=int, default=20)
    ap.add_argument("--rows", type=int, default=3321)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="nq-bench-report-")
    os.environ["NGHIQUYET_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)  # always a private SQLite file
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    from nghiquyet.core.datadir import prepare

    prepare()  # the data folder and secret key, as the `nghiquyet` command makes them
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    run(args)


def build(n_communes: int, n_targets: int):
    """The province, its communes, the resolution and its targets, and the
    submitted quarterly results, in bulk."""
    import datetime as dt
    import random
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from nghiquyet.core.periods import Period
    from nghiquyet.documents.models import Document
    from nghiquyet.orgs.models import OrgUnit, UnitKind
    from nghiquyet.targets.models import (
        Assignment,
        Direction,
        Milestone,
        Result,
        ResultStatus,
        Target,
        TargetGroup,
        TimeAggregation,
        UnitAggregation,
        ValueType,
    )

    rng = random.Random(2026)
    groups = list(TargetGroup)
    with transaction.atomic():
        root = OrgUnit.objects.create(name="Ban Chấp hành Trung ương Đảng", kind=UnitKind.CENTRAL)
        province = OrgUnit.objects.create(
            name="Tỉnh ủy Hà Tĩnh", kind=UnitKind.PROVINCE, parent=root, code="42"
        )
        communes = add_communes(province, 0, n_communes)
        doc = Document.objects.create(
            kind="nghi_quyet",
            number="01",
            sign="01-NQ/ĐH",
            title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025–2030",
            issuing_unit=province,
            issued=dt.date(2025, 10, 15),
            term_start=2025,
            term_end=2030,
        )
        targets = []
        for i in range(n_targets):
            rate = i % 3 == 1
            targets.append(
                Target(
                    document=doc,
                    code=str(i + 1),
                    name=f"Chỉ tiêu thử nghiệm số {i + 1}" + (" (tỷ lệ)" if rate else ""),
                    group=groups[i % len(groups)].value,
                    measure="%" if rate else "đảng viên",
                    value_type=ValueType.PERCENT if rate else ValueType.INTEGER,
                    direction=Direction.LOWER if i % 6 == 1 else Direction.HIGHER,
                    target_value=Decimal(40 if rate else 40000),
                    baseline_value=Decimal(30 if rate else 0),
                    time_aggregation=TimeAggregation.LATEST if rate else TimeAggregation.SUM,
                    unit_aggregation=UnitAggregation.MEAN if rate else UnitAggregation.SUM,
                    order=i + 1,
                )
            )
        Target.objects.bulk_create(targets)
        targets = list(doc.targets.order_by("order"))
        Milestone.objects.bulk_create(
            Milestone(target=t, year=y, value=Decimal(35 if t.measure == "%" else 8000))
            for t in targets
            for y in (2025, 2026)
        )
        Assignment.objects.bulk_create(Assignment(target=t, unit=u) for t in targets for u in communes)
        quarters = [Period.quarter(y, q) for y in (2025, 2026) for q in (1, 2, 3, 4)][:6]
        now = timezone.now()
        Result.objects.bulk_create(
            (
                Result(
                    target=t,
                    unit=u,
                    period_key=p.key(),
                    period_kind=p.kind.value,
                    period_start=p.start,
                    period_end=p.end,
                    value=Decimal(rng.randint(20, 45)) if t.measure == "%" else Decimal(rng.randint(5, 40)),
                    status=ResultStatus.SUBMITTED,
                    submitted_at=now,
                )
                for t in targets
                for u in communes
                for p in quarters
            ),
            batch_size=5000,
        )
    return province, doc, targets


def add_communes(province, start: int, count: int):
    from nghiquyet.core.text import normalize_name, vn_collation_string
    from nghiquyet.orgs.models import OrgUnit, UnitKind, path_segment

    units = [
        OrgUnit(
            name=f"Đảng ủy xã Thử Nghiệm {i + 1:04d}",
            kind=UnitKind.COMMUNE,
            parent=province,
            code=f"X{i + 1:05d}",
            path=f"tmp-{i}",
            depth=province.depth + 1,
            sort_key=vn_collation_string(f"Đảng ủy xã Thử Nghiệm {i + 1:04d}"),
            name_key=normalize_name(f"Đảng ủy xã Thử Nghiệm {i + 1:04d}"),
        )
        for i in range(start, start + count)
    ]
    # bulk_create skips save(): paths are set from the ids afterwards.
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    for u in units:
        u.path = province.path + path_segment(u.pk)
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=2000)
    return units


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def run(args) -> None:
    import datetime as dt

    import openpyxl
    import time_machine
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from nghiquyet.core.periods import Period
    from nghiquyet.reports.appendix_xlsx import build_appendix_xlsx
    from nghiquyet.reports.entry import DATA_SHEET, UNITS_FIRST_ROW, UNITS_FIXED_HEAD, build_children_template
    from nghiquyet.reports.importing import do_import_results
    from nghiquyet.reports.review import build_review_docx, review_data
    from nghiquyet.targets.models import Assignment, Result

    traveller = time_machine.travel(dt.datetime(2026, 8, 10, 9, 0), tick=True)
    traveller.start()
    t0 = time.perf_counter()
    province, doc, targets = build(args.communes, args.targets)
    n_results = Result.objects.count()
    print(
        f"dataset: 1 province, {args.communes} communes, {len(targets)} targets, "
        f"{n_results} results ({(time.perf_counter() - t0):.1f} s)"
    )
    half = Period.half(2026, 1)

    def report():
        data = review_data(doc, province, half)
        return len(build_review_docx(data)), len(build_appendix_xlsx(data)), data

    report()  # warm-up: imports, templates
    report_ms, (docx_len, xlsx_len, data) = timed(report, args.repeat)
    print(
        f"report {half.label}: {len(data.rows)} targets, {data.summary()}; "
        f".docx {docx_len // 1024} KB, .xlsx {xlsx_len // 1024} KB: {report_ms:.0f} ms"
    )

    # The import: every commune of the country in one provincial sheet.
    extra = args.rows - args.communes
    with transaction.atomic():
        more = add_communes(province, args.communes, extra)
        Assignment.objects.bulk_create(
            (Assignment(target=t, unit=u) for t in targets for u in more), batch_size=5000
        )
    q3 = Period.quarter(2026, 3)
    template = build_children_template(doc, province, q3)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[DATA_SHEET]
    fixed = len(UNITS_FIXED_HEAD)
    for i in range(args.rows):
        row = UNITS_FIRST_ROW + i
        for j, t in enumerate(targets):
            v = 20 + (i * 7 + j) % 20
            if t.measure == "%":
                value = f"{v},5%" if i % 4 == 0 else v + 0.5
            else:
                value = f"{v * 100:,}".replace(",", ".") if i % 5 == 0 else v
            ws.cell(row=row, column=fixed + 1 + j, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    filled = buf.getvalue()
    cells = args.rows * len(targets)
    print(f"sheet: {args.rows} rows × {len(targets)} targets = {cells} cells, {len(filled) // 1024} KB")

    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "x")
    t0 = time.perf_counter()
    summary = do_import_results(io.BytesIO(filled), acting_user=user, unit=province, period=q3)
    import_ms = (time.perf_counter() - t0) * 1000
    print(f"import (first, all new): {summary.message} {import_ms:.0f} ms")
    t0 = time.perf_counter()
    again = do_import_results(io.BytesIO(filled), acting_user=user, unit=province, period=q3)
    again_ms = (time.perf_counter() - t0) * 1000
    print(f"import (same file again): {again.message} {again_ms:.0f} ms")
    # Baseline, in the same run: the same cells written one action call at a
    # time (what a form-by-form entry costs), on a sample, scaled to the sheet.
    from nghiquyet.targets.actions import do_save_result

    sample_units = list(more[:50])
    t0 = time.perf_counter()
    with transaction.atomic():
        for u in sample_units:
            for t in targets:
                do_save_result(t, u, q3, 7, acting_user=user, submit=True)
    per_cell = (time.perf_counter() - t0) * 1000 / (len(sample_units) * len(targets))
    print(
        f"baseline: one do_save_result per cell {per_cell:.2f} ms/cell, "
        f"≈ {per_cell * cells / 1000:.1f} s for the sheet ({per_cell * cells / import_ms:.0f}× the import)"
    )
    traveller.stop()
    print(f"report: {report_ms:.0f} ms, import {args.rows} rows: {import_ms:.0f} ms")


if __name__ == "__main__":
    main()
