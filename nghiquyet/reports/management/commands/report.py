"""`nghiquyet report`: the review report of a document for a unit and a period."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nghiquyet.reports.building import FORMATS, build_review, find_document, find_period, find_unit
from nghiquyet.reports.pdf import PdfUnavailable


class Command(BaseCommand):
    help = (
        "Xuất báo cáo sơ kết, tổng kết thực hiện một văn bản của một đơn vị trong một kỳ "
        "(Word kèm phụ lục, phụ lục Excel hoặc PDF)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--document", required=True, help="Số định danh hoặc số, ký hiệu văn bản (01-NQ/ĐH)"
        )
        parser.add_argument("--unit", required=True, help="Mã hoặc số định danh đơn vị")
        parser.add_argument("--period", required=True, help="Kỳ báo cáo: “6 tháng đầu năm 2026” hoặc 2026-H1")
        parser.add_argument(
            "--format", default="docx", choices=sorted(FORMATS), help="docx (mặc định), xlsx, pdf"
        )
        parser.add_argument(
            "-o", "--output", help="Tệp kết quả (mặc định: tên tự đặt trong thư mục hiện tại)"
        )

    def handle(self, *args, **options):
        try:
            document = find_document(options["document"])
            unit = find_unit(options["unit"])
            period = find_period(options["period"])
            built = build_review(document, unit, period, options["format"])
        except (ValidationError, PdfUnavailable) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
        path = Path(options["output"] or built.filename)
        path.write_bytes(built.content)
        self.stdout.write(f"Đã ghi {path} ({len(built.content):,} byte).".replace(",", "."))
