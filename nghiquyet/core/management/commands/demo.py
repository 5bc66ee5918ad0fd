"""`nghiquyet demo`: Hà Tĩnh's demo work on top of the real units, and the demo logins."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from nghiquyet.core.demo import load_demo


class Command(BaseCommand):
    # `make demo` runs it right after `migrate`, which ran the system checks; they
    # import every view and the API (about 2 s on a first start).
    requires_system_checks: list[str] = []
    help = (
        "Tạo dữ liệu mẫu của Tỉnh ủy Hà Tĩnh (nghị quyết, chỉ tiêu, kết quả, nhiệm vụ, hội nghị, tài khoản)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        report = load_demo()
        self.stdout.write(report.summary())
        if report.created:
            seconds = f"{time.monotonic() - started:.1f}".replace(".", ",")
            self.stdout.write(f"\nThời gian: {seconds} giây.")
