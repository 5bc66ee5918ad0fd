"""The console side of a filled Excel template taken in (results, goals):
the file and the acting user checked, the import run in a transaction
(rolled back by ``--dry-run``: every check, nothing written), and the
outcome on stdout or the reasons by sheet, row and column on stderr.
Exit 0: taken in, or nothing changed; 1: refused."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from nghiquyet.reports.importing import ImportRejected


class _RollBack(Exception):
    def __init__(self, summary):
        self.summary = summary


class SheetImportCommand(BaseCommand):
    """A command over one importer: ``do_import(fh, acting_user=…)``
    returning a summary with a ``message``."""

    user_help = ""
    # What "nothing written" names in a refusal ("ô", "mục tiêu").
    nothing_written = ""

    def do_import(self, fh, *, acting_user):
        raise NotImplementedError

    def where(self, summary) -> str:
        """What the file was about, for the outcome line."""
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp Excel (.xlsx) đã điền, tải từ hệ thống")
        parser.add_argument("--user", required=True, help=self.user_help)
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
                summary = self.do_import(fh, acting_user=acting_user)
                if dry_run:
                    raise _RollBack(summary)
        except _RollBack as rolled:
            summary = rolled.summary
        except ImportRejected as exc:
            self.refuse([str(e) for e in exc.errors], rejected=True)
        except OSError as exc:
            self.refuse([f"Không đọc được tệp “{file}”: {exc.strerror or exc}."])
        where = self.where(summary)
        if dry_run:
            self.stdout.write(f"Chạy thử, chưa ghi gì ({where}). Nếu nhập thật: {summary.message}")
        else:
            self.stdout.write(f"{where}: {summary.message}")

    def refuse(self, errors: list[str], rejected: bool = False):
        if rejected:
            self.stderr.write(f"Tệp bị từ chối, chưa ghi {self.nothing_written} nào ({len(errors)} lỗi):")
            for e in errors:
                self.stderr.write(f"- {e}")
        else:
            self.stderr.write(errors[0])
        raise SystemExit(1)
