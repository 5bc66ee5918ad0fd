"""`nghiquyet import-goals FILE --user LOGIN [--dry-run]`: units' goals for
a target taken in from a filled Excel template (downloaded from the
target's page), all or nothing.

Exit status 0 when the file was taken in (or had nothing to change), 1 when
it was refused — with the reasons by sheet, row and column on stderr.
``--dry-run`` runs the whole import in a transaction and rolls it back.
"""

from __future__ import annotations

from nghiquyet.reports.goalsheet import GoalsImportSummary, do_import_goals
from nghiquyet.reports.management.sheetimport import SheetImportCommand


class Command(SheetImportCommand):
    help = (
        "Nhận mục tiêu của các đơn vị từ mẫu Excel đã điền (tải tại trang chỉ tiêu). "
        "Mã thoát 0: đã nhận hoặc không có gì thay đổi; 1: tệp bị từ chối."
    )
    user_help = "Tên đăng nhập của người giao (quản trị viên của cấp trên)"
    nothing_written = "mục tiêu"

    def do_import(self, fh, *, acting_user) -> GoalsImportSummary:
        return do_import_goals(fh, acting_user=acting_user)

    def where(self, summary: GoalsImportSummary) -> str:
        return f"{summary.target.document} – chỉ tiêu {summary.target.code} – {summary.unit.name}"
