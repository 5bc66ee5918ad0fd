"""`nghiquyet ingest FILE...`: read texts into sources with suggested facts."""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from nghiquyet.core.numbers import format_number
from nghiquyet.ingestion.actions import do_ingest
from nghiquyet.ingestion.models import Suggestion
from nghiquyet.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Đọc bài viết, báo cáo (văn bản, HTML, .docx) thành nguồn tin với các dữ kiện chờ xác nhận."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="Tệp cần đọc; '-' là đầu vào chuẩn")
        parser.add_argument(
            "--unit",
            help="Mã hoặc số hiệu đơn vị tiếp nhận; cùng nội dung đã có ở đơn vị này thì không thêm lại",
        )
        parser.add_argument("--origin", default="", help="Địa chỉ trang gốc")

    def handle(self, *args, files, unit=None, origin="", **options):
        unit_obj = None
        if unit:
            unit_obj = (
                OrgUnit.objects.filter(code=unit).current().first()
                or OrgUnit.objects.filter(pk=int(unit) if unit.isdigit() else None).first()
            )
            if unit_obj is None:
                raise CommandError(f"Không tìm thấy đơn vị “{unit}”.")
        failed = 0
        for name in files:
            try:
                data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            except OSError as exc:
                self.stderr.write(f"{name}: không đọc được tệp ({exc.strerror}).")
                failed += 1
                continue
            try:
                source, created = do_ingest(
                    data,
                    name=Path(name).name if name != "-" else "",
                    origin=origin,
                    unit=unit_obj,
                    acting_user=None,
                )
            except ValidationError as exc:
                self.stderr.write(f"{name}: {' '.join(exc.messages)}")
                failed += 1
                continue
            if not created:
                self.stdout.write(f"{name}: đã có (nguồn #{source.pk}), không thêm gì.")
                continue
            counts = {k: 0 for k in Suggestion.Kind.values}
            for kind in source.suggestions.values_list("kind", flat=True):
                counts[kind] += 1
            summary = ", ".join(
                f"{format_number(n)} {Suggestion.Kind(k).label.lower()}" for k, n in counts.items() if n
            )
            self.stdout.write(f"{name}: nguồn #{source.pk} – {summary or 'không có dữ kiện'}.")
        if failed:
            raise CommandError(f"{failed} tệp không đọc được.")
