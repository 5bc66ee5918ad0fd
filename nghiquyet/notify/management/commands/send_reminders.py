"""`nghiquyet send-reminders`: send the reminders due today, each once.

Meant to run from cron or a systemd timer (see README); safe to run as
often as wanted: what was sent is logged and never sent again."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from nghiquyet.notify.actions import do_send_reminders


class Command(BaseCommand):
    help = "Gửi các thông báo nhắc việc đến hạn (mỗi thông báo một lần)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ngay", "--date", dest="day", help="Ngày tính hạn (YYYY-MM-DD), mặc định hôm nay."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi.")

    def handle(self, *args, day=None, dry_run=False, **options):
        today = None
        if day:
            try:
                today = dt.date.fromisoformat(day)
            except ValueError:
                raise CommandError(
                    f"Ngày “{day}” không hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2026-12-31."
                ) from None
        report = do_send_reminders(today, dry_run=dry_run)
        for rem in report.sent:
            self.stdout.write(f"{'(thử) ' if dry_run else ''}{rem.title} → {len(rem.users)} người nhận")
        verb = "Sẽ gửi" if dry_run else "Đã gửi"
        self.stdout.write(
            f"{verb} {len(report.sent)} nhắc việc, {report.notifications} thông báo, {report.emails} thư."
        )
        for err in report.email_errors:
            self.stderr.write(f"Không gửi được thư: {err}")
        if report.email_errors:
            raise CommandError("Có thư chưa gửi được; thông báo trong ứng dụng vẫn đã ghi.")
