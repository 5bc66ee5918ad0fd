"""PDF through LibreOffice, when it is installed (optional; found at run time)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """No LibreOffice on this machine, or it failed; the message is Vietnamese."""


def soffice_path() -> str | None:
    """The LibreOffice binary, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_pdf(data: bytes, suffix: str) -> bytes:
    """Convert a .docx or .xlsx (``suffix`` ".docx"/".xlsx") to PDF with
    ``soffice --headless --convert-to pdf``. Raises PdfUnavailable."""
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(
            "Máy chủ chưa cài LibreOffice nên không xuất được PDF. "
            "Vui lòng tải bản Word hoặc Excel, hoặc đề nghị quản trị cài gói libreoffice-writer-nogui."
        )
    with tempfile.TemporaryDirectory(prefix="nq-pdf-") as tmp:
        src = Path(tmp) / f"baocao{suffix}"
        src.write_bytes(data)
        # A private profile: two conversions at once would otherwise fight
        # over the user's profile lock, and the first run writes it anyway.
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("LibreOffice chuyển sang PDF quá lâu; vui lòng thử lại sau.") from None
        out = src.with_suffix(".pdf")
        if not out.exists():
            raise PdfUnavailable("LibreOffice không chuyển được tệp sang PDF.")
        return out.read_bytes()
