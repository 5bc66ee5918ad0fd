"""`nghiquyet serve`: the product on Waitress, static files through WhiteNoise.

Waitress is pure Python and runs the same on a Windows office PC and a
Linux server; WhiteNoise (with finders, see settings) serves the front-end
packages, so no web server or internet access is needed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chạy máy chủ web (Waitress) cho nghiquyet."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument("--threads", type=int, default=8, help="Số luồng xử lý (mặc định 8).")

    def handle(self, *args, host: str, port: int, threads: int, **options):
        from django.conf import settings
        from waitress import serve

        # WhiteNoise warns when STATIC_ROOT is missing; files come from the finders anyway.
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        from config.wsgi import application

        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(f"Đang phục vụ tại http://{shown}:{port} (Ctrl+C để dừng)")
        self.stdout.flush()
        try:
            serve(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="nghiquyet",
                max_request_body_size=settings.NGHIQUYET_MAX_REQUEST_BYTES,  # refused at the headers
                _quiet=True,
            )
        except KeyboardInterrupt:
            self.stdout.write("Đã dừng.")
