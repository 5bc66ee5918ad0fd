"""Upload guard benchmark: what the checks cost on a real sheet, and what
the hostile files cost the server.

    .venv/bin/python bench/uploads.py [--rows 3321] [--targets 20] [--repeat 5]

1. A sheet the size of bench/report.py's import (3,321 rows × 20 targets,
   filled with numbers and Vietnamese text) read three ways, median of
   ``--repeat``: the guard alone (zip + every cell reference streamed),
   calamine in this process (the reading before the guard), calamine in
   the child under RLIMIT_AS (the reading now).
2. Each hostile file (the testers' far cell, a 1 GB bomb of rows, a 1 GB
   whitespace bomb, the same in a .docx, a bomb whose headers lie) handed
   to the guard in a child process limited to 1 GB of address space: the
   time to refuse it and the child's peak RSS, next to the same child's RSS
   before it read the file. Last, calamine alone on the far cell in a
   capped child: how the reader fares without the guard.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    sys.path.insert(0, sys.argv[1])
    from django.core.exceptions import ValidationError
    from nghiquyet.core.zipguard import check_docx
    from nghiquyet.reports.xlsxguard import check_xlsx
    data = open(sys.argv[2], "rb").read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    try:
        check_docx(data) if sys.argv[2].endswith(".docx") else check_xlsx(data, {})
        result = "ACCEPTED"
    except ValidationError as exc:
        result = exc.messages[0]
    ms = (time.perf_counter() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"ms": ms, "before_kb": before, "after_kb": after, "result": result}))
    """
)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def sheet(rows: int, targets: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Nhập số liệu"
    for i in range(rows):
        ws.cell(row=7 + i, column=2, value=i + 1)
        ws.cell(row=7 + i, column=3, value=f"Đảng ủy xã số {i + 1}")
        for j in range(targets):
            v = 20 + (i * 7 + j) % 20
            ws.cell(row=7 + i, column=4 + j, value=f"{v},5%" if (i + j) % 4 == 0 else v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3321)
    ap.add_argument("--targets", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from python_calamine import CalamineWorkbook

    from nghiquyet.reports.sheetreader import read_sheet, rows_of
    from nghiquyet.reports.tests import bombs
    from nghiquyet.reports.xlsxguard import check_xlsx

    data = sheet(args.rows, args.targets)
    name = "Nhập số liệu"
    print(f"sheet: {args.rows} rows × {args.targets + 2} columns, {len(data) // 1024} KB")
    guard_ms = timed(lambda: check_xlsx(data, {}), args.repeat)

    def in_process():
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return rows_of(wb.get_sheet_by_name(name).to_python(skip_empty_area=False))

    assert read_sheet(data, name) == in_process()
    inproc_ms = timed(in_process, args.repeat)
    child_ms = timed(lambda: read_sheet(data, name), args.repeat)
    print(f"guard (zip + every cell reference): {guard_ms:.0f} ms")
    print(f"calamine in this process (before):  {inproc_ms:.0f} ms")
    print(f"calamine in a capped child (now):   {child_ms:.0f} ms")
    print(f"reading cost before {inproc_ms:.0f} ms, now {guard_ms + child_ms:.0f} ms (guard + child)")

    MiB = bombs.MiB
    files = {
        "far cell XFD1048576 (.xlsx)": ("far.xlsx", bombs.far_cell_xlsx()),
        "rows bomb, 1 GB of <row> (.xlsx)": ("rows.xlsx", bombs.bomb_xlsx(bombs.row_bomb_chunks(1024 * MiB))),
        "rows bomb, headers say 4 KB (.xlsx)": (
            "lying.xlsx",
            bombs.bomb_xlsx(bombs.row_bomb_chunks(1024 * MiB), declare=4096),
        ),
        "whitespace bomb, 1 GB (.xlsx)": ("ws.xlsx", bombs.bomb_xlsx(bombs.whitespace_chunks(1024 * MiB))),
        "whitespace bomb, 1 GB (.docx)": ("ws.docx", bombs.docx_bomb(1024 * MiB)),
    }
    tmp = Path(sys.argv[0]).resolve().parent / ".uploads-bench"
    tmp.mkdir(exist_ok=True)
    try:
        print("\nhostile files, each in a child limited to 1 GB of address space:")
        for label, (fname, content) in files.items():
            path = tmp / fname
            path.write_bytes(content)
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, str(ROOT), str(path)],
                capture_output=True,
                timeout=600,
                check=False,
            )
            if proc.returncode != 0:
                print(f"  {label}: child exit {proc.returncode}: {proc.stderr.decode()[-300:]}")
                continue
            r = json.loads(proc.stdout)
            print(
                f"  {label}, {len(content) // 1024} KB: refused in {r['ms']:.0f} ms, "
                f"peak RSS {r['after_kb'] / 1024:.0f} MB (child after imports: {r['before_kb'] / 1024:.0f} MB)"
                f"\n      “{r['result'][:110]}”"
            )
        far = bombs.minimal_xlsx(
            bombs.sheet_xml(
                '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                dimension="A1:XFD1048576",
            )
        )
        script = str(ROOT / "nghiquyet" / "reports" / "sheetreader.py")
        proc = subprocess.run(
            [sys.executable, "-I", script, str(1 << 30), "Sheet1"],
            input=far,
            capture_output=True,
            check=False,
        )
        first = proc.stderr.decode().splitlines()[:1]
        print(
            f"\nwithout the guard, calamine on A1 + XFD1048576 in the capped child: exit {proc.returncode} {first}"
        )
    finally:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
