"""`nghiquyet load-units`: the real provinces and communes and the committee tree."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from nghiquyet.orgs.loader import load_units


class Command(BaseCommand):
    # `make demo` runs it right after `migrate`, which ran the system checks; they
    # import every view and the API (about 2 s on a first start).
    requires_system_checks: list[str] = []
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (cùng đơn vị trước 01/7/2025) và cây cấp ủy."

    def handle(self, *args, **options):
        started = time.monotonic()
        report = load_units()
        self.stdout.write(report.summary())
        if report.changed:
            seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
            self.stdout.write(f"Thời gian: {seconds} giây.")
