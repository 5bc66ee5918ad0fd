"""`nghiquyet import-results FILE --user LOGIN [--dry-run]`: a filled Excel
template taken in from the console, as the upload on the report page does.

Exit status 0 when the file was taken in (or had nothing to change), 1 when
it was refused — a missing file and an unknown user too — with the reasons
by sheet, row and column on stderr. ``--dry-run`` runs the whole import in
a transaction and rolls it back: every check, nothing written.
"""

from __future__ import annotations

from nghiquyet.reports.importing import ImportSummary, do_import_results
from nghiquyet.reports.management.sheetimport import SheetImportCommand


class Command(SheetImportCommand):
    help = (
        "Nhận số liệu từ mẫu Excel đã điền (như tải lên trên trang báo cáo). "
        "Mã thoát 0: đã nhận hoặc không có gì thay đổi; 1: tệp bị từ chối."
    )
    user_help = "Tên đăng nhập của người báo cáo (cần quyền báo cáo các đơn vị trong tệp)"
    nothing_written = "ô"

    def do_import(self, fh, *, acting_user) -> ImportSummary:
        return do_import_results(fh, acting_user=acting_user)

    def where(self, summary: ImportSummary) -> str:
        return f"{summary.document} – {summary.unit.name} – {summary.period.label}"
