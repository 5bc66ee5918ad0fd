"""PDF through LibreOffice, when it is installed (optional; found at run time).

Each build runs ``soffice`` in its own process group and its own
``nq-pdf-*`` folder under the system temp folder. The whole group is killed
when the build runs past ``PDF_TIMEOUT_SECONDS`` or fails in any way
(soffice starts oosplash and soffice.bin, which outlive a killed parent),
and the folder is removed. Folders and processes left by a server that
crashed mid-build are swept at start-up and before each build. At most
``PDF_MAX_CONCURRENT`` builds run at once per server process: LibreOffice
takes some 200 MB each, and the rest are told to try again."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("nghiquyet.pdf")

SOFFICE_NAMES = ("soffice", "libreoffice")
FOLDER_PREFIX = "nq-pdf-"
DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_MAX_CONCURRENT = 2
# A waiting build gets this long for a free slot before "busy".
SLOT_WAIT_SECONDS = 2.0
# A folder is stale once its build must have been killed: older than the
# time limit plus this margin (for the kill and the clean-up themselves).
STALE_MARGIN_SECONDS = 60


class PdfUnavailable(RuntimeError):
    """No LibreOffice on this machine, or it failed; the message is Vietnamese."""


class PdfBusy(PdfUnavailable):
    """Too many conversions at once; the message is Vietnamese."""


def soffice_path() -> str | None:
    """The LibreOffice binary, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def timeout_seconds() -> float:
    """The time limit of one build (setting PDF_TIMEOUT_SECONDS)."""
    return float(getattr(settings, "PDF_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _build_slots() -> threading.BoundedSemaphore:
    # Made on first use (and again if the setting changes, as in tests).
    global _slots
    size = max(1, int(getattr(settings, "PDF_MAX_CONCURRENT", DEFAULT_MAX_CONCURRENT)))
    with _slots_lock:
        if _slots is None or _slots[0] != size:
            _slots = (size, threading.BoundedSemaphore(size))
        return _slots[1]


def _temp_root() -> Path:
    return Path(tempfile.gettempdir())


def _pids_using(folder: Path) -> list[int]:
    """Processes of this user whose command line names ``folder`` (soffice
    gets its profile there). Linux /proc only; elsewhere none are found."""
    needle = os.fsencode(str(folder))
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    me = os.getuid()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != me:
                continue
            if needle in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def sweep_stale(max_age: float | None = None) -> int:
    """Remove ``nq-pdf-*`` folders older than ``max_age`` seconds (default:
    the time limit plus a margin), first killing processes still working in
    them. Returns how many folders were removed."""
    if max_age is None:
        max_age = timeout_seconds() + STALE_MARGIN_SECONDS
    cutoff = time.time() - max_age
    removed = 0
    try:
        folders = list(_temp_root().glob(FOLDER_PREFIX + "*"))
    except OSError:
        return 0
    for folder in folders:
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_mtime > cutoff:
                continue
        except OSError:
            continue
        for pid in _pids_using(folder):
            try:
                os.kill(pid, signal.SIGKILL)
                logger.warning("Đã dừng tiến trình LibreOffice bị bỏ lại (pid %s, %s).", pid, folder)
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)
        removed += not folder.exists()
    return removed


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill soffice and everything it started (its own session, so its own group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the whole group has exited already
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        logger.error("Tiến trình LibreOffice %s không dừng sau SIGKILL.", proc.pid)


def _convert(soffice: str, src: Path, tmp: Path, timeout: float) -> None:
    # A private profile: two conversions at once would otherwise fight
    # over the user's profile lock, and the first run writes it anyway.
    profile = tmp / "profile"
    cmd = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp),
        str(src),
    ]
    # Output to a file, not a pipe: a child that keeps the pipe open would
    # hold communicate() after soffice itself has exited.
    with open(tmp / "soffice.log", "wb") as log:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.warning("LibreOffice quá %s giây, dừng cả nhóm tiến trình %s.", timeout, proc.pid)
            raise PdfUnavailable("LibreOffice chuyển sang PDF quá lâu; vui lòng thử lại sau.") from None
        finally:
            # On time-out, on any error, and after success too: soffice.bin
            # may outlive the launcher that reported success.
            _kill_group(proc)


def to_pdf(data: bytes, suffix: str) -> bytes:
    """Convert a .docx or .xlsx (``suffix`` ".docx"/".xlsx") to PDF with
    ``soffice --headless --convert-to pdf``, time-boxed. Raises PdfUnavailable
    (PdfBusy when too many builds already run)."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            "Máy chủ chưa cài LibreOffice nên không xuất được PDF. "
            "Vui lòng tải bản Word hoặc Excel, hoặc đề nghị quản trị cài gói libreoffice-writer-nogui."
        )
    timeout = timeout_seconds()
    sweep_stale()
    slots = _build_slots()
    if not slots.acquire(timeout=SLOT_WAIT_SECONDS):
        raise PdfBusy(
            "Máy chủ đang bận xuất các tệp PDF khác; vui lòng thử lại sau ít phút hoặc tải bản Word, Excel."
        )
    try:
        tmp = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        try:
            src = tmp / f"baocao{suffix}"
            src.write_bytes(data)
            _convert(soffice, src, tmp, timeout)
            out = src.with_suffix(".pdf")
            if not out.exists():
                raise PdfUnavailable("LibreOffice không chuyển được tệp sang PDF.")
            return out.read_bytes()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    finally:
        slots.release()
