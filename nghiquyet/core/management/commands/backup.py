"""`nghiquyet backup [FILE|FOLDER] [--keep N]`: the database and uploaded files in one archive."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from nghiquyet.core.backup import BackupError, create_backup


class Command(BaseCommand):
    # The checks import every URL and view: a second of start-up for nothing this command uses.
    requires_system_checks: list = []
    help = (
        "Sao lưu CSDL (SQLite hoặc PostgreSQL) và tệp tải lên vào một tệp .tar.gz; "
        "chạy được khi máy chủ đang phục vụ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Tệp sẽ ghi, hoặc thư mục để ghi tệp tên theo ngày giờ "
            "(mặc định: thư mục backups/ trong thư mục dữ liệu).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Chỉ giữ N bản sao lưu mới nhất (tên theo ngày giờ) trong thư mục đó; xóa các bản cũ hơn.",
        )

    def handle(self, *args, file: str | None, keep: int | None, **options):
        if keep is not None and keep < 1:
            self._refuse("--keep phải từ 1 trở lên.")
        try:
            summary = create_backup(Path(file) if file else None, keep=keep)
        except BackupError as exc:
            self._refuse(str(exc))
        except DatabaseError as exc:
            self._refuse(f"Không đọc được CSDL: {exc}")
        except OSError as exc:  # a full disk, a folder without permission
            self._refuse(f"Không ghi được bản sao lưu: {exc}")
        self.stdout.write("\n".join(summary.lines()))

    def _refuse(self, message: str):
        # A plain message and status 1, not CommandError's English prefix.
        self.stderr.write(message)
        sys.exit(1)
