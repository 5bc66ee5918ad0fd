"""PDF builds are time-boxed and leave nothing behind: a fake ``soffice`` on
PATH hangs, spawns children or crashes, and the whole process group is
killed and the nq-pdf-* folder removed; stale folders (a crashed server's)
are swept with their processes; too many builds at once are told to wait.

Every test works in its own temp folder: the sweep must never touch the
machine's /tmp, where other builds may be running."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from nghiquyet.reports import pdf
from nghiquyet.reports.pdf import PdfBusy, PdfUnavailable, sweep_stale, to_pdf

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="cần /proc (Linux)")

# Each fake writes its pid, and its child's, to the folder named by $NQ_FAKE_PIDS.
FAKES = {
    # A launcher that starts a worker (as soffice starts soffice.bin) and both hang.
    "hang": """
        sleep 300 &
        echo "$!" >> "$NQ_FAKE_PIDS/pids"
        echo "$$" >> "$NQ_FAKE_PIDS/pids"
        wait
    """,
    # The launcher dies at once without a PDF; its worker lives on.
    "crash": """
        sleep 300 &
        echo "$!" >> "$NQ_FAKE_PIDS/pids"
        echo "$$" >> "$NQ_FAKE_PIDS/pids"
        exit 3
    """,
    # Writes the PDF next to the source (--outdir is the 7th argument) and exits.
    "ok": """
        echo "$$" >> "$NQ_FAKE_PIDS/pids"
        printf '%%PDF-1.4 fake' > "$7/baocao.pdf"
    """,
}


@pytest.fixture
def temp_root(tmp_path, monkeypatch):
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch, temp_root, settings):
    """Put a fake soffice of the given kind first on PATH; returns the pid file."""
    settings.PDF_TIMEOUT_SECONDS = 1
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("NQ_FAKE_PIDS", str(pids))

    def install(kind: str) -> Path:
        script = bin_dir / "soffice"
        script.write_text("#!/bin/sh\n" + textwrap.dedent(FAKES[kind]))
        script.chmod(0o755)
        return pids / "pids"

    return install


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def read_pids(path: Path) -> list[int]:
    return [int(x) for x in path.read_text().split()]


def wait_dead(pids: list[int], seconds: float = 5) -> list[int]:
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def test_a_hanging_build_is_killed_with_its_children_and_its_folder_removed(fake_soffice, temp_root):
    pid_file = fake_soffice("hang")
    with pytest.raises(PdfUnavailable, match="quá lâu"):
        to_pdf(b"docx", ".docx")
    pids = read_pids(pid_file)
    assert len(pids) == 2
    assert wait_dead(pids) == []
    assert list(temp_root.iterdir()) == []


def test_a_crashed_launcher_leaves_no_worker_and_no_folder(fake_soffice, temp_root):
    pid_file = fake_soffice("crash")
    with pytest.raises(PdfUnavailable, match="không chuyển được"):
        to_pdf(b"docx", ".docx")
    assert wait_dead(read_pids(pid_file)) == []
    assert list(temp_root.iterdir()) == []


def test_any_error_during_the_build_kills_the_group(fake_soffice, temp_root, monkeypatch):
    pid_file = fake_soffice("hang")
    real_wait = subprocess.Popen.wait

    def interrupted(self, timeout=None):
        if timeout == 1:  # the build's own wait, not the one after the kill
            time.sleep(0.3)  # let the fake write its pids
            raise RuntimeError("máy chủ dừng giữa chừng")
        return real_wait(self, timeout=timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", interrupted)
    with pytest.raises(RuntimeError):
        to_pdf(b"docx", ".docx")
    assert wait_dead(read_pids(pid_file)) == []
    assert list(temp_root.iterdir()) == []


def test_a_good_build_returns_the_pdf_and_cleans_up(fake_soffice, temp_root):
    fake_soffice("ok")
    assert to_pdf(b"docx", ".docx") == b"%PDF-1.4 fake"
    assert list(temp_root.iterdir()) == []


def test_stale_folders_are_swept_with_their_processes(temp_root, settings):
    settings.PDF_TIMEOUT_SECONDS = 120
    old, fresh, other = temp_root / "nq-pdf-old", temp_root / "nq-pdf-fresh", temp_root / "khac-old"
    for folder in (old, fresh, other):
        (folder / "profile").mkdir(parents=True)
    hour_ago = time.time() - 3600
    for folder in (old, other):
        os.utime(folder, (hour_ago, hour_ago))
    sleeper = [sys.executable, "-c", "import time; time.sleep(300)"]
    leftover = subprocess.Popen([*sleeper, f"-env:UserInstallation=file://{old / 'profile'}"])
    running = subprocess.Popen([*sleeper, f"-env:UserInstallation=file://{fresh / 'profile'}"])
    try:
        assert sweep_stale() == 1
        assert leftover.wait(timeout=5) == -9  # killed by the sweep
        assert running.poll() is None  # a build still within its time is left alone
        assert not old.exists() and fresh.exists() and other.exists()
    finally:
        for p in (leftover, running):
            p.kill()
            p.wait()


def test_too_many_builds_at_once_are_told_to_try_again(fake_soffice, temp_root, settings, monkeypatch):
    fake_soffice("ok")
    settings.PDF_MAX_CONCURRENT = 1
    monkeypatch.setattr(pdf, "SLOT_WAIT_SECONDS", 0.1)
    slots = pdf._build_slots()
    assert slots.acquire(timeout=1)  # one build holds the only slot
    try:
        with pytest.raises(PdfBusy, match="đang bận"):
            to_pdf(b"docx", ".docx")
    finally:
        slots.release()
    assert to_pdf(b"docx", ".docx").startswith(b"%PDF")


def test_builds_in_parallel_never_exceed_the_limit(fake_soffice, temp_root, settings, monkeypatch):
    """Bounded: 6 threads, 2 slots; each build is seen running by a counter."""
    fake_soffice("ok")
    settings.PDF_MAX_CONCURRENT = 2
    monkeypatch.setattr(pdf, "SLOT_WAIT_SECONDS", 30)
    lock, running, peak = threading.Lock(), [0], [0]
    real_convert = pdf._convert

    def counted(*args):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            time.sleep(0.05)
            return real_convert(*args)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(pdf, "_convert", counted)
    results = []
    threads = [threading.Thread(target=lambda: results.append(to_pdf(b"x", ".docx"))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 6 and 1 <= peak[0] <= 2


@pytest.mark.django_db
def test_busy_is_said_in_vietnamese_on_the_report_page(
    client, users, review, tree, fake_soffice, settings, monkeypatch
):
    from django.urls import reverse

    fake_soffice("ok")
    settings.PDF_MAX_CONCURRENT = 1
    monkeypatch.setattr(pdf, "SLOT_WAIT_SECONDS", 0.1)
    client.force_login(users.viewer)
    url = reverse("reports:review", args=[review.doc.pk])
    params = {"unit": tree.province.pk, "period": "2026-H1", "fmt": "pdf"}
    slots = pdf._build_slots()
    assert slots.acquire(timeout=1)
    try:
        response = client.get(url, params)
    finally:
        slots.release()
    assert response.status_code == 400  # as every refused build on this page
    assert "Máy chủ đang bận xuất các tệp PDF khác" in response.content.decode()
    response = client.get(url, params)
    assert response.status_code == 200 and response.content == b"%PDF-1.4 fake"
