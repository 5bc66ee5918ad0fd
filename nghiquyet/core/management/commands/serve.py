"""`nghiquyet serve`: the product on Waitress, static files through WhiteNoise.

Waitress is pure Python and runs the same on a Windows office PC and a
Linux server; WhiteNoise (with finders, see settings) serves the front-end
packages, so no web server or internet access is needed.

Every limit is set from the command line, else the environment, else a
default sized for an office: Waitress's own defaults (100 connections,
4 threads) let one client holding ~98 idle keep-alive sockets block everyone.
"""

from __future__ import annotations

import os
import select
import sys
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError

# Python on Windows builds select() with FD_SETSIZE 512 and has no poll():
# more connections than that would crash the loop, not refuse politely.
_WINDOWS = sys.platform == "win32"
DEFAULT_CONNECTION_LIMIT = 500 if _WINDOWS else 1000
# The upload limit belongs to the uploads code; this is only the fallback.
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Option:
    flag: str  # command-line flag without "--"; the waitress name is the same with "_"
    env: str
    default: int | str | None
    help: str


OPTIONS = [
    Option("host", "NGHIQUYET_HOST", "127.0.0.1", "Địa chỉ lắng nghe"),
    Option("port", "NGHIQUYET_PORT", 8000, "Cổng"),
    Option("threads", "NGHIQUYET_THREADS", 8, "Số luồng xử lý yêu cầu"),
    Option(
        "connection-limit",
        "NGHIQUYET_CONNECTION_LIMIT",
        DEFAULT_CONNECTION_LIMIT,
        "Số kết nối mở cùng lúc tối đa (kể cả kết nối đang chờ)",
    ),
    Option(
        "channel-timeout",
        "NGHIQUYET_CHANNEL_TIMEOUT",
        60,
        "Số giây một kết nối được im lặng trước khi bị đóng",
    ),
    Option("backlog", "NGHIQUYET_BACKLOG", 1024, "Hàng đợi kết nối của hệ điều hành"),
    Option(
        "cleanup-interval",
        "NGHIQUYET_CLEANUP_INTERVAL",
        15,
        "Số giây giữa hai lần dọn các kết nối quá hạn",
    ),
    Option(
        "max-request-body",
        "NGHIQUYET_MAX_REQUEST_BODY",
        None,  # from settings.NGHIQUYET_MAX_REQUEST_BYTES, see resolve_options
        "Kích thước tối đa của một yêu cầu, tính bằng byte",
    ),
]


def _int(value: str, where: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise CommandError(f"{where}: “{value}” không phải số nguyên.") from None
    if number < 1:
        raise CommandError(f"{where}: phải lớn hơn 0 (đang là {number}).")
    return number


def resolve_options(cli: dict, environ=os.environ) -> dict:
    """Waitress keyword arguments: a command-line value wins over the
    environment, which wins over the default. Bad numbers raise CommandError."""
    from django.conf import settings

    resolved: dict = {}
    for opt in OPTIONS:
        key = opt.flag.replace("-", "_")
        value = cli.get(key)
        if value is not None:
            where = f"--{opt.flag}"
        elif environ.get(opt.env, "").strip():
            value, where = environ[opt.env], opt.env
        else:
            resolved[key] = opt.default
            continue
        resolved[key] = value if isinstance(opt.default, str) else _int(str(value), where)
    body = resolved.pop("max_request_body")
    if body is None:
        body = getattr(settings, "NGHIQUYET_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)
    resolved["max_request_body_size"] = body
    # poll() has no descriptor ceiling; select() stops at 1024 on Linux.
    resolved["asyncore_use_poll"] = hasattr(select, "poll")
    return resolved


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web (Waitress) cho nghiquyet. Mỗi giới hạn đặt được bằng tham số dòng lệnh "
        "hoặc biến môi trường ghi trong ngoặc; tham số dòng lệnh được ưu tiên."
    )

    def add_arguments(self, parser):
        for opt in OPTIONS:
            default = opt.default
            if opt.flag == "max-request-body":
                default = "NGHIQUYET_MAX_REQUEST_BYTES trong cấu hình, hoặc 64 MiB"
            parser.add_argument(
                f"--{opt.flag}",
                type=None if isinstance(opt.default, str) else int,
                default=None,
                help=f"{opt.help} ({opt.env}; mặc định {default}).",
            )

    def handle(self, *args, **options):
        from django.conf import settings
        from waitress import serve

        adj = resolve_options(options)
        # WhiteNoise warns when STATIC_ROOT is missing; files come from the finders anyway.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        from config.wsgi import application
        from nghiquyet.core.numbers import format_number

        host, port = adj["host"], adj["port"]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(
            f"Đang phục vụ tại http://{shown}:{port} (Ctrl+C để dừng): {adj['threads']} luồng, "
            f"tối đa {format_number(adj['connection_limit'])} kết nối, kết nối im lặng đóng sau {adj['channel_timeout']} giây"
        )
        self.stdout.flush()
        try:
            serve(application, ident="nghiquyet", _quiet=True, **adj)
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")
