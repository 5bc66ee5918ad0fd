"""`nghiquyet first-run`: a real installation without the demo.

Creates the database tables, loads the administrative units, and makes the
first administrator over the chosen province. Asks what it is not given;
with --noinput everything comes from the options (the password from a file
or NGHIQUYET_ADMIN_PASSWORD). Running it again creates nothing twice.
"""

from __future__ import annotations

import getpass
import os
import sys
import time

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from nghiquyet.accounts.firstrun import do_create_first_admin, find_province, has_administrator, provinces
from nghiquyet.orgs.loader import load_units


def _seconds(started: float) -> str:
    return f"{time.monotonic() - started:.1f}".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Lần chạy đầu của một cài đặt thật (không có dữ liệu mẫu): tạo CSDL, nạp đơn vị hành chính, "
        "chọn tỉnh, thành phố và tạo quản trị viên đầu tiên của tỉnh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", help="Mã (ví dụ 42) hoặc tên (ví dụ Hà Tĩnh) của tỉnh, thành phố")
        parser.add_argument("--username", help="Tên đăng nhập của quản trị viên đầu tiên")
        parser.add_argument("--full-name", default="", help="Họ và tên, họ trước (ví dụ Đặng Thị Mai)")
        parser.add_argument(
            "--password-file",
            help="Tệp chứa mật khẩu (dòng đầu); không có thì hỏi, hoặc đọc biến NGHIQUYET_ADMIN_PASSWORD",
        )
        parser.add_argument("--noinput", "--no-input", action="store_true", help="Không hỏi gì")
        parser.add_argument("--list-provinces", action="store_true", help="In mã và tên các tỉnh, thành phố")

    def say(self, text: str) -> None:
        self.stdout.write(f"==> {text}")
        self.stdout.flush()

    def handle(self, *args, **options):
        interactive = not options["noinput"] and sys.stdin.isatty()
        self._migrate()
        self._load_units()
        if options["list_provinces"]:
            for p in provinces():
                self.stdout.write(f"{p.code}  {p.short_name or p.name}")
            return
        if has_administrator():
            self.stdout.write(
                "Cài đặt này đã có quản trị viên: không tạo thêm. Chạy máy chủ: nghiquyet serve"
            )
            return
        province = self._province(options["province"], interactive)
        username = options["username"] or (
            self._ask("Tên đăng nhập của quản trị viên: ") if interactive else ""
        )
        full_name = options["full_name"] or (self._ask("Họ và tên (họ trước): ") if interactive else "")
        password = self._password(options["password_file"], interactive)
        try:
            user, _ = do_create_first_admin(
                username=username, password=password, full_name=full_name, province=province
            )
        except ValidationError as err:
            raise CommandError(" ".join(err.messages)) from None
        self.stdout.write(
            f"Đã tạo quản trị viên “{user.username}” của {province.name}. "
            "Chạy máy chủ: nghiquyet serve — rồi đăng nhập để thêm văn bản, chỉ tiêu và người dùng."
        )

    def _migrate(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            return
        self.say(f"Tạo cơ sở dữ liệu ({len(plan)} bước)")
        call_command("migrate", interactive=False, verbosity=0)

    def _load_units(self) -> None:
        started = time.monotonic()
        if provinces().exists():
            return
        self.say("Nạp 34 tỉnh, 3.321 xã và các đơn vị trước 01/7/2025")
        report = load_units()
        self.stdout.write(report.summary())
        self.stdout.write(f"Thời gian: {_seconds(started)} giây.")

    def _province(self, given: str | None, interactive: bool):
        while True:
            text = (
                given
                if given is not None
                else (self._ask("Tỉnh, thành phố (mã hoặc tên): ") if interactive else "")
            )
            try:
                return find_province(text or "")
            except ValidationError as err:
                if not interactive or given is not None:
                    raise CommandError(" ".join(err.messages)) from None
                self.stderr.write(" ".join(err.messages))

    def _password(self, path: str | None, interactive: bool) -> str:
        if path:
            try:
                with open(path, encoding="utf-8") as fh:
                    return fh.readline().rstrip("\r\n")
            except OSError as err:
                raise CommandError(f"Không đọc được tệp mật khẩu {path}: {err.strerror}.") from None
        if os.environ.get("NGHIQUYET_ADMIN_PASSWORD"):
            return os.environ["NGHIQUYET_ADMIN_PASSWORD"]
        if not interactive:
            raise CommandError(
                "Chưa có mật khẩu: dùng --password-file TỆP hoặc biến NGHIQUYET_ADMIN_PASSWORD."
            )
        while True:
            first = getpass.getpass("Mật khẩu: ")
            if first == getpass.getpass("Nhập lại mật khẩu: "):
                return first
            self.stderr.write("Hai lần nhập không khớp; nhập lại.")

    def _ask(self, prompt: str) -> str:
        return input(prompt).strip()
