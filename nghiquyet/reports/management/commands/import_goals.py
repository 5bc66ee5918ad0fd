"""`nghiquyet import-goals FILE --user LOGIN [--dry-run]`: units' goals for
a target taken in from a filled Excel template (downloaded from the
target's page), all or nothing.

Exit status 0 when the file was taken in (or had nothing to change), 1 when
it was refused — with the reasons by sheet, row and column on stderr.
``--dry-run`` runs the whole import in a transaction and rolls it back.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from nghiquyet.reports.goalsheet import GoalsImportSummary, do_import_goals
from nghiquyet.reports.importing import ImportRejected


class _RollBack(Exception):
    def __init__(self, summary: GoalsImportSummary):
        self.summary = summary


class Command(BaseCommand):
    help = (
        "Nhận mục tiêu của các đơn vị từ mẫu Excel đã điền (tải tại trang chỉ tiêu). "
        "Mã thoát 0: đã nhận hoặc không có gì thay đổi; 1: tệp bị từ chối."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp Excel (.xlsx) đã điền, tải từ hệ thống")
        parser.add_argument(
            "--user", required=True, help="Tên đăng nhập của người giao (quản trị viên của cấp trên)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chạy thử: kiểm tra đầy đủ như khi nhập thật nhưng không ghi gì",
        )

    def handle(self, *args, file: str, user: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            self.refuse([f"Không tìm thấy tệp “{file}”."])
        acting_user = get_user_model().objects.filter(username=user, is_active=True).first()
        if acting_user is None:
            self.refuse([f"Không có người dùng “{user}” (hoặc tài khoản đã bị khóa)."])
        try:
            with path.open("rb") as fh, transaction.atomic():
                summary = do_import_goals(fh, acting_user=acting_user)
                if dry_run:
                    raise _RollBack(summary)
        except _RollBack as rolled:
            summary = rolled.summary
        except ImportRejected as exc:
            self.refuse([str(e) for e in exc.errors], rejected=True)
        except OSError as exc:
            self.refuse([f"Không đọc được tệp “{file}”: {exc.strerror or exc}."])
        where = f"{summary.target.document} – chỉ tiêu {summary.target.code} – {summary.unit.name}"
        if dry_run:
            self.stdout.write(f"Chạy thử, chưa ghi gì ({where}). Nếu nhập thật: {summary.message}")
        else:
            self.stdout.write(f"{where}: {summary.message}")

    def refuse(self, errors: list[str], rejected: bool = False):
        if rejected:
            self.stderr.write(f"Tệp bị từ chối, chưa ghi mục tiêu nào ({len(errors)} lỗi):")
            for e in errors:
                self.stderr.write(f"- {e}")
        else:
            self.stderr.write(errors[0])
        raise SystemExit(1)
