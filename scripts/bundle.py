"""Build the offline installation bundle (`make bundle`).

    .venv/bin/python scripts/bundle.py [--out DIR]

One .tar.gz, for a machine with no network: the source tree (the files git
tracks), every Python package as a wheel for this Python and platform (the
versions installed in .venv, plus setuptools to install the source), the
front-end files the pages load (htmx, ECharts), and install.sh. On the
target: `tar xzf …; cd nghiquyet-…; ./install.sh` (README: “Cài đặt không cần
Internet”). Built where the packages can be fetched (an index or a mirror).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The front-end files the templates load, with their licences (settings.STATICFILES_DIRS).
FRONTEND = [
    "node_modules/htmx.org/dist/htmx.min.js",
    "node_modules/htmx.org/LICENSE",
    "node_modules/echarts/dist/echarts.min.js",
    "node_modules/echarts/LICENSE",
    "node_modules/echarts/NOTICE",
]

INSTALL_SH = """#!/bin/sh
# Cài nghiquyet từ gói này, không cần mạng: môi trường Python riêng trong .venv,
# các gói Python chỉ lấy từ thư mục wheels/.
set -eu
cd "$(dirname "$0")"
PYTHON="${{PYTHON:-python3}}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != ({major}, {minor}))'; then
  echo "Gói này dành cho Python {major}.{minor} ({platform}); đặt PYTHON=… trỏ tới python{major}.{minor}." >&2
  exit 1
fi
echo "==> Tạo môi trường Python trong $(pwd)/.venv"
"$PYTHON" -m venv .venv
echo "==> Cài các gói Python từ wheels/ (không dùng mạng)"
.venv/bin/python -m pip install --no-index --find-links wheels --no-compile -q -e .
echo "Xong. Lần chạy đầu: .venv/bin/nghiquyet first-run; chạy máy chủ: .venv/bin/nghiquyet serve"
"""


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return [f for f in out.decode().split("\0") if f and (ROOT / f).is_file()]


def build(out_dir: Path) -> Path:
    py = sys.executable
    tag = (
        f"py{sys.version_info.major}{sys.version_info.minor}-{platform.system().lower()}-{platform.machine()}"
    )
    version = subprocess.run(
        [py, "-c", "from importlib.metadata import version; print(version('nghiquyet'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    name = f"nghiquyet-{version}-{tag}"
    missing = [f for f in FRONTEND if not (ROOT / f).is_file()]
    if missing:
        sys.exit(f"Thiếu {missing[0]}: chạy `make setup` (npm ci) trước.")
    with tempfile.TemporaryDirectory(prefix="nq-bundle-") as tmp:
        stage = Path(tmp) / name
        say(f"Chép mã nguồn vào {name}/")
        for rel in tracked_files() + FRONTEND:
            dest = stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest)
        say("Tải các gói Python thành wheel (đúng phiên bản đang cài trong .venv)")
        frozen = subprocess.run(
            [py, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
        ).stdout
        constraints = Path(tmp) / "constraints.txt"
        constraints.write_text(frozen)
        wheels = stage / "wheels"
        subprocess.run(
            [py, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--wheel-dir", str(wheels)]
            + ["-c", str(constraints), str(ROOT), "setuptools>=68"],
            check=True,
        )
        for own in wheels.glob("nghiquyet-*.whl"):  # installed from the source tree instead
            own.unlink()
        script = stage / "install.sh"
        script.write_text(
            INSTALL_SH.format(major=sys.version_info.major, minor=sys.version_info.minor, platform=tag)
        )
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        out_dir.mkdir(parents=True, exist_ok=True)
        archive = out_dir / f"{name}.tar.gz"
        say(f"Đóng gói {archive}")
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(stage, arcname=name)
    print(f"Đã tạo {archive} ({archive.stat().st_size // 1024 // 1024} MB)")
    return archive


def main() -> int:
    ap = argparse.ArgumentParser(description="Gói cài đặt không cần Internet")
    ap.add_argument("--out", default=str(ROOT / "dist"), help="thư mục đặt tệp .tar.gz (mặc định dist/)")
    args = ap.parse_args()
    os.environ.setdefault("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    build(Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
