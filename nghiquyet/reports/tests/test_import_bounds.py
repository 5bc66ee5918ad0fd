"""Hostile .xlsx files refused before a reader lays out a cell.

Each bad file is refused with a Vietnamese reason naming the sheet and the
cell where there is one, and nothing is written. The bombs are also run in
a child process under a 1 GB address-space limit (as a server would be),
which must come out alive, having refused them all.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period
from nghiquyet.reports import importing
from nghiquyet.reports.entry import DATA_SHEET, META_SHEET, TARGETS_FIRST_ROW, build_unit_template
from nghiquyet.reports.sheetreader import ReaderFailed, ReaderUnreadable, read_sheet
from nghiquyet.reports.tests import bombs
from nghiquyet.reports.tests.test_import import fill, rejected, state
from nghiquyet.reports.xlsxguard import MAX_COLS, MAX_ROWS

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)
MiB = bombs.MiB
# The template of commune A: three targets, so rows 1..8, columns A..G.
AREA_MESSAGE = "nằm ngoài vùng của mẫu (mẫu có 18 dòng, 10 cột)"


@pytest.fixture
def unit_template(review, tree):
    return build_unit_template(review.doc, tree.commune_a, Q3)


def with_sheet_xml(data: bytes, sheet: str, edit) -> bytes:
    part = bombs.sheet_part(data, sheet)
    xml = bombs.entries(data)[part].decode()
    return bombs.replace(data, part, edit(xml))


def add_cells(xml: str, cells: str) -> str:
    return xml.replace("</sheetData>", cells + "</sheetData>")


# -- cells beyond the area -----------------------------------------------------------


def test_far_cell_in_a_small_workbook_is_refused_before_reading(users, review):
    data = bombs.far_cell_xlsx()
    assert len(data) < 2000
    errors = rejected(data, users.reporter)
    assert errors == [
        "Trang “Sheet1”, dòng 1048576, cột XFD: Ô XFD1048576 vượt quá giới hạn đọc của hệ thống "
        f"(tối đa {format_number(MAX_ROWS)} dòng, {format_number(MAX_COLS)} cột); vui lòng xóa các ô thừa."
    ]


def test_far_cell_in_the_templates_data_sheet_is_refused(unit_template, users):
    data = with_sheet_xml(
        unit_template,
        DATA_SHEET,
        lambda xml: add_cells(xml, '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'),
    )
    errors = rejected(data, users.reporter)
    assert len(errors) == 1
    assert errors[0].startswith(f"Trang “{DATA_SHEET}”, dòng 1048576, cột XFD: Ô XFD1048576")


def test_a_cell_just_beyond_the_template_is_refused_and_one_beside_it_is_not(unit_template, users, tree):
    r = TARGETS_FIRST_ROW
    errors = rejected(fill(unit_template, {f"F{r}": 5, f"K{r}": "thừa"}), users.reporter)
    assert errors == [
        f"Trang “{DATA_SHEET}”, dòng {r}, cột K: Ô K{r} {AREA_MESSAGE}; vui lòng xóa nội dung "
        "và định dạng ở các ô thừa hoặc dùng lại mẫu tải từ hệ thống."
    ]
    errors = rejected(fill(unit_template, {f"F{r}": 5, "A19": "thừa"}), users.reporter)
    assert errors[0].startswith(f"Trang “{DATA_SHEET}”, dòng 19, cột A: Ô A19 {AREA_MESSAGE}")
    # A note typed beside the table is within the room left.
    summary = importing.do_import_results(
        fill(unit_template, {f"F{r}": 5, f"H{r}": "ghi chú"}), acting_user=users.reporter
    )
    assert summary.created == 1


def test_a_lying_dimension_is_refused(unit_template, users):
    data = with_sheet_xml(
        unit_template,
        DATA_SHEET,
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml),
    )
    errors = rejected(data, users.reporter)
    assert errors[0].startswith(
        f"Trang “{DATA_SHEET}”, dòng 1048576, cột XFD: Kích thước khai báo A1:XFD1048576 vượt quá"
    )


def test_a_small_dimension_does_not_hide_far_cells(unit_template, users):
    def edit(xml):
        xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1"', xml)
        return add_cells(xml, '<row r="900"><c r="C900" t="n"><v>1</v></c></row>')

    errors = rejected(with_sheet_xml(unit_template, DATA_SHEET, edit), users.reporter)
    assert errors[0].startswith(f"Trang “{DATA_SHEET}”, dòng 900, cột C: Ô C900 {AREA_MESSAGE}")


def test_a_far_merged_range_and_a_far_empty_row_are_refused(unit_template, users):
    merged = with_sheet_xml(
        unit_template,
        DATA_SHEET,
        lambda xml: (
            re.sub(r"<mergeCells[^>]*>", '\\g<0><mergeCell ref="A1:ZZ5000"/>', xml)
            if "<mergeCells" in xml
            else xml.replace(
                "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:ZZ5000"/></mergeCells>'
            )
        ),
    )
    assert "cột ZZ: Vùng gộp ô A1:ZZ5000 nằm ngoài vùng của mẫu" in rejected(merged, users.reporter)[0]
    row = with_sheet_xml(unit_template, DATA_SHEET, lambda xml: add_cells(xml, '<row r="5000"/>'))
    assert rejected(row, users.reporter)[0].startswith(
        f"Trang “{DATA_SHEET}”, dòng 5000: Dòng 5000 nằm ngoài"
    )


def test_cells_without_references_are_counted_in_place(unit_template, users):
    cells = "".join("<c><v>1</v></c>" for _ in range(12))  # the 12th is column L
    data = with_sheet_xml(unit_template, DATA_SHEET, lambda xml: add_cells(xml, f'<row r="9">{cells}</row>'))
    assert rejected(data, users.reporter)[0].startswith(f"Trang “{DATA_SHEET}”, dòng 9, cột L: Ô L9")


def test_a_far_cell_in_the_identity_sheet_is_refused(unit_template, users):
    data = with_sheet_xml(
        unit_template,
        META_SHEET,
        lambda xml: add_cells(xml, '<row r="2000"><c r="A2000" t="n"><v>1</v></c></row>'),
    )
    assert rejected(data, users.reporter)[0].startswith(f"Trang “{META_SHEET}”, dòng 2000, cột A: Ô A2000")


def test_the_same_cell_repeated_is_refused(unit_template, users):
    cells = '<c r="A9" t="n"><v>1</v></c>' * 200  # the area is 18 × 10 = 180 cells
    data = with_sheet_xml(unit_template, DATA_SHEET, lambda xml: add_cells(xml, f'<row r="9">{cells}</row>'))
    assert "Trang có hơn 180 ô" in rejected(data, users.reporter)[0]


def test_a_bad_cell_reference_is_refused(unit_template, users):
    data = with_sheet_xml(
        unit_template, DATA_SHEET, lambda xml: add_cells(xml, '<row r="9"><c r="A-9"><v>1</v></c></row>')
    )
    assert "Địa chỉ ô “A-9” không hợp lệ" in rejected(data, users.reporter)[0]


def test_an_entity_expansion_is_refused(unit_template, users):
    def edit(xml):
        dtd = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        return xml.replace("?>", "?>" + dtd, 1).replace(
            "</sheetData>", '<row r="9"><c r="A9" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData>'
        )

    assert (
        "nội dung XML không đọc được"
        in rejected(with_sheet_xml(unit_template, DATA_SHEET, edit), users.reporter)[0]
    )


# -- bombs and archives ------------------------------------------------------------------


def test_a_bomb_of_rows_is_refused(unit_template, users):
    part = bombs.sheet_part(unit_template, DATA_SHEET)
    honest = bombs.bomb_xlsx(bombs.row_bomb_chunks(100 * MiB), base=unit_template, part=part)
    assert len(honest) < MiB
    assert "khi giải nén quá lớn" in rejected(honest, users.reporter)[0]
    # The headers say 4 KB; the data says otherwise, and is believed only as far as the headers.
    lying = bombs.bomb_xlsx(bombs.row_bomb_chunks(100 * MiB), base=unit_template, part=part, declare=4096)
    assert "không phải là tệp Excel" in rejected(lying, users.reporter)[0]


def test_a_bomb_of_rows_within_the_size_caps_is_refused_by_the_area(unit_template, users):
    # 11,538 rows without references: under the caps, far beyond 18 rows.
    part = bombs.sheet_part(unit_template, DATA_SHEET)
    data = bombs.bomb_xlsx(bombs.row_bomb_chunks(300_000), base=unit_template, part=part)
    assert rejected(data, users.reporter)[0].startswith(
        f"Trang “{DATA_SHEET}”, dòng 11538, cột A: Ô A11538 nằm ngoài vùng của mẫu"
    )


def test_a_whitespace_bomb_is_refused(unit_template, users):
    part = bombs.sheet_part(unit_template, DATA_SHEET)
    data = bombs.bomb_xlsx(bombs.whitespace_chunks(200 * MiB), base=unit_template, part=part)
    assert len(data) < MiB
    assert "khi giải nén quá lớn" in rejected(data, users.reporter)[0]
    # A ratio of a thousand under the size caps: refused by the ratio.
    data = bombs.bomb_xlsx(bombs.whitespace_chunks(40 * MiB), base=unit_template, part=part)
    assert "nén bất thường" in rejected(data, users.reporter)[0]


def test_too_many_entries_are_refused(unit_template, users):
    buf = io.BytesIO(unit_template)

    with zipfile.ZipFile(buf, "a") as z:
        for i in range(600):
            z.writestr(f"xl/media/x{i}.bin", b"")
    assert "Tệp Excel có quá nhiều thành phần nén (tối đa 500)" in rejected(buf.getvalue(), users.reporter)[0]


def test_shared_strings_beyond_the_cells_are_refused(users, review):
    cells = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    data = bombs.minimal_xlsx(bombs.sheet_xml(cells))
    xml = f'<sst xmlns="{bombs.NS}">' + "<si><t/></si>" * 10_002 + "</sst>"
    data = bombs.replace(data, "xl/sharedStrings.xml", xml)
    assert "số chuỗi ký tự bất thường" in rejected(data, users.reporter)[0]


# -- the process survives ------------------------------------------------------------------

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    sys.path.insert(0, sys.argv[1])
    import django
    django.setup()
    from django.core.exceptions import ValidationError
    from nghiquyet.ingestion.actions import read_upload
    from nghiquyet.reports.importing import _open
    out = {}
    for path in sys.argv[2:]:
        data = open(path, "rb").read()
        try:
            # What the server runs on an upload before any reader lays a cell out.
            read_upload(data, path) if path.endswith(".docx") else _open(data)
            out[path] = "accepted"
        except ValidationError as exc:
            out[path] = exc.messages[0]
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
    """
)


def test_bombs_are_refused_by_a_process_limited_to_1_gb(tmp_path):
    pytest.importorskip("resource")
    files = {
        "far.xlsx": bombs.far_cell_xlsx(),
        "rows.xlsx": bombs.bomb_xlsx(bombs.row_bomb_chunks(300 * MiB)),
        "rows_lying.xlsx": bombs.bomb_xlsx(bombs.row_bomb_chunks(200 * MiB), declare=4096),
        "whitespace.xlsx": bombs.bomb_xlsx(bombs.whitespace_chunks(300 * MiB)),
        "whitespace.docx": bombs.docx_bomb(300 * MiB),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    root = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "NGHIQUYET_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, root, *paths], capture_output=True, timeout=300, check=False, env=env
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = json.loads(proc.stdout)
    assert all(out[p] != "accepted" for p in paths), out
    assert "XFD1048576" in out[paths[0]]
    assert out["maxrss_kb"] < 400 * 1024  # Django and all: far from the gigabyte a reader would ask for


def test_a_reader_that_dies_in_its_child_leaves_the_server_alive():
    # Without the guard, calamine asks for hundreds of gigabytes for this
    # file: its child aborts under the cap and this process carries on.
    data = bombs.minimal_xlsx(
        bombs.sheet_xml(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
            dimension="A1:XFD1048576",
        )
    )
    with pytest.raises((ReaderFailed, ReaderUnreadable)):
        read_sheet(data, "Sheet1")


def test_a_reader_failure_refuses_the_file_in_vietnamese(unit_template, users, monkeypatch):
    def fail(data, sheet):
        raise ReaderFailed("exit -6")

    monkeypatch.setattr(importing, "read_sheet", fail)
    errors = rejected(fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 5}), users.reporter)
    assert errors == [
        f"Trang “{DATA_SHEET}”: Không đọc được tệp trong giới hạn bộ nhớ và thời gian cho phép; "
        "vui lòng dùng lại mẫu tải từ hệ thống."
    ]


def test_the_child_reader_gives_what_openpyxl_gives(unit_template, users):
    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": "35 đảng viên", f"F{TARGETS_FIRST_ROW + 1}": 2.5})
    rows = read_sheet(data, DATA_SHEET)
    assert rows[TARGETS_FIRST_ROW - 1][1:6:4] == ("1", "35 đảng viên")
    assert rows[TARGETS_FIRST_ROW][5] == 2.5


# -- size before reading -------------------------------------------------------------------


class _Declared:
    """An upload that says how big it is and must not be read."""

    size = 21 * MiB
    name = "lon.xlsx"

    def read(self, *args):
        raise AssertionError("read before its size was checked")


def test_an_upload_over_the_limit_is_refused_by_its_size_before_reading(users, settings):
    before = state()
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * MiB
    with pytest.raises(importing.ImportRejected) as exc:
        importing.do_import_results(_Declared(), acting_user=users.reporter)
    assert [str(e) for e in exc.value.errors] == ["Tệp quá lớn: tối đa 20 MB."]
    assert state() == before


def test_a_sheet_no_name_leads_to_is_checked_too(unit_template, users):
    far = bombs.sheet_xml('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    data = bombs.replace(unit_template, "xl/worksheets/sheet9.xml", far)
    assert rejected(data, users.reporter)[0].startswith(
        "Trang “xl/worksheets/sheet9.xml”, dòng 1048576, cột XFD: Ô XFD1048576"
    )


def test_a_workbook_whose_sheet_part_is_missing_is_refused(unit_template, users):
    parts = bombs.entries(unit_template)
    del parts[bombs.sheet_part(unit_template, DATA_SHEET)]
    buf = io.BytesIO()

    with zipfile.ZipFile(buf, "w") as z:
        for n, c in parts.items():
            z.writestr(n, c)
    assert rejected(buf.getvalue(), users.reporter) == [
        f"Tệp Excel bị hỏng (thiếu nội dung trang “{DATA_SHEET}”)."
    ]


def test_a_styles_bomb_is_refused_before_openpyxl_makes_its_objects(unit_template, users):
    styles = bombs.entries(unit_template)["xl/styles.xml"].decode()
    # Random ids: it compresses like a real file, not like a bomb, and passes the ratio check.
    rnd = random.Random(1)
    xfs = "".join(f'<xf numFmtId="{rnd.randrange(10**6)}" fontId="0"/>' for _ in range(250_000))
    styles = styles.replace("</cellXfs>", xfs + "</cellXfs>")
    data = bombs.replace(unit_template, "xl/styles.xml", styles)
    assert "phần định dạng hoặc mô tả quá lớn bất thường" in rejected(data, users.reporter)[0]


def test_without_a_child_the_sheet_is_read_here(unit_template, monkeypatch):
    import nghiquyet.reports.sheetreader as reader

    def no_interpreter(*args, **kwargs):
        raise OSError("no interpreter")

    data = fill(unit_template, {f"F{TARGETS_FIRST_ROW}": 35})
    expected = read_sheet(data, DATA_SHEET)
    monkeypatch.setattr(reader.subprocess, "run", no_interpreter)
    assert read_sheet(data, DATA_SHEET) == expected


def test_a_sheet_of_many_elements_but_few_cells_is_refused():
    from nghiquyet.reports.xlsxguard import Area, XlsxRefused, check_xlsx

    data = bombs.minimal_xlsx(bombs.sheet_xml("").replace("<sheetData>", "<sheetData>" + "<x/>" * 200_000))
    with pytest.raises(XlsxRefused, match="cấu trúc XML lớn bất thường"):
        check_xlsx(data, {"Sheet1": Area(2, 2)})


# -- the same files through the web page -------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("far-cell", bombs.far_cell_xlsx, "Ô XFD1048576 vượt quá giới hạn đọc"),
        ("rows", lambda: bombs.bomb_xlsx(bombs.row_bomb_chunks(1024 * MiB)), "khi giải nén quá lớn"),
        ("whitespace", lambda: bombs.bomb_xlsx(bombs.whitespace_chunks(1024 * MiB)), "khi giải nén quá lớn"),
    ],
)
def test_far_cell_and_bombs_through_the_page_get_a_clear_error(client, users, review, name, make, words):
    """The files testers used to take the server down, sent as a reporter
    sends a sheet: the page answers in Vietnamese, nothing is written, and
    the next request is served."""
    from django.urls import reverse

    from nghiquyet.targets.models import Result

    client.force_login(users.reporter)
    data = make()
    assert len(data) < 3 * MiB  # small files: the size limit is not what refuses them
    upload = io.BytesIO(data)
    upload.name = f"{name}.xlsx"
    before = Result.objects.count()
    response = client.post(reverse("reports:import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "chưa ghi ô nào" in html and words in html
    assert Result.objects.count() == before
    assert client.get(reverse("reports:index")).status_code == 200
