"""Roll-up benchmark: a province-sized dataset, the set-based roll-up next to
a naive per-unit, per-target computation, in the same run.

    .venv/bin/python bench/rollup.py [--communes 100] [--targets 100] [--quarters 20] [--repeat 5]

Builds its own database in a temporary folder (SQLite by default, or the
DATABASE_URL given), so it never touches the demo data. The last line reads
``rollup: <ms> ms, naive <ms> ms, <x>× faster``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--targets", type=int, default=100)
    ap.add_argument("--quarters", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--profile", action="store_true", help="in thời gian từng truy vấn")
    args = ap.parse_args()

    # Always a database of its own: never the demo data, whatever the
    # environment says. On PostgreSQL (DATABASE_URL) a test database is made
    # and dropped; on SQLite a file in a temporary folder.
    tmp = tempfile.mkdtemp(prefix="nq-bench-")
    os.environ["NGHIQUYET_DATA_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    from nghiquyet.core.datadir import prepare

    prepare()  # the data folder and secret key, as the `nghiquyet` command makes them
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    old_name = None
    if connection.vendor == "postgresql":
        old_name = connection.creation.create_test_db(verbosity=0)
    else:
        call_command("migrate", verbosity=0)
    try:
        run(args)
    finally:
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        connection.close()
        shutil.rmtree(tmp, ignore_errors=True)


def build(n_communes: int, n_targets: int, n_quarters: int):
    import random

    from django.db import transaction

    from nghiquyet.core.periods import Period
    from nghiquyet.documents.models import Document
    from nghiquyet.orgs.models import OrgUnit, UnitKind
    from nghiquyet.targets.models import (
        Assignment,
        Direction,
        Result,
        ResultStatus,
        Target,
        TargetGroup,
        TimeAggregation,
        UnitAggregation,
    )

    rng = random.Random(2025)
    with transaction.atomic():
        root = OrgUnit.objects.create(name="Ban Chấp hành Trung ương Đảng", kind=UnitKind.CENTRAL)
        province = OrgUnit.objects.create(name="Tỉnh ủy Thử nghiệm", kind=UnitKind.PROVINCE, parent=root)
        communes = [
            OrgUnit.objects.create(name=f"Đảng ủy xã Thử {i:03d}", kind=UnitKind.COMMUNE, parent=province)
            for i in range(n_communes)
        ]
        doc = Document.objects.create(
            kind="nghi_quyet", title="Nghị quyết thử nghiệm", term_start=2026, term_end=2030
        )
        rules = [
            (TimeAggregation.SUM, UnitAggregation.SUM, Direction.HIGHER),
            (TimeAggregation.LATEST, UnitAggregation.WEIGHTED_MEAN, Direction.LOWER),
            (TimeAggregation.MEAN, UnitAggregation.MEAN, Direction.HIGHER),
            (TimeAggregation.LATEST, UnitAggregation.COUNT_MEETING, Direction.THRESHOLD),
        ]
        groups = list(TargetGroup)
        targets = []
        for i in range(n_targets):
            time_rule, unit_rule, direction = rules[i % len(rules)]
            targets.append(
                Target(
                    document=doc,
                    code=str(i + 1),
                    name=f"Chỉ tiêu {i + 1}",
                    group=groups[i % len(groups)],
                    time_aggregation=time_rule,
                    unit_aggregation=unit_rule,
                    direction=direction,
                    target_value=Decimal(rng.randint(50, 500)),
                    order=i,
                )
            )
        Target.objects.bulk_create(targets)
        Assignment.objects.bulk_create(
            [
                Assignment(target=t, unit=c, weight=Decimal(rng.randint(500, 5000)))
                for t in targets
                for c in communes
            ]
        )
        quarters = []
        p = Period.quarter(2026, 1)
        for _ in range(n_quarters):
            quarters.append(p)
            s = p.end.replace(day=1)
            p = Period.quarter(
                s.year + (1 if s.month == 12 else 0), 1 if s.month == 12 else (s.month // 3) + 1
            )
        rows = [
            Result(
                target=t,
                unit=c,
                period_key=q.key(),
                period_kind=q.kind,
                period_start=q.start,
                period_end=q.end,
                value=Decimal(rng.randint(0, 100)),
                status=ResultStatus.SUBMITTED,
            )
            for t in targets
            for c in communes
            for q in quarters
            if rng.random() > 0.05  # some gaps
        ]
        Result.objects.bulk_create(rows, batch_size=5000)
    return doc, province, communes, quarters, len(rows)


def naive(doc, province, period):
    """Per target, per unit: one query for the unit's results, arithmetic in
    Python — what a first version walking the tree would do."""
    from nghiquyet.orgs.models import OrgUnit
    from nghiquyet.targets.models import Assignment, Result, TimeAggregation, UnitAggregation
    from nghiquyet.targets.rollup import combine_time, combine_units

    out = {}
    for t in doc.targets.all():
        pairs = []
        for child in OrgUnit.objects.filter(parent=province):
            a = Assignment.objects.filter(target=t, unit=child).first()
            if a is None:
                continue
            cells = {
                r.period_end: r.value
                for r in Result.objects.filter(
                    target=t,
                    unit=child,
                    status="submitted",
                    period_start__gte=period.start,
                    period_end__lte=period.end,
                )
            }
            v = combine_time(t.time_aggregation, cells)
            if v is not None:
                pairs.append((v, a.weight or Decimal(1)))
        if t.unit_aggregation == UnitAggregation.COUNT_MEETING:
            out[t.pk] = Decimal(sum(1 for v, _ in pairs if v >= (t.target_value or 0)))
        elif t.time_aggregation != TimeAggregation.RATIO:
            rule = t.unit_aggregation
            out[t.pk] = combine_units(
                rule, pairs if rule == UnitAggregation.WEIGHTED_MEAN else [(v, 1) for v, _ in pairs]
            )
    return out


def run(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nghiquyet.core.periods import Period
    from nghiquyet.targets.rollup import rollup

    t0 = time.perf_counter()
    doc, province, communes, quarters, n_rows = build(args.communes, args.targets, args.quarters)
    print(
        f"dữ liệu: 1 tỉnh, {len(communes)} xã, {args.targets} chỉ tiêu, {len(quarters)} quý, "
        f"{n_rows} kết quả ({connection.vendor}); dựng trong {time.perf_counter() - t0:.1f} s"
    )
    term = Period.custom(quarters[0].start, quarters[-1].end)
    year = Period.year(quarters[0].start.year)

    def timed(fn, repeat):
        times = []
        for _ in range(repeat):
            s = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - s) * 1000)
        return statistics.median(times), result

    for label, period in (("năm", year), ("cả giai đoạn", term)):
        with CaptureQueriesContext(connection) as ctx:
            ms, r = timed(lambda p=period: rollup(doc, province, p), args.repeat)
        queries = len(ctx.captured_queries) // args.repeat
        naive_ms, naive_values = timed(lambda p=period: naive(doc, province, p), 1)
        # The two must agree before their times mean anything.
        fast_values = {t.target.pk: t.value for t in r.targets}
        mismatches = [
            pk
            for pk, v in naive_values.items()
            if (v is None) != (fast_values[pk] is None)
            or (v is not None and abs(v - fast_values[pk]) > Decimal("0.01"))
        ]
        if mismatches:
            raise SystemExit(f"Kết quả khác nhau ở {len(mismatches)} chỉ tiêu: {mismatches[:5]}")
        print(f"{label}: roll-up {ms:.0f} ms ({queries} truy vấn), naive {naive_ms:.0f} ms")
        if args.profile:
            for q in ctx.captured_queries[: len(ctx.captured_queries) // args.repeat]:
                print(f"    {float(q['time']) * 1000:7.0f} ms  {q['sql'][:110]}")
    print(f"rollup: {ms:.0f} ms, naive {naive_ms:.0f} ms, {naive_ms / ms:.1f}× faster")


if __name__ == "__main__":
    main()
