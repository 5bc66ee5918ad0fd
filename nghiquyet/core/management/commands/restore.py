"""`nghiquyet restore FILE`: an archive from `nghiquyet backup` into an empty installation."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from nghiquyet.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    # The checks import every URL and view: a second of start-up for nothing this command uses.
    requires_system_checks: list = []
    help = (
        "Khôi phục CSDL và tệp tải lên từ một bản sao lưu của `nghiquyet backup` vào một cài đặt trống "
        "(dừng máy chủ trước). Từ chối khi CSDL đích đã có dữ liệu hoặc bản sao lưu hỏng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp sao lưu (.tar.gz).")

    def handle(self, *args, file: str, **options):
        try:
            summary = restore_backup(Path(file))
        except BackupError as exc:
            self._refuse(str(exc))
        except DatabaseError as exc:
            self._refuse(
                f"Không kết nối được CSDL đích (với PostgreSQL, tạo CSDL trống trước bằng createdb): {exc}"
            )
        except OSError as exc:  # a full disk, a folder without permission
            self._refuse(f"Không khôi phục được: {exc}")
        self.stdout.write("\n".join(summary.lines()))

    def _refuse(self, message: str):
        self.stderr.write(message)
        sys.exit(1)
