"""Excel round-trip: templates out, filled files in, all or nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from nghiquyet.audit.models import AuditEntry
from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen
from nghiquyet.reports.actions import ImportRejected, do_import_results
from nghiquyet.reports.entry import (
    DATA_SHEET,
    META_SHEET,
    TARGETS_FIRST_ROW,
    UNITS_FIRST_ROW,
    build_children_template,
    build_unit_template,
)
from nghiquyet.targets.actions import do_save_result
from nghiquyet.targets.models import Result, ResultRevision, ResultStatus

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)


def fill(data: bytes, cells: dict[str, object], *, meta: dict[str, object] | None = None) -> bytes:
    """Type into a template as a person would (openpyxl ignores protection)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[DATA_SHEET]
    for ref, value in cells.items():
        ws[ref] = value
    for ref, value in (meta or {}).items():
        wb[META_SHEET][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def state():
    """Everything an import could write."""
    return (
        sorted(Result.objects.values_list("target_id", "unit_id", "period_key", "value", "version", "note")),
        ResultRevision.objects.count(),
        AuditEntry.objects.count(),
    )


def rejected(data, user, **kw) -> list[str]:
    before = state()
    with pytest.raises(ImportRejected) as exc:
        do_import_results(io.BytesIO(data), acting_user=user, **kw)
    assert state() == before, "nothing may be written when a file is refused"
    return [str(e) for e in exc.value.errors]


@pytest.fixture
def unit_template(review, tree):
    return build_unit_template(review.doc, tree.commune_a, Q3)


# -- the templates ---------------------------------------------------------------


def test_unit_template_lists_assigned_targets_with_last_period_and_locks(unit_template):
    wb = openpyxl.load_workbook(io.BytesIO(unit_template))
    assert wb.sheetnames == [DATA_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=TARGETS_FIRST_ROW - 1, max_col=7)]
    assert rows[0] == [
        "STT",
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kết quả Quý II/2026",
        "Kết quả Quý III/2026",
        "Ghi chú",
    ]
    assert [r[1] for r in rows[1:]] == ["1", "2", "3"]
    assert [r[3] for r in rows[1:]] == ["đảng viên", "%", "%"]
    # Last period's values (Quý II/2026 of Đức Thọ).
    assert [r[4] for r in rows[1:]] == [40, 2.8, 52]
    first = TARGETS_FIRST_ROW
    assert ws[f"F{first}"].protection.locked is False
    assert ws[f"G{first}"].protection.locked is False
    assert ws[f"E{first}"].protection.locked is True
    assert ws[f"C{first}"].protection.locked is True
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["period"] == "2026-Q3" and meta["layout"] == "targets" and len(meta["checksum"]) == 32


def test_children_template_has_a_row_per_unit_and_a_column_per_target(review, tree):
    wb = openpyxl.load_workbook(io.BytesIO(build_children_template(review.doc, tree.province, Q3)))
    ws = wb[DATA_SHEET]
    names = [ws.cell(row=UNITS_FIRST_ROW + i, column=3).value for i in range(2)]
    assert names == ["Đảng ủy xã Đức Thọ", "Đảng ủy xã Tùng Ảnh"]
    assert ws.cell(row=UNITS_FIRST_ROW - 2, column=4).value == "1. Kết nạp đảng viên mới"
    assert ws.cell(row=UNITS_FIRST_ROW - 1, column=4).value == "(đảng viên)"
    assert ws.cell(row=UNITS_FIRST_ROW, column=4).protection.locked is False
    assert ws.column_dimensions["B"].hidden
    assert ws.freeze_panes == f"D{UNITS_FIRST_ROW}"


# -- good files -------------------------------------------------------------------


def test_good_file_is_taken_in_with_vietnamese_numbers_text_and_units(unit_template, users, tree, review):
    r = TARGETS_FIRST_ROW
    data = fill(
        unit_template,
        {f"F{r}": "35 đảng viên", f"F{r + 1}": "2,7", f"G{r + 1}": "Ước tính", f"F{r + 2}": 51.5},
    )
    summary = do_import_results(data, acting_user=users.reporter, unit=tree.commune_a, period=Q3)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    got = {
        res.target.code: res
        for res in Result.objects.filter(unit=tree.commune_a, period_key="2026-Q3").select_related("target")
    }
    assert (
        got["1"].value == Decimal(35)
        and got["2"].value == Decimal("2.7")
        and got["3"].value == Decimal("51.5")
    )
    assert got["2"].note == "Ước tính"
    assert all(
        res.status == ResultStatus.SUBMITTED and res.reported_by == users.reporter for res in got.values()
    )
    entry = AuditEntry.objects.get(action="import_results")
    assert entry.actor == users.reporter and entry.unit == tree.commune_a
    assert [got["1"].pk, "35.0000"] in entry.after["created_results"]
    assert entry.after["created"] == 3 and len(entry.after["sha256"]) == 64
    assert "3 ô mới" in summary.message


def test_same_file_twice_changes_nothing(unit_template, users):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": "2.989"})
    first = do_import_results(data, acting_user=users.reporter)
    assert first.created == 1
    before = state()
    again = do_import_results(data, acting_user=users.reporter)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert state() == before
    assert again.message.startswith("Không có thay đổi")


def test_changed_value_keeps_a_revision(unit_template, users, tree, review):
    do_import_results(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 10}), acting_user=users.reporter)
    # A template downloaded after the first import (it carries version 1).
    fresh = build_unit_template(review.doc, tree.commune_a, Q3)
    summary = do_import_results(fill(fresh, {f"F{TARGETS_FIRST_ROW}": "12"}), acting_user=users.reporter)
    assert summary.updated == 1
    res = Result.objects.get(target=review.new_members, unit=tree.commune_a, period_key="2026-Q3")
    assert (res.value, res.version) == (Decimal(12), 2)
    assert list(res.revisions.values_list("version", "value")) == [(1, Decimal(10))]
    # The overwrite is audited cell by cell, before and after.
    entry = AuditEntry.objects.get(action="save_result", object_id=str(res.pk))
    assert entry.before["value"] == "10.0000" and entry.after["value"] == "12.0000"
    assert entry.after["version"] == 2 and entry.actor == users.reporter


def test_approved_figure_stays_approved_unless_the_sheet_changes_it(
    unit_template, users, tree, review, django_user_model
):
    from conftest import make_user
    from nghiquyet.accounts.models import Role
    from nghiquyet.targets.actions import do_approve_results

    approver = make_user(django_user_model, "duyet_ductho", tree.commune_a, Role.APPROVER)
    do_import_results(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 10}), acting_user=users.reporter)
    res = Result.objects.get(target=review.new_members, unit=tree.commune_a, period_key="2026-Q3")
    do_approve_results([res], acting_user=approver)
    again = do_import_results(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 10}), acting_user=users.reporter)
    assert again.unchanged == 1
    res.refresh_from_db()
    assert (res.status, res.approved_by) == (ResultStatus.APPROVED, approver)
    # Changed (in a template made after the approval), even in a draft
    # import: refused, the approval locks the figure (issue 13 changes this:
    # it used to go back to submitted).
    fresh = build_unit_template(review.doc, tree.commune_a, Q3)
    with pytest.raises(ValidationError, match="đã được duyệt nên đã khóa"):
        do_import_results(
            fill(fresh, {f"F{TARGETS_FIRST_ROW}": 11}), acting_user=users.reporter, submit=False
        )
    res.refresh_from_db()
    assert (res.status, res.value, res.approved_by) == (ResultStatus.APPROVED, Decimal(10), approver)


def test_children_file_fills_every_commune(review, tree, users):
    data = build_children_template(review.doc, tree.province, Q3)
    r = UNITS_FIRST_ROW
    data = fill(data, {f"D{r}": "1.200", f"E{r}": "2,5%", f"D{r + 1}": 7, f"F{r + 1}": "49,9"})
    summary = do_import_results(data, acting_user=users.province_admin, unit=tree.province)
    assert (summary.created, summary.units) == (4, 2)
    assert (
        Result.objects.get(unit=tree.commune_a, target=review.new_members, period_key="2026-Q3").value == 1200
    )


# -- bad files: each refused with a reason, nothing written ----------------------


def test_bad_value_is_reported_by_sheet_row_and_column(unit_template, users):
    r = TARGETS_FIRST_ROW
    data = fill(unit_template, {f"F{r}": "35", f"F{r + 1}": "abc", f"F{r + 2}": "150"})
    errors = rejected(data, users.reporter)
    assert len(errors) == 2
    assert errors[0].startswith(f"Trang “{DATA_SHEET}”, dòng {r + 1}, cột F: “abc”: Không đọc được số")
    assert errors[1].startswith(f"Trang “{DATA_SHEET}”, dòng {r + 2}, cột F: “150”: Giá trị 150 lớn hơn")


def test_fraction_for_an_integer_target_is_refused(unit_template, users):
    errors = rejected(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": "2,5"}), users.reporter)
    assert "nhận số nguyên" in errors[0] and f"dòng {TARGETS_FIRST_ROW}, cột F" in errors[0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "Tệp rỗng"),
        (b"day khong phai excel", "không phải là tệp Excel"),
        (b"PK\x03\x04broken zip", "không phải là tệp Excel"),
    ],
)
def test_malformed_files_are_refused(users, review, data, reason):
    errors = rejected(data, users.reporter)
    assert reason in errors[0]


def test_a_workbook_not_made_by_the_system_is_refused(users, review):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Kết nạp đảng viên"
    buf = io.BytesIO()
    wb.save(buf)
    assert "không phải mẫu nhập số liệu" in rejected(buf.getvalue(), users.reporter)[0]


def test_wrong_headers_are_refused(unit_template, users):
    errors = rejected(fill(unit_template, {"C5": "Tên"}), users.reporter)
    assert errors == [f"Trang “{DATA_SHEET}”, dòng 5, cột C: Tiêu đề cột phải là “Chỉ tiêu”, tệp ghi “Tên”."]


def test_older_template_is_refused(unit_template, users):
    errors = rejected(fill(unit_template, {}, meta={"B1": "1"}), users.reporter)
    assert "Mẫu biểu này đã cũ (phiên bản 1" in errors[0]


def test_edited_identity_is_refused(unit_template, users, tree):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5}, meta={"B3": str(tree.commune_b.pk)})
    assert "không khớp" in rejected(data, users.reporter)[0]


def test_another_units_sheet_is_refused(unit_template, users, tree):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5})
    errors = rejected(data, users.reporter_b, unit=tree.commune_b)
    assert errors == ["Tệp này là mẫu của Đảng ủy xã Đức Thọ, không phải của Đảng ủy xã Tùng Ảnh."]


def test_another_period_is_refused(unit_template, users):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5})
    assert (
        "mẫu kỳ Quý III/2026, không phải kỳ Quý II/2026"
        in rejected(data, users.reporter, period=Period.quarter(2026, 2))[0]
    )


def test_reporter_cannot_import_other_commune(unit_template, users):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5})
    assert rejected(data, users.reporter_b) == ["Bạn không có quyền báo cáo số liệu của Đảng ủy xã Đức Thọ."]
    assert rejected(data, users.viewer) == ["Bạn không có quyền báo cáo số liệu của Đảng ủy xã Đức Thọ."]
    assert rejected(data, users.outsider) == ["Bạn không có quyền báo cáo số liệu của Đảng ủy xã Đức Thọ."]


def test_commune_reporter_cannot_import_the_provincial_sheet(review, tree, users):
    data = fill(build_children_template(review.doc, tree.province, Q3), {f"D{UNITS_FIRST_ROW}": 5})
    assert rejected(data, users.reporter) == ["Bạn không có quyền báo cáo số liệu của Đảng ủy xã Tùng Ảnh."]


def test_moved_rows_are_refused(unit_template, users):
    r = TARGETS_FIRST_ROW
    data = fill(unit_template, {f"B{r}": "2", f"B{r + 1}": "1", f"F{r}": 5})
    errors = rejected(data, users.reporter)
    assert f"dòng {r}, cột B: Mã chỉ tiêu phải là “1”" in errors[0]


def test_value_in_a_grey_cell_is_refused(review, tree, users):
    from nghiquyet.targets.models import Assignment

    Assignment.objects.filter(unit=tree.commune_b, target=review.forest).delete()
    data = build_children_template(review.doc, tree.province, Q3)
    data = fill(data, {f"D{UNITS_FIRST_ROW}": 5, f"F{UNITS_FIRST_ROW + 1}": 40})
    errors = rejected(data, users.province_admin)
    assert errors == [
        f"Trang “{DATA_SHEET}”, dòng {UNITS_FIRST_ROW + 1}, cột F: "
        "Chỉ tiêu “Tỷ lệ che phủ rừng” không được giao cho Đảng ủy xã Tùng Ảnh."
    ]


# -- no silent overwrite: every cell states the version its template was made with --


def test_figure_corrected_after_the_download_is_not_put_back(review, tree, users):
    """The testers' case: the province downloads its sheet pre-filled with a
    commune's 21,88; the commune corrects it to 24,88; the province uploads
    the sheet as it was. Refused, with both values by sheet, row and column."""
    first = do_save_result(
        review.forest, tree.commune_a, Q3, "21,88", acting_user=users.reporter, submit=True
    )
    template = build_children_template(review.doc, tree.province, Q3)
    do_save_result(
        review.forest,
        tree.commune_a,
        Q3,
        "24,88",
        acting_user=users.reporter,
        submit=True,
        expected_version=first.version,
    )
    r = UNITS_FIRST_ROW
    # Đức Thọ's row, the forest column (F) left as downloaded; another cell typed.
    errors = rejected(fill(template, {f"D{r}": 12}), users.province_admin, unit=tree.province)
    assert errors == [
        f"Trang “{DATA_SHEET}”, dòng {r}, cột F: Số liệu ô này đã được cập nhật sau khi tải mẫu: "
        "trong tệp 21,88, hiện tại 24,88. Không ghi đè; vui lòng tải mẫu mới, đối chiếu rồi nhập lại."
    ]
    assert Result.objects.get(
        target=review.forest, unit=tree.commune_a, period_key="2026-Q3"
    ).value == Decimal("24.88")
    # A sheet downloaded now carries version 2 and goes through.
    fresh = fill(build_children_template(review.doc, tree.province, Q3), {f"D{r}": 12})
    summary = do_import_results(fresh, acting_user=users.province_admin, unit=tree.province)
    assert (summary.created, summary.updated) == (1, 0)


def test_cell_entered_after_an_empty_download_is_refused(unit_template, users, tree, review):
    do_save_result(review.new_members, tree.commune_a, Q3, 7, acting_user=None)
    errors = rejected(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 9}), users.reporter)
    assert errors == [
        f"Trang “{DATA_SHEET}”, dòng {TARGETS_FIRST_ROW}, cột F: Ô này đã được nhập số liệu sau khi tải mẫu "
        "(lúc tải mẫu còn trống): trong tệp 9, hiện tại 7. Không ghi đè; vui lòng tải mẫu mới, đối chiếu rồi nhập lại."
    ]


def test_the_same_value_as_stored_now_is_not_a_conflict(unit_template, users, tree, review):
    """Written meanwhile, but exactly what the file holds: nothing to lose."""
    do_save_result(review.new_members, tree.commune_a, Q3, 7, acting_user=users.reporter, submit=True)
    summary = do_import_results(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 7}), acting_user=users.reporter)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)


def test_every_changed_cell_is_listed_and_nothing_is_written(review, tree, users):
    template = build_children_template(review.doc, tree.province, Q3)
    for unit in (tree.commune_a, tree.commune_b):
        do_save_result(review.new_members, unit, Q3, 3, acting_user=None)
    r = UNITS_FIRST_ROW
    errors = rejected(fill(template, {f"D{r}": 4, f"D{r + 1}": 5, f"E{r}": "2,5"}), users.province_admin)
    assert [e.split(":")[0] for e in errors] == [
        f"Trang “{DATA_SHEET}”, dòng {r}, cột D",
        f"Trang “{DATA_SHEET}”, dòng {r + 1}, cột D",
    ]


def test_versions_are_covered_by_the_checksum(review, tree, users):
    do_save_result(review.new_members, tree.commune_a, Q3, 3, acting_user=None)
    template = build_children_template(review.doc, tree.province, Q3)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    rows = {r[0].value: r[0].row for r in wb[META_SHEET].iter_rows()}
    cell = f"B{rows['result_versions']}"
    stored = wb[META_SHEET][cell].value
    assert stored == f"{review.new_members.pk}.{tree.commune_a.pk}:1"
    data = fill(template, {f"D{UNITS_FIRST_ROW}": 4}, meta={cell: stored.replace(":1", ":9")})
    assert "không khớp" in rejected(data, users.province_admin)[0]


def test_a_long_version_list_runs_over_several_cells_and_reads_back(review, tree):
    from nghiquyet.reports.entry import TEMPLATE_VERSION, TemplateMeta, _write_meta
    from nghiquyet.reports.importing import _read_meta

    versions = tuple((t, u, 1 + u % 7) for t in range(1000, 1020) for u in range(100000, 103321))
    meta = TemplateMeta(TEMPLATE_VERSION, 1, 2, "2026-Q3", "units", (1000,), (100000,), versions)
    wb = openpyxl.Workbook()
    _write_meta(wb, meta)
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue()), read_only=True)
    lengths = [
        len(c.value or "")
        for c in next(r for r in back[META_SHEET].iter_rows() if r[0].value == "result_versions")
    ]
    assert max(lengths) <= 32767 and len(lengths) > 10
    assert _read_meta(back) == meta


def test_a_version_2_template_is_refused_as_old(review, tree, users, unit_template):
    errors = rejected(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5}, meta={"B1": "2"}), users.reporter)
    assert "Mẫu biểu này đã cũ (phiên bản 2, hiện dùng phiên bản 3)" in errors[0]


def test_an_ended_period_is_written_and_the_summary_says_it_has_ended(review, tree, users):
    q1 = Period.quarter(2026, 1)
    template = build_unit_template(review.doc, tree.commune_a, q1)  # pre-filled with Q1's 30
    # Q1's reporting window closed on 15/04 (issue 13): refused until the level above reopens it.
    with pytest.raises(ValidationError, match=r"Đã hết hạn báo cáo kỳ Quý I/2026 \(hết ngày 15/04/2026\)"):
        do_import_results(
            fill(template, {f"F{TARGETS_FIRST_ROW + 1}": "2,9"}), acting_user=users.reporter, period=q1
        )
    reopen(tree.province, q1)
    summary = do_import_results(
        fill(template, {f"F{TARGETS_FIRST_ROW + 1}": "2,9"}), acting_user=users.reporter, period=q1
    )
    assert summary.created == 1
    assert summary.message.endswith("Lưu ý: kỳ Quý I/2026 đã kết thúc ngày 31/03/2026.")
    assert (
        "đã kết thúc"
        not in do_import_results(
            fill(build_unit_template(review.doc, tree.commune_a, Q3), {f"F{TARGETS_FIRST_ROW}": 1}),
            acting_user=users.reporter,
        ).message
    )
