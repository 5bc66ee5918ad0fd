"""`nghiquyet import-results` from the console: output, errors, exit status."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from nghiquyet.core.periods import Period
from nghiquyet.reports.entry import DATA_SHEET, TARGETS_FIRST_ROW, build_unit_template
from nghiquyet.reports.tests import bombs
from nghiquyet.reports.tests.test_import import fill, state
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db

Q3 = Period.quarter(2026, 3)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def template(review, tree):
    return build_unit_template(review.doc, tree.commune_a, Q3)


def run(*args, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_results", *args, stdout=out, stderr=err, **options)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_a_good_file_is_written_then_again_changes_nothing(template, users, tmp_path):
    f = tmp_path / "mau.xlsx"
    f.write_bytes(fill(template, {f"F{TARGETS_FIRST_ROW}": "35 đảng viên"}))
    code, out, err = run(str(f), user=users.reporter.username)
    assert (code, err) == (0, "")
    assert "Đức Thọ" in out and "Quý III/2026" in out and "1 ô mới" in out
    assert Result.objects.filter(period_key="2026-Q3").count() == 1
    code, out, _ = run(str(f), user=users.reporter.username)
    assert code == 0 and "Không có thay đổi" in out


def test_dry_run_checks_everything_and_writes_nothing(template, users, tmp_path):
    f = tmp_path / "mau.xlsx"
    f.write_bytes(fill(template, {f"F{TARGETS_FIRST_ROW}": 35, f"F{TARGETS_FIRST_ROW + 1}": "2,7"}))
    before = state()
    code, out, _ = run(str(f), user=users.reporter.username, dry_run=True)
    assert code == 0
    assert out.startswith("Chạy thử, chưa ghi gì") and "2 ô mới" in out
    assert state() == before


def test_a_refused_file_lists_errors_by_sheet_row_and_column(template, users, tmp_path):
    f = tmp_path / "mau.xlsx"
    f.write_bytes(fill(template, {f"F{TARGETS_FIRST_ROW}": "abc", f"F{TARGETS_FIRST_ROW + 2}": "150"}))
    before = state()
    for dry_run in (False, True):
        code, out, err = run(str(f), user=users.reporter.username, dry_run=dry_run)
        assert (code, out) == (1, "")
        lines = err.splitlines()
        assert lines[0] == "Tệp bị từ chối, chưa ghi ô nào (2 lỗi):"
        assert lines[1].startswith(f"- Trang “{DATA_SHEET}”, dòng {TARGETS_FIRST_ROW}, cột F: “abc”")
        assert lines[2].startswith(f"- Trang “{DATA_SHEET}”, dòng {TARGETS_FIRST_ROW + 2}, cột F: “150”")
    assert state() == before


def test_a_far_cell_file_is_refused_with_status_1(users, review, tmp_path):
    f = tmp_path / "xa.xlsx"
    f.write_bytes(bombs.far_cell_xlsx())
    code, _, err = run(str(f), user=users.reporter.username)
    assert code == 1 and "Ô XFD1048576" in err


def test_a_user_without_the_role_is_refused(template, users, tmp_path):
    f = tmp_path / "mau.xlsx"
    f.write_bytes(fill(template, {f"F{TARGETS_FIRST_ROW}": 35}))
    code, _, err = run(str(f), user=users.viewer.username)
    assert code == 1 and "không có quyền báo cáo" in err


def test_missing_file_and_unknown_user(users, tmp_path):
    assert run(str(tmp_path / "khong-co.xlsx"), user=users.reporter.username) == (
        1,
        "",
        f"Không tìm thấy tệp “{tmp_path / 'khong-co.xlsx'}”.\n",
    )
    f = tmp_path / "mau.xlsx"
    f.write_bytes(b"x")
    assert run(str(f), user="khong_ai") == (
        1,
        "",
        "Không có người dùng “khong_ai” (hoặc tài khoản đã bị khóa).\n",
    )


def test_the_console_command_exits_1_without_a_traceback(tmp_path):
    env = {**os.environ, "NGHIQUYET_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50}
    env.pop("DATABASE_URL", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "nghiquyet",
            "import-results",
            str(tmp_path / "khong-co.xlsx"),
            "--user",
            "ai",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "Không tìm thấy tệp" in err and "Traceback" not in err
